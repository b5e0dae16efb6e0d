"""Reminders: planned once under unique keys, re-timed and cancelled as the contest changes."""

from datetime import UTC, date, datetime

import pytest

from branches import services as branch_services
from config.celery import app
from contests import services, tasks
from contests.tests.conftest import ACCEPTING, JUDGING, YEAR
from notifications.models import Notification
from notifications.services import deliver_due

pytestmark = pytest.mark.django_db
Status = Notification.Status


@pytest.fixture(autouse=True)
def eager_tasks():
    """Run the planner tasks in-process, after the commit as in production."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _planned(kind=None):
    rows = Notification.objects.filter(status=Status.PLANNED).order_by("due_at")
    return list(rows.filter(kind=kind) if kind else rows)


def test_a_draft_is_reminded_7_days_and_1_day_before_the_deadline_at_ten_local_time(
    world, cast, django_capture_on_commit_callbacks
):
    world.open()
    with django_capture_on_commit_callbacks(execute=True):
        entry = world.enter(submit=False)
    reminders = _planned("contest.entry_deadline")
    # Amur is UTC+9: 10:00 there is 01:00 UTC; the deadline is 15 March.
    assert [n.due_at for n in reminders] == [
        datetime(YEAR, 3, 8, 1, 0, tzinfo=UTC),
        datetime(YEAR, 3, 14, 1, 0, tzinfo=UTC),
    ]
    assert {n.recipient for n in reminders} == {cast.person("secretary")}
    assert {n.url for n in reminders} == {entry.get_absolute_url()}
    assert services.contest_reminders_plan(contest=world.contest) == {"planned": 0, "retimed": 0, "cancelled": 0}


def test_submitting_or_withdrawing_cancels_the_reminders(world, cast, entrant, django_capture_on_commit_callbacks):
    world.open()
    with django_capture_on_commit_callbacks(execute=True):
        first = world.enter(submit=False)
        second = world.enter(branch=entrant("sec-3", 3), role="sec-3", submit=False)
    assert len(_planned()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_submit(actor=cast.user("secretary"), entry=first)
    assert {n.recipient for n in _planned()} == {cast.person("sec-3")}
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_withdraw(actor=cast.user("sec-3"), entry=second)
    assert _planned() == []
    assert Notification.objects.filter(status=Status.CANCELLED).count() == 4


def test_moving_the_deadline_re_times_the_reminders(world, cast, django_capture_on_commit_callbacks):
    world.open()
    with django_capture_on_commit_callbacks(execute=True):
        world.enter(submit=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.contest_update(actor=cast.user("staff_a"), contest=world.contest, entries_close_on=date(YEAR, 3, 20))
    reminders = _planned()
    assert [n.due_at.date() for n in reminders] == [date(YEAR, 3, 13), date(YEAR, 3, 19)]
    assert {n.context["deadline"] for n in reminders} == {f"{YEAR}-03-20"}


def test_a_reminder_already_due_is_not_planned(world, cast, django_capture_on_commit_callbacks):
    world.open()
    world.clock.go(date(YEAR, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        world.enter(submit=False)
    assert [n.due_at.date() for n in _planned()] == [date(YEAR, 3, 14)]


def test_a_new_secretary_gets_the_reminders_of_the_old_one(world, cast, django_capture_on_commit_callbacks):
    world.open()
    with django_capture_on_commit_callbacks(execute=True):
        world.enter(submit=False)
    newcomer = branch_services.person_create(last_name="Новикова", first_name="Нина")
    branch_services.secretary_appoint(branch=cast.branch_a, person=newcomer, starts_on=ACCEPTING)
    tasks.plan_reminders()  # the hourly beat
    assert {n.recipient for n in _planned()} == {newcomer}
    assert Notification.objects.filter(status=Status.CANCELLED, recipient=cast.person("secretary")).count() == 2


def test_jurors_with_unscored_entries_are_reminded_until_they_finish(
    world, cast, entrant, second_juror, django_capture_on_commit_callbacks
):
    world.open()
    entries = [world.enter(), world.enter(branch=entrant("sec-3", 3), role="sec-3")]
    (juror,) = world.assign()
    world.assign("juror_2")
    with django_capture_on_commit_callbacks(execute=True):
        world.start_judging()
    reminders = _planned("contest.judging_deadline")
    # Judging closes on 10 April: 7 and 9 April, 10:00 in Amur.
    assert sorted((n.recipient.last_name, n.due_at) for n in reminders) == sorted(
        (name, datetime(YEAR, 4, day, 1, 0, tzinfo=UTC)) for name in ("Жюрина", "Второй") for day in (7, 9)
    )
    assert {n.context["remaining"] for n in reminders} == {2}
    with django_capture_on_commit_callbacks(execute=True):
        world.score(juror, entries[0], [5, 5, 5, 5, 3])
    mine = [n for n in _planned() if n.recipient == cast.person("juror")]
    assert {n.context["remaining"] for n in mine} == {1}
    with django_capture_on_commit_callbacks(execute=True):
        world.score(juror, entries[1], [5, 5, 5, 5, 3])
    assert {(n.recipient, n.context["remaining"]) for n in _planned()} == {(cast.person("juror_2"), 2)}


def test_publication_tells_every_entrant_once_with_their_places(
    world, cast, entrant, django_capture_on_commit_callbacks
):
    world.open()
    first = world.enter(title="Первая")
    world.enter(title="Молодёжь", theme="youth")
    world.enter(branch=entrant("sec-3", 3), role="sec-3", title="Вторая")
    (juror,) = world.assign(themes=("mentoring", "youth"))[:1]
    world.assign(themes=("youth",), role="host")
    world.start_judging()
    world.score(juror, first, [9, 9, 9, 9, 5])
    with django_capture_on_commit_callbacks(execute=True):
        world.publish()
    messages = list(Notification.objects.filter(kind="contest.results"))
    assert {m.recipient for m in messages} == {cast.person("sec-3"), cast.person("secretary")}
    assert len(messages) == 2  # one message per entrant, however many entries
    mine = next(m for m in messages if m.recipient == cast.person("secretary"))
    assert sorted(e["title"] for e in mine.context["entries"]) == ["Молодёжь", "Первая"]
    assert _planned("contest.judging_deadline") == []  # judging is over
    deliver_due()
    mine.refresh_from_db()
    assert mine.status == Status.DELIVERED
    assert mine.subject == "Итоги конкурса опубликованы"
    assert f"Конкурс первичных отделений {YEAR}: региональный этап, Амурская область" in mine.body
    assert "«Первая»: 1 место" in mine.body
    assert "«Молодёжь»: без призового места" in mine.body


def test_reminders_render_in_russian_with_the_dates_in_words(world, cast, django_capture_on_commit_callbacks):
    world.open()
    with django_capture_on_commit_callbacks(execute=True):
        world.enter(title="Школа секретаря", submit=False)
    world.clock.go(date(YEAR, 3, 9))
    deliver_due()
    message = Notification.objects.get(status=Status.DELIVERED)
    assert message.subject == "Ваша конкурсная заявка ещё черновик: подайте её до 15 марта"
    assert f"«Школа секретаря» ещё черновик. Подайте её до 15 марта {YEAR} включительно" in message.body


def test_the_juror_reminder_counts_entries_in_russian(world, cast, entrant, django_capture_on_commit_callbacks):
    world.open()
    world.enter()
    world.enter(branch=entrant("sec-3", 3), role="sec-3")
    world.assign()
    with django_capture_on_commit_callbacks(execute=True):
        world.start_judging()
    world.clock.go(date(YEAR, 4, 9))
    deliver_due()
    subjects = set(Notification.objects.filter(status=Status.DELIVERED).values_list("subject", flat=True))
    assert subjects == {"2 заявки конкурса ждут вашей оценки"}


def test_the_beat_runs_the_planner_every_hour():
    from datetime import timedelta

    entry = app.conf.beat_schedule["contests-plan-reminders"]
    assert entry["task"] == "contests.plan_reminders" and entry["schedule"] == timedelta(hours=1)
    assert "contests.plan_reminders" in app.tasks and "contests.plan_contest_reminders" in app.tasks


def test_starting_judging_cancels_the_reminders_of_drafts_that_missed_the_deadline(
    world, cast, django_capture_on_commit_callbacks
):
    world.open()
    with django_capture_on_commit_callbacks(execute=True):
        world.enter(submit=False)
    world.clock.go(JUDGING)
    world.assign()
    with django_capture_on_commit_callbacks(execute=True):
        world.contest = services.contest_start_judging(actor=cast.user("staff_a"), contest=world.contest)
    assert _planned("contest.entry_deadline") == []
    # No delivery ran in this test: both reminders were still planned, and are cancelled.
    assert Notification.objects.filter(kind="contest.entry_deadline", status=Status.CANCELLED).count() == 2
