"""Hours keep their wall-clock time across clock changes; each side sees times in their own zone."""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from branches import services as branch_services
from branches.models import Region, Role
from notifications import services as notification_services
from notifications.models import Notification
from receptions import services
from receptions.models import Booking, Schedule
from receptions.tests.factories import free_slot, weekly_hours

pytestmark = pytest.mark.django_db

YAKUTSK = zoneinfo.ZoneInfo("Asia/Yakutsk")  # Amur's zone; it moved its clocks until 2011


def _host_in_2010(cast):
    person = branch_services.person_create(last_name="Летнев", first_name="Остап")
    return branch_services.position_create(
        person=person, role=Role.REGIONAL_DEPUTY, region=cast.region_a, starts_on=date(2009, 1, 1)
    )


@pytest.mark.parametrize(
    ("today", "mondays", "utc_hours"),
    [
        # Summer time began on Sunday 28 March 2010: 10:00 was 01:00 UTC, then 00:00 UTC.
        (datetime(2010, 3, 14, 12, tzinfo=UTC), [date(2010, 3, 22), date(2010, 3, 29)], [1, 0]),
        # It ended on Sunday 31 October 2010: 10:00 was 00:00 UTC, then 01:00 UTC.
        (datetime(2010, 10, 17, 12, tzinfo=UTC), [date(2010, 10, 25), date(2010, 11, 1)], [0, 1]),
    ],
)
def test_hours_keep_their_wall_clock_time_when_the_clocks_change(cast, today, mondays, utc_hours):
    with time_machine.travel(today, tick=False):
        schedule = weekly_hours(
            position=_host_in_2010(cast), weekday=0, ends_at=time(11), minutes=60, valid_from=today.date()
        )
    starts = {start.date(): start for start in schedule.slots.values_list("starts_at", flat=True)}
    for monday, utc_hour in zip(mondays, utc_hours, strict=True):
        assert starts[monday] == datetime.combine(monday, time(utc_hour), tzinfo=UTC)
        assert starts[monday].astimezone(YAKUTSK).time() == time(10)


def test_a_wall_clock_time_skipped_by_the_clock_change_gives_no_slot(cast):
    with time_machine.travel(datetime(2010, 3, 20, tzinfo=UTC), tick=False):
        schedule = weekly_hours(position=_host_in_2010(cast), weekday=6, starts_at=time(1), ends_at=time(4), minutes=60)
    bounds = schedule.slot_bounds(date(2010, 3, 28))  # 02:00–03:00 did not exist that night
    assert [start.astimezone(YAKUTSK).time() for start, _end in bounds] == [time(1), time(3)]
    assert all(end - start == timedelta(hours=1) for start, end in bounds)


# A secretary in Kamchatka (UTC+12) and a host in Kaliningrad (UTC+2) ---------------------------


@pytest.fixture
def far_apart(cast, django_user_model):
    """A Kaliningrad host, and a secretary whose zone is Kamchatka's.

    A host serves only their own territory, so a Kamchatka secretary can book a
    Kaliningrad host only if they also run a Kaliningrad branch: this secretary runs
    one in each region, and the newer (Kamchatka) position gives the time zone.
    """
    kaliningrad, kamchatka = Region.objects.get(code="39"), Region.objects.get(code="41")
    local_39 = branch_services.local_branch_create(region=kaliningrad, name="Калининградское городское")
    local_41 = branch_services.local_branch_create(region=kamchatka, name="Петропавловск-Камчатское городское")
    branch_39 = branch_services.branch_create(local_branch=local_39, number=39, name="Балтийская")
    branch_41 = branch_services.branch_create(local_branch=local_41, number=41, name="Авачинская")
    users = {
        role: django_user_model.objects.create(username=f"far-{role}", first_name=role) for role in ("host", "sec")
    }
    host = branch_services.person_create(last_name="Янтарный", first_name="Олег", user=users["host"])
    position = branch_services.position_create(
        person=host, role=Role.REGIONAL_DEPUTY, region=kaliningrad, starts_on=date(2020, 1, 1)
    )
    secretary = branch_services.person_create(last_name="Вулканова", first_name="Ирина", user=users["sec"])
    branch_services.secretary_appoint(branch=branch_39, person=secretary, starts_on=date(2020, 1, 1))
    branch_services.secretary_appoint(branch=branch_41, person=secretary, starts_on=date(2021, 1, 1))
    return {"position": position, "secretary": secretary, "users": users, "branch": branch_39}


def test_a_secretary_in_kamchatka_and_a_host_in_kaliningrad_each_see_their_own_time(far_apart, client):
    with time_machine.travel(datetime(2026, 5, 11, tzinfo=UTC), tick=False):
        # Wednesdays 10:00–11:00 in Kaliningrad (UTC+2) = 08:00 UTC = 20:00 in Kamchatka (UTC+12).
        schedule = weekly_hours(position=far_apart["position"], ends_at=time(11))
        slot = free_slot(schedule)
        assert slot.starts_at == datetime(2026, 5, 13, 8, tzinfo=UTC)

        client.force_login(far_apart["users"]["sec"])
        page = client.get(reverse("receptions:host_slots", args=[far_apart["position"].pk])).content.decode()
        assert "20:00–20:30" in page  # the secretary's time
        assert "13 мая, 10:00" in page  # the host's time, next to it

        booking = services.booking_create(slot=slot, secretary=far_apart["secretary"], topic="Рыболовство")
        assert booking.branch == far_apart["branch"]
        detail = client.get(booking.get_absolute_url()).content.decode()
        assert "20:00–20:30" in detail
        assert "МСК+9 (UTC+12)" in detail and "Asia/Kamchatka" not in detail  # named as people say it

        client.force_login(far_apart["users"]["host"])
        day = client.get(reverse("receptions:host_day", args=[far_apart["position"].pk, date(2026, 5, 13)]))
        assert "10:00–10:30" in day.content.decode()
        assert day.context["slots"][0].pk == slot.pk
        manage = client.get(reverse("receptions:host_manage", args=[far_apart["position"].pk])).content.decode()
        assert "10:00" in manage and "20:00" not in manage

    # The reminders a day before: each side reads its own clock.
    with time_machine.travel(slot.starts_at - timedelta(hours=24), tick=False):
        notification_services.deliver_due()
    subjects = dict(Notification.objects.filter(key__endswith=":24h").values_list("recipient_id", "subject"))
    assert subjects[far_apart["secretary"].pk].endswith("13 мая, 20:00")
    assert subjects[far_apart["position"].person_id].endswith("13 мая, 10:00")


def test_the_host_s_pages_use_the_host_s_zone_whoever_looks(cast, client_for):
    with time_machine.travel(datetime(2026, 5, 11, tzinfo=UTC), tick=False):
        schedule = weekly_hours(cast)  # 10:00 in Blagoveshchensk
        assert Schedule.objects.get().zone == YAKUTSK
        booking = services.booking_create(slot=free_slot(schedule), secretary=cast.person("secretary"), topic="Дороги")
        admin = client_for("admin")  # an administrator's own zone is Moscow
        day = admin.get(reverse("receptions:host_day", args=[schedule.position_id, date(2026, 5, 13)]))
        assert "10:00–10:30" in day.content.decode()
        assert Booking.objects.get() == booking
