"""Mentoring reminders go through the notifications engine, to the secretaries of the day."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from branches import services as branch_services
from config.celery import app
from mentorship import services, tasks
from mentorship.tests.conftest import active_pair
from notifications import services as notification_services
from notifications.models import Notification

pytestmark = pytest.mark.django_db

AMUR = ZoneInfo("Asia/Yakutsk")


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _nine(day):
    return datetime.combine(day, time(9), tzinfo=AMUR)


def _planned(programme):
    """{(kind, recipient last name, due_at)} of the programme's pending reminders."""
    rows = Notification.objects.filter(key__startswith=f"mentoring.{programme.pk}.", status="planned")
    return {(n.kind, n.recipient.last_name, n.due_at) for n in rows.select_related("recipient")}


def test_an_active_pair_plans_a_check_in_the_end_and_the_questionnaire_for_both_sides(cast, programme, mentee):
    active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 9, 1))
    services.programme_reminders_plan(programme=programme)
    planned = _planned(programme)
    for name in ("Секретарёва", "Заречнова"):
        assert ("mentoring.pair_started", name, _nine(date(2026, 9, 1))) in planned
        assert ("mentoring.check_in_due", name, _nine(date(2026, 10, 1))) in planned
        assert ("mentoring.pair_ending", name, _nine(date(2026, 12, 17))) in planned
        assert ("mentoring.closing_questionnaire", name, _nine(date(2026, 12, 31))) in planned
    assert len(planned) == 8


def test_a_check_in_moves_the_next_reminder(cast, programme, mentee, eager_tasks, django_capture_on_commit_callbacks):
    pair = active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 9, 1))
    services.programme_reminders_plan(programme=programme)
    with django_capture_on_commit_callbacks(execute=True):
        services.check_in_record(pair=pair, held_on=date(2026, 9, 15), kind="call")
    planned = _planned(programme)
    assert ("mentoring.check_in_due", "Секретарёва", _nine(date(2026, 10, 15))) in planned
    assert ("mentoring.check_in_due", "Секретарёва", _nine(date(2026, 10, 1))) not in planned


def test_a_new_secretary_gets_the_reminders_the_old_one_no_longer_does(cast, programme, mentee):
    active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 9, 1))
    services.programme_reminders_plan(programme=programme)
    newcomer = branch_services.person_create(last_name="Новикова", first_name="Нина")
    branch_services.secretary_appoint(branch=cast.branch_a, person=newcomer, starts_on=date(2026, 9, 16))
    services.programme_reminders_plan(programme=programme)
    planned = _planned(programme)
    assert ("mentoring.check_in_due", "Новикова", _nine(date(2026, 10, 1))) in planned
    assert not any(name == "Секретарёва" for _, name, _ in planned)


def test_a_completed_pair_cancels_its_pending_reminders(cast, programme, mentee):
    pair = active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 9, 1))
    services.programme_reminders_plan(programme=programme)
    services.pair_complete(pair=pair)
    services.programme_reminders_plan(programme=programme)
    assert _planned(programme) == set()


def test_the_start_arrives_in_the_inbox_in_russian(cast, programme, mentee):
    active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 9, 1))
    services.programme_reminders_plan(programme=programme)
    notification_services.deliver_due()
    message = Notification.objects.get(recipient__last_name="Заречнова", status="delivered")
    assert message.kind == "mentoring.pair_started"
    assert "№1 «Центральная»" in message.subject
    assert "31.12.2026" in message.body
    assert message.url == f"/mentoring/pairs/{message.key.split('.')[2]}/"


def test_the_daily_task_plans_every_running_programme(cast, programme, mentee, eager_tasks):
    active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 9, 1))
    tasks.programme_reminders_plan_all.delay()
    assert len(_planned(programme)) == 8
    tasks.programme_reminders_plan.delay(999_999_999)  # a programme deleted meanwhile: nothing happens
    assert app.conf.beat_schedule["mentorship-reminders"]["task"] == "mentorship.programme_reminders_plan_all"


def test_the_planner_runs_a_fixed_number_of_queries(cast, programme, django_assert_num_queries):
    from mentorship.tests.conftest import branch_with_secretary

    for n in range(6):
        active_pair(
            programme, cast.branch_a if n < 3 else cast.branch_a2, branch_with_secretary(cast.local_a1, 30 + n, f"П{n}")
        )
    services.programme_reminders_plan(programme=programme)
    # 1 savepoint; 2 the active pairs with their last check-in; 3 the secretaries of their
    # branches; 4 savepoint (notification_reconcile); 5 the planned reminders; then nothing
    # is new, moved or gone; 6, 7 release
    with django_assert_num_queries(7):
        services.programme_reminders_plan(programme=programme)
