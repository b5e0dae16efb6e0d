"""Term and vacancy reminders go through the notifications engine, and follow every change."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from branches import services as branch_services
from config.celery import app
from councils import services, tasks
from councils.models import Council, SeatRole
from notifications import services as notification_services
from notifications.models import Notification

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)
AMUR = ZoneInfo("Asia/Yakutsk")


@pytest.fixture(autouse=True)
def frozen():
    # 12:00 in Blagoveshchensk, 2 March 2026.
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def eager_tasks():
    """Run queued tasks in-process, after the commit as in production."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def council(cast):
    """Amur's council, as if recorded today (seats never filled count as vacant since then)."""
    council = services.council_for(cast.region_a)
    Council.objects.filter(pk=council.pk).update(created_on=TODAY)
    council.created_on = TODAY
    return council


def _representative(council, local_branch, starts_on, name="Представителев", **extra):
    person = branch_services.person_create(last_name=name, first_name="Иван")
    return services.seat_appoint(
        council=council,
        role=SeatRole.REPRESENTATIVE,
        local_branch=local_branch,
        person=person,
        starts_on=starts_on,
        **extra,
    )


def _planned(council, kind="council.term_ending"):
    """{(kind, recipient last name, due_at in Amur): context} of the council's pending reminders of a kind."""
    rows = Notification.objects.filter(key__startswith=f"council.{council.pk}.", status="planned", kind=kind)
    return {
        (row.kind, row.recipient.last_name, row.due_at.astimezone(AMUR).strftime("%Y-%m-%d %H:%M")): row.context
        for row in rows.select_related("recipient")
    }


def _nine(day: date) -> str:
    return f"{day:%Y-%m-%d} 09:00"


def test_a_term_ending_in_45_days_is_reminded_at_60_30_and_7_days_to_staff_and_member(cast, council):
    _representative(council, cast.local_a1, date(2025, 4, 16), name="Уходящий")  # ends 16 April 2026
    services.council_reminders_plan(council=council)
    planned = _planned(council)
    ends = date(2026, 4, 16)
    # The 60-day mark has passed (16 February) but the term is inside it: reminded now.
    expected_days = {ends - timedelta(days=60), ends - timedelta(days=30), ends - timedelta(days=7)}
    assert {key[1:] for key in planned if key[1] == "Уходящий"} == {("Уходящий", _nine(d)) for d in expected_days}
    assert {key[1:] for key in planned if key[1] == "Аппаратова"} == {("Аппаратова", _nine(d)) for d in expected_days}
    assert {key[1] for key in planned} == {"Уходящий", "Аппаратова"}  # no one from region B
    context = planned[("council.term_ending", "Уходящий", _nine(ends - timedelta(days=7)))]
    assert context == {
        "region": "Амурская область",
        "role": "representative",
        "local_branch": "Благовещенское городское",
        "person": "Уходящий Иван",
        "ends_on": "2026-04-16",
        "days": 7,
        "for_member": True,
    }


def test_planning_again_changes_nothing(cast, council):
    _representative(council, cast.local_a1, date(2025, 4, 16))
    first = services.council_reminders_plan(council=council)
    again = services.council_reminders_plan(council=council)
    assert first["planned"] > 0
    assert again == {"planned": 0, "retimed": 0, "cancelled": 0}


def test_a_reappointment_cancels_the_pending_reminders_of_the_old_term(cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 4, 16))
    services.council_reminders_plan(council=council)
    old_keys = set(Notification.objects.filter(key__contains=f".term.{seat.pk}.").values_list("key", flat=True))
    services.seat_reappoint(seat=seat)
    result = services.council_reminders_plan(council=council)
    assert result["cancelled"] == len(old_keys) == 6
    statuses = set(Notification.objects.filter(key__in=old_keys).values_list("status", flat=True))
    assert statuses == {"cancelled"}
    assert not _planned(council)  # the new term ends in 2027


def test_ending_a_term_early_re_times_its_reminders(cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 9, 1))  # ends 1 September 2026
    services.council_reminders_plan(council=council)
    services.seat_end(seat=seat, ends_on=date(2026, 6, 1), reason="переезд")
    result = services.council_reminders_plan(council=council)
    assert result["retimed"] == 6  # 60, 30 and 7 days, to the staff member and the member
    days = {key[2] for key in _planned(council)}
    assert days == {_nine(date(2026, 4, 2)), _nine(date(2026, 5, 2)), _nine(date(2026, 5, 25))}
    contexts = {context["ends_on"] for context in _planned(council).values()}
    assert contexts == {"2026-06-01"}


def test_a_seat_vacant_for_30_days_is_reminded_to_the_staff(cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 6, 1))
    services.seat_end(seat=seat, ends_on=date(2026, 2, 20), reason="выбыл")
    services.council_reminders_plan(council=council)
    vacancies = _planned(council, kind="council.seat_vacant")
    # local_a1 since 20 February; local_a2, the chair and the deputy chair since the council was created today.
    assert (("council.seat_vacant", "Аппаратова", _nine(date(2026, 3, 22)))) in vacancies
    assert {key[1] for key in vacancies} == {"Аппаратова"}  # the staff only
    assert len(vacancies) == 2  # the three created today share one day (and a key each)
    assert Notification.objects.filter(kind="council.seat_vacant").count() == 4


def test_filling_a_vacancy_cancels_its_reminder(cast, council):
    services.council_reminders_plan(council=council)
    key = f"council.{council.pk}.vacant.{cast.local_a2.pk}.{TODAY:%Y%m%d}.{cast.person('staff_a').pk}"
    assert Notification.objects.get(key=key).status == "planned"
    _representative(council, cast.local_a2, TODAY)
    services.council_reminders_plan(council=council)
    assert Notification.objects.get(key=key).status == "cancelled"


def test_a_member_of_staff_who_left_gets_no_more_reminders(cast, council):
    from branches.models import Position, Role

    _representative(council, cast.local_a1, date(2025, 4, 16))
    services.council_reminders_plan(council=council)
    position = Position.objects.get(person=cast.person("staff_a"), role=Role.REGIONAL_STAFF)
    branch_services.position_end(position=position, ends_on=TODAY)
    services.council_reminders_plan(council=council)
    assert "Аппаратова" not in {key[1] for key in _planned(council)}


def test_appointing_through_the_service_plans_reminders_after_the_commit(
    cast, council, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _representative(council, cast.local_a1, date(2025, 4, 16), name="Уходящий")
    assert ("council.term_ending", "Уходящий", _nine(date(2026, 4, 9))) in _planned(council)


def test_the_hourly_task_plans_every_council(cast, council, eager_tasks):
    _representative(council, cast.local_a1, date(2025, 4, 16), name="Уходящий")
    tasks.council_reminders_plan_all.delay()
    assert ("council.term_ending", "Уходящий", _nine(date(2026, 4, 9))) in _planned(council)
    tasks.council_reminders_plan.delay(999_999_999)  # a council deleted meanwhile: nothing happens


def test_the_beat_runs_the_planner_hourly():
    entries = app.conf.beat_schedule
    assert entries["councils-reminders"]["task"] == "councils.council_reminders_plan_all"


def test_the_planner_runs_a_fixed_number_of_queries(cast, council, django_assert_num_queries):
    for number in range(10):
        local = branch_services.local_branch_create(region=cast.region_a, name=f"Местное {number:02}")
        _representative(council, local, date(2025, 4, 16), name=f"Член{number}")
    services.council_reminders_plan(council=council)
    # 1 savepoint, 2 open local branches, 3 every term with people, 4 the region's staff,
    # 5 savepoint (notification_reconcile), 6 the council's planned reminders, then nothing
    # is new, moved or gone, 7 release, 8 release: the same for 10 seats or 40
    with django_assert_num_queries(8):
        services.council_reminders_plan(council=council)


def test_a_due_reminder_arrives_in_the_inbox_in_russian(cast, council):
    _representative(council, cast.local_a1, date(2025, 3, 5), name="Уходящий")  # ends in 3 days
    services.council_reminders_plan(council=council)
    notification_services.deliver_due()
    member = Notification.objects.get(recipient__last_name="Уходящий", status="delivered")
    assert member.subject == "Совет первичных отделений: срок полномочий истекает в течение 7 дней"
    assert "Ваши полномочия в Совете первичных отделений (Амурская область) действуют до 05.03.2026" in member.body
    staff = Notification.objects.get(recipient=cast.person("staff_a"), kind="council.term_ending", status="delivered")
    assert "Место: представитель: Благовещенское городское" in staff.body
    assert staff.url.startswith("/council-seats/")
