"""The reception pages: who sees what, what each form does, and how many queries each list costs."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments.models import Assignment
from branches import services as branch_services
from branches.models import Role
from receptions import services
from receptions.models import Booking, DayOff, ReceptionPolicy, Schedule, Slot
from receptions.tests.factories import book, free_slot, host_position, make_secretaries, weekly_hours

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(frozen):
    return frozen


def _other_host(region=None, local_branch=None, role=Role.REGIONAL_HEAD, last_name="Второй"):
    person = branch_services.person_create(last_name=last_name, first_name="Хозяин")
    return branch_services.position_create(
        person=person, role=role, region=region, local_branch=local_branch, starts_on=date(2020, 1, 1)
    )


# Secretaries --------------------------------------------------------------------------------


def test_a_secretary_sees_the_hosts_who_serve_their_branch(client_for, cast):
    local_a2_head = _other_host(local_branch=cast.local_a2, role=Role.LOCAL_HEAD, last_name="Соседний")
    karelian = _other_host(region=cast.region_b, last_name="Карельский")
    weekly_hours(cast)
    response = client_for("secretary").get(reverse("receptions:hosts"))
    hosts = response.context["hosts"]
    assert [position.person for position in hosts] == [cast.person("host")]
    assert hosts[0].next_free is not None
    assert local_a2_head not in hosts and karelian not in hosts


def test_the_slot_list_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    weekly_hours(cast)
    weekly_hours(cast, weekday=4, minutes=15)
    client = client_for("secretary")
    url = reverse("receptions:host_slots", args=[host_position(cast).pk])
    client.get(url)  # warm the session
    # 1 session, 2 user, 3 the viewer's positions, 4 the host (gate), 5 whether the host
    # serves the secretary's branch, 6 the secretary's active booking with the host,
    # 7 the free slots with their hours (3 counts the navigation's unread messages too)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert sum(len(slots) for _day, slots in response.context["days"]) == 8 * 4 + 8 * 8


def test_the_hosts_list_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    schedule = weekly_hours(cast)
    weekly_hours(position=_other_host(region=cast.region_a, last_name="Региональный"), weekday=3)
    weekly_hours(position=_other_host(local_branch=cast.local_a1, role=Role.LOCAL_HEAD, last_name="Местный"))
    book(cast, slot=free_slot(schedule))
    client = client_for("secretary")
    url = reverse("receptions:hosts")
    client.get(url)
    # 1 session, 2 user, 3 the viewer's positions, 4 the hosts who serve the branch with
    # their next free time, 5 the secretary's bookings (3 counts the unread messages too)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["hosts"]) == 3
    assert all(host.next_free is not None for host in response.context["hosts"])
    assert len(response.context["bookings"]) == 1


def test_a_secretary_books_through_the_page(client_for, cast):
    slot = free_slot(weekly_hours(cast))
    response = client_for("secretary").post(
        reverse("receptions:slot_book", args=[slot.pk]), {"topic": "Ремонт школы", "questions": "Сроки?"}
    )
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == booking.get_absolute_url()
    assert (booking.topic, booking.questions, booking.secretary) == ("Ремонт школы", "Сроки?", cast.person("secretary"))


def test_an_empty_topic_is_a_clear_message_and_nothing_is_written(client_for, cast):
    slot = free_slot(weekly_hours(cast))
    response = client_for("secretary").post(reverse("receptions:slot_book", args=[slot.pk]), {"topic": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["topic"]
    assert not Booking.objects.exists()


def test_a_time_within_24_hours_is_refused_with_a_message(client_for, cast, frozen):
    slot = free_slot(weekly_hours(cast))
    frozen.move_to(slot.starts_at - timedelta(hours=5))
    response = client_for("secretary").post(reverse("receptions:slot_book", args=[slot.pk]), {"topic": "Поздно"})
    assert "не менее чем за 24 часа" in str(response.context["form"].non_field_errors())
    assert not Booking.objects.exists()


def test_a_secretary_of_another_region_cannot_see_or_book_the_host(client, cast):
    branch_services.secretary_appoint(branch=cast.branch_b, person=cast.person("juror"), starts_on=date(2020, 1, 1))
    slot = free_slot(weekly_hours(cast))
    client.force_login(cast.user("juror"))  # now a secretary in Karelia
    assert client.get(reverse("receptions:host_slots", args=[host_position(cast).pk])).status_code == 404
    assert client.post(reverse("receptions:slot_book", args=[slot.pk]), {"topic": "x"}).status_code == 404
    assert client.get(reverse("receptions:hosts")).context["hosts"] == []
    assert not Booking.objects.exists()


def test_a_secretary_cannot_see_another_secretary_s_booking(client, cast):
    (other,) = make_secretaries(cast.local_a1, 1)
    booking = book(cast, secretary=other)
    client.force_login(cast.user("secretary"))
    for name in (
        "receptions:booking",
        "receptions:booking_ics",
        "receptions:booking_move",
        "receptions:booking_cancel",
    ):
        assert client.get(reverse(name, args=[booking.pk])).status_code == 404


def test_malformed_ids_are_404(client_for, cast):
    client = client_for("staff_a")
    position = host_position(cast)
    for url in (
        "/receptions/hosts/abc/",
        "/receptions/bookings/99999999999/",
        f"/receptions/hosts/{position.pk}/day/2026-02-30/",
        f"/receptions/hosts/{position.pk}/day/yesterday/",
        f"/receptions/hosts/{position.pk}/days-off/99999/remove/",
        "/receptions/regions/x/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_secretary_moves_and_cancels_through_the_pages(client_for, cast):
    schedule = weekly_hours(cast)
    booking = book(cast, slot=free_slot(schedule, 0))
    target = free_slot(schedule, 3)
    client = client_for("secretary")
    choices = client.get(reverse("receptions:booking_move", args=[booking.pk])).context["form"].fields["slot"]
    assert booking.slot not in choices.queryset and target in choices.queryset
    client.post(reverse("receptions:booking_move", args=[booking.pk]), {"slot": target.pk})
    booking.refresh_from_db()
    assert (booking.slot, booking.sequence) == (target, 1)
    client.post(reverse("receptions:booking_cancel", args=[booking.pk]), {"reason": ""})
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", "secretary")


def test_a_host_cancels_only_with_a_reason(client_for, cast):
    booking = book(cast)
    client = client_for("host")
    response = client.post(reverse("receptions:booking_cancel", args=[booking.pk]), {"reason": ""})
    assert response.context["form"].errors["reason"]
    client.post(reverse("receptions:booking_cancel", args=[booking.pk]), {"reason": "Командировка"})
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancel_reason) == ("cancelled", "host", "Командировка")


def test_the_host_records_the_outcome_and_the_secretary_sees_it(client_for, cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    data = {
        "status": "held",
        "outcome": "Обсудили ремонт дороги",
        "follow_ups-TOTAL_FORMS": "2",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-0-kind": "request",
        "follow_ups-0-text": "Отсыпать дорогу на ул. Лесной",
        "follow_ups-0-owner": "Администрация района",
        "follow_ups-0-due_on": "2026-07-01",
        "follow_ups-0-status": "open",
        "follow_ups-1-kind": "request",  # an untouched empty row
        "follow_ups-1-status": "open",
    }
    response = client_for("host").post(reverse("receptions:booking_outcome", args=[booking.pk]), data)
    assert response.status_code == 302
    follow_up = Assignment.objects.select_related("directive").get()
    assert follow_up.directive.owner == "Администрация района"
    assert (follow_up.person_id, follow_up.region_id) == (booking.host_id, booking.branch.region_id)
    page = client_for("secretary").get(booking.get_absolute_url())
    assert "Обсудили ремонт дороги" in page.content.decode()
    assert "Отсыпать дорогу на ул. Лесной" in page.content.decode()
    # The host's list of follow-ups: open ones, overdue first.
    position = booking.slot.schedule.position
    listed = client_for("host").get(reverse("receptions:host_follow_ups", args=[position.pk]))
    assert "Отсыпать дорогу на ул. Лесной" in listed.content.decode()
    # The outcome page opens again with the follow-up in its form (it answered 500 before).
    again = client_for("host").get(reverse("receptions:booking_outcome", args=[booking.pk]))
    assert again.status_code == 200 and "Отсыпать дорогу на ул. Лесной" in again.content.decode()


def test_a_follow_up_without_an_owner_is_a_clear_message(client_for, cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    data = {
        "status": "held",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-0-kind": "task",
        "follow_ups-0-text": "Письмо",
        "follow_ups-0-due_on": "2026-07-01",
        "follow_ups-0-status": "open",
    }
    response = client_for("host").post(reverse("receptions:booking_outcome", args=[booking.pk]), data)
    assert response.context["formset"].forms[0].errors["owner"]
    booking.refresh_from_db()
    assert booking.status == "booked"


# Hosts -----------------------------------------------------------------------------------------


def _hours(**changes):
    return {
        "recurrence": "weekly",
        "weekday": "3",
        "week_of_month": "",
        "starts_at": "15:00",
        "ends_at": "17:00",
        "slot_minutes": "20",
        "place": "Приёмная партии, ул. Амурская, 150",
        "online_url": "",
        "valid_from": "2026-05-11",
        "valid_until": "",
    } | changes


@pytest.mark.parametrize("role", ["host", "staff_a"])
def test_the_host_or_the_staff_publish_hours(client_for, cast, role):
    position = host_position(cast)
    response = client_for(role).post(reverse("receptions:schedule_create", args=[position.pk]), _hours())
    assert response.status_code == 302
    schedule = Schedule.objects.get()
    assert (schedule.position, schedule.host) == (position, cast.person("host"))
    assert schedule.slots.count() == 8 * 6


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "14:00"}, "ends_at"),
        ({"slot_minutes": "200"}, "slot_minutes"),
        ({"place": ""}, "place"),
        ({"recurrence": "monthly"}, "week_of_month"),
        ({"valid_until": "2026-05-01"}, "valid_until"),
        ({"online_url": "не ссылка"}, "online_url"),
    ],
)
def test_bad_hours_are_clear_messages_and_nothing_is_written(client_for, cast, changes, field):
    response = client_for("host").post(
        reverse("receptions:schedule_create", args=[host_position(cast).pk]), _hours(**changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Schedule.objects.exists()


def test_a_secretary_cannot_publish_hours_for_the_host(client_for, cast):
    response = client_for("secretary").post(
        reverse("receptions:schedule_create", args=[host_position(cast).pk]), _hours()
    )
    assert response.status_code == 403
    assert not Schedule.objects.exists()


def test_ending_hours_through_the_page(client_for, cast):
    schedule = weekly_hours(cast)
    client_for("host").post(reverse("receptions:schedule_end", args=[schedule.pk]), {"last_day": "2026-05-20"})
    schedule.refresh_from_db()
    assert schedule.valid_until == date(2026, 5, 20)
    assert schedule.slots.count() == 2 * 4


def test_cancelling_a_day_through_the_page(client_for, cast):
    booking = book(cast)
    response = client_for("host").post(
        reverse("receptions:day_off_create", args=[host_position(cast).pk]),
        {"day": "2026-05-13", "kind": "cancelled", "reason": "Сессия Законодательного собрания"},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    client_for("host").post(
        reverse("receptions:day_off_remove", args=[host_position(cast).pk, DayOff.objects.get().pk])
    )
    assert not DayOff.objects.exists()
    assert Slot.objects.active().filter(starts_at__date=date(2026, 5, 13)).count() == 4


def test_the_host_s_day_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    schedule = weekly_hours(cast)
    for person in make_secretaries(cast.local_a1, 3):
        book(cast, secretary=person, slot=free_slot(schedule))
    client = client_for("host")
    url = reverse("receptions:host_day", args=[schedule.position_id, date(2026, 5, 13)])
    client.get(url)
    # 1 session, 2 user, 3 the viewer's positions, 4 the host (gate), 5 the day's slots
    # with their hours, 6 the bookings that hold them with secretaries and branches
    # (3 counts the navigation's unread messages too)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert [len(slot.holding) for slot in response.context["slots"]] == [1, 1, 1, 0]


def test_the_host_s_page_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    schedule = weekly_hours(cast)
    for person in make_secretaries(cast.local_a1, 3):
        book(cast, secretary=person, slot=free_slot(schedule))
    client = client_for("host")
    url = reverse("receptions:host_manage", args=[schedule.position_id])
    client.get(url)
    # 1 session, 2 user, 3 the viewer's positions, 4 the host (gate), 5 the hours,
    # 6 the days off, 7 upcoming bookings, 8 bookings waiting for an outcome, 9 the latest
    # held or missed (3 counts the navigation's unread messages too)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["upcoming"]) == 3


# Regularity ----------------------------------------------------------------------------------------


def _held(cast, frozen, *, position, secretary):
    booking = book(cast, slot=free_slot(weekly_hours(position=position)), secretary=secretary)
    now = timezone.now()
    frozen.move_to(booking.slot.ends_at)
    services.booking_outcome_record(booking=booking, status="held", outcome="ok")
    frozen.move_to(now)
    return booking


def test_the_report_shows_hosts_ahead_of_and_behind_the_norm(client_for, cast, frozen):
    _held(cast, frozen, position=host_position(cast), secretary=cast.person("secretary"))
    idle = _other_host(region=cast.region_a, last_name="Бездельников")
    response = client_for("staff_a").get(reverse("receptions:report", args=[cast.region_a.pk]))
    rows = {row.person: row for row in response.context["hosts"]}
    assert (rows[cast.person("host")].held, rows[cast.person("host")].status) == (1, "meets")
    assert rows[idle.person].status == "behind"
    assert response.context["behind"] == 1
    assert response.context["not_received_total"] == 0  # the only secretary was received


def test_an_open_booking_puts_a_host_on_track_this_month(client_for, cast):
    book(cast)
    response = client_for("staff_a").get(reverse("receptions:report", args=[cast.region_a.pk]))
    (row,) = response.context["hosts"]
    assert (row.held, row.open, row.status) == (0, 1, "on_track")
    assert response.context["not_received_total"] == 1


def test_a_past_month_is_judged_on_held_receptions_only(client_for, cast):
    response = client_for("staff_a").get(reverse("receptions:report", args=[cast.region_a.pk]), {"month": "2026-04"})
    assert response.context["month"] == date(2026, 4, 1)
    assert [row.status for row in response.context["hosts"]] == ["behind"]


def test_the_report_runs_a_fixed_number_of_queries(client_for, cast, frozen, django_assert_num_queries):
    _held(cast, frozen, position=host_position(cast), secretary=cast.person("secretary"))
    for number in range(3):
        _other_host(region=cast.region_a, last_name=f"Хозяин{number}")
    make_secretaries(cast.local_a2, 5)
    client = client_for("staff_a")
    url = reverse("receptions:report", args=[cast.region_a.pk])
    client.get(url)
    # 1 session, 2 user, 3 the viewer's positions, 4 the region (gate), 5 the norm,
    # 6 the host positions, 7 their bookings grouped by host, 8 secretaries per local
    # branch received or not, 9 the first secretaries not received (3 counts the
    # navigation's unread messages too)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["hosts"]) == 4
    assert response.context["not_received_total"] == 5


def test_the_administrator_sees_every_region(client_for, cast, frozen):
    _held(cast, frozen, position=host_position(cast), secretary=cast.person("secretary"))
    _other_host(region=cast.region_b, last_name="Карельский")
    response = client_for("admin").get(reverse("receptions:national_report"))
    rows = {row.region.code: row for row in response.context["rows"]}
    assert (rows["28"].hosts, rows["28"].held, rows["28"].behind) == (1, 1, 0)
    assert (rows["10"].hosts, rows["10"].behind, rows["10"].not_received) == (1, 1, 0)


def test_the_national_report_runs_a_fixed_number_of_queries(client_for, cast, frozen, django_assert_num_queries):
    _held(cast, frozen, position=host_position(cast), secretary=cast.person("secretary"))
    for number in range(3):
        _other_host(region=cast.region_a, last_name=f"Хозяин{number}")
        _other_host(region=cast.region_b, last_name=f"Карельский{number}")
    client = client_for("admin")
    url = reverse("receptions:national_report")
    client.get(url)
    # 1 session, 2 user, 3 the viewer's positions, 4 the host positions, 5 the month's
    # bookings by host, 6 the secretaries received in the last quarter by region, 7 the
    # secretaries by region, 8 the regions with their norms (3 counts the navigation's
    # unread messages too)
    with django_assert_num_queries(8):
        response = client.get(url)
    rows = {row.region.code: row for row in response.context["rows"]}
    assert (rows["28"].hosts, rows["28"].held, rows["10"].hosts) == (4, 1, 3)
    # The secretary received this quarter counts as received; the others of the country not.
    assert rows["28"].secretaries >= 1 and rows["28"].not_received == rows["28"].secretaries - 1
    assert rows["10"].not_received == rows["10"].secretaries


def test_staff_set_the_norm_of_their_region(client_for, cast):
    client = client_for("staff_a")
    url = reverse("receptions:policy_edit", args=[cast.region_a.pk])
    response = client.post(url, {"held_per_month": "0", "bookings_per_month": "2"})
    assert response.context["form"].errors["held_per_month"]
    assert not ReceptionPolicy.objects.exists()
    client.post(url, {"held_per_month": "2", "bookings_per_month": "3"})
    policy = ReceptionPolicy.objects.get(region=cast.region_a)
    assert (policy.held_per_month, policy.bookings_per_month) == (2, 3)


@pytest.mark.parametrize(
    ("role", "label"),
    [("secretary", "Приёмы"), ("host", "Мои приёмы"), ("staff_a", "Приёмы"), ("admin", "Приёмы")],
)
def test_each_role_finds_receptions_in_the_navigation(client_for, cast, role, label):
    response = client_for(role).get(reverse("desk:home"))
    links = {link.label: link.url for link in response.context["nav_sections"]}
    assert client_for(role).get(links[label]).status_code == 200


def test_the_hosts_follow_ups_list_open_ones_overdue_first(client_for, cast, frozen, django_assert_num_queries):
    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    items = [
        services.FollowUpInput(kind="request", text="Позже", owner="Помощник", due_on=date(2026, 8, 1)),
        services.FollowUpInput(kind="task", text="Раньше", owner="Помощник", due_on=date(2026, 7, 1)),
        services.FollowUpInput(kind="task", text="Сделано", owner="Помощник", due_on=date(2026, 6, 1), status="done"),
    ]
    services.booking_outcome_record(booking=booking, status="held", follow_ups=items)
    position = booking.slot.schedule.position
    url = reverse("receptions:host_follow_ups", args=[position.pk])
    client = client_for("host")
    # 1 session, 1 user, 1 viewer's positions (with the unread badge), 1 the host position
    # (gate), 1 the page of follow-ups (keyset, with progress counts).
    with django_assert_num_queries(5):
        response = client.get(url)
    assert [row.directive.title for row in response.context["page"].rows] == ["Раньше", "Позже"]
    everything = client.get(url, {"all": "1"})
    assert [row.directive.title for row in everything.context["page"].rows] == ["Раньше", "Позже", "Сделано"]


def _follow_ups_of_two_hosts(cast, frozen):
    """A second Amur host's reception with one follow-up, now past due; then the cast host's with
    three (one done). Returns the cast host's booking; the clock stands at its end."""
    other = _other_host(region=cast.region_a)
    neighbour = make_secretaries(cast.local_a1, 1)[0]
    second = book(cast, slot=free_slot(weekly_hours(position=other, weekday=3)), secretary=neighbour)
    frozen.move_to(second.slot.ends_at)
    overdue = services.FollowUpInput(
        kind="request", text="Просрочено", owner="Минстрой", due_on=second.slot.ends_at.date() + timedelta(days=1)
    )
    services.booking_outcome_record(booking=second, status="held", follow_ups=[overdue])
    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    items = [
        services.FollowUpInput(kind="request", text="Позже", owner="Администрация района", due_on=date(2026, 8, 1)),
        services.FollowUpInput(kind="task", text="Раньше", owner="Помощник депутата", due_on=date(2026, 7, 1)),
        services.FollowUpInput(kind="task", text="Сделано", owner="Помощник", due_on=date(2026, 6, 1), status="done"),
    ]
    services.booking_outcome_record(booking=booking, status="held", follow_ups=items)
    return booking


def test_a_region_s_voters_requests_list_every_host_s_open_ones_overdue_first_with_owner_and_due(
    client_for, cast, frozen, django_assert_num_queries
):
    _follow_ups_of_two_hosts(cast, frozen)
    url = reverse("receptions:region_follow_ups", args=[cast.region_a.pk])
    client = client_for("staff_a")
    report = client.get(reverse("receptions:report", args=[cast.region_a.pk])).content.decode()
    assert url in report  # the region's receptions page leads to it
    # 1 session, 2 user, 3 viewer positions (with the unread badge), 4 the region (gate),
    # 5 the page of follow-ups (keyset, with progress counts)
    with django_assert_num_queries(5):
        response = client.get(url)
    rows = response.context["page"].rows
    assert [row.directive.title for row in rows] == ["Просрочено", "Раньше", "Позже"]
    assert [row.person.last_name for row in rows] == ["Второй", "Депутатов", "Депутатов"]
    page = response.content.decode()
    assert "Минстрой" in page and "Администрация района" in page  # who carries each out
    assert page.count("просрочен<") == 1  # the overdue badge, on the second host's request
    everything = client.get(url, {"all": "1"})
    assert [row.directive.title for row in everything.context["page"].rows][-1] == "Сделано"
    assert client_for("staff_b").get(url).status_code == 404


def test_the_host_s_desk_leads_to_their_voters_requests(client_for, cast, frozen, django_assert_num_queries):
    booking = _follow_ups_of_two_hosts(cast, frozen)
    client = client_for("host")
    client.get(reverse("desk:home"))
    # The host's region carries the counts as subqueries: the desk costs what it did (9).
    with django_assert_num_queries(9):
        response = client.get(reverse("desk:home"))
    items = {item.title: item for item in response.context["items"]}
    item = items["Наказы избирателей с ваших приёмов"]
    position = booking.slot.schedule.position
    assert item.url == reverse("receptions:host_follow_ups", args=[position.pk])
    assert item.count is None  # counted once: among the host's assignments
    assert item.detail == "открыто 2"
    frozen.move_to(date(2026, 7, 3))  # «Раньше» is past its date (a new login: the session expired)
    assert _desk_item(client_for("host")).detail == "открыто 2, из них просрочено 1"
    listed = client_for("host").get(item.url).content.decode()
    assert "Помощник депутата" in listed  # the owner column


def _desk_item(client):
    items = {item.title: item for item in client.get(reverse("desk:home")).context["items"]}
    return items["Наказы избирателей с ваших приёмов"]
