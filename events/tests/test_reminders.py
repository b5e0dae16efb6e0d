"""The messages an event plans, in each recipient's own zone (Kaliningrad UTC+2, Kamchatka UTC+12)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from branches import services as branch_services
from branches.models import Region
from events import kinds, services
from events.models import Answer


@pytest.fixture
def far_apart(cast):
    """A Kamchatka regional event expecting two secretaries: one with Kaliningrad's zone, one with Kamchatka's."""
    kaliningrad, kamchatka = Region.objects.get(code="39"), Region.objects.get(code="41")
    local_41 = branch_services.local_branch_create(region=kamchatka, name="Петропавловск-Камчатское городское")
    local_39 = branch_services.local_branch_create(region=kaliningrad, name="Калининградское городское")
    branch_41 = branch_services.branch_create(local_branch=local_41, number=41, name="Авачинская")
    branch_41b = branch_services.branch_create(local_branch=local_41, number=42, name="Елизовская")
    branch_39 = branch_services.branch_create(local_branch=local_39, number=39, name="Балтийская")
    far_east = branch_services.person_create(last_name="Вулканова", first_name="Ирина")
    far_west = branch_services.person_create(last_name="Янтарная", first_name="Ольга")
    branch_services.secretary_appoint(branch=branch_41, person=far_east, starts_on=date(2020, 1, 1))
    # Secretary in Kamchatka since 2020, and (more recently) in Kaliningrad: her zone is Kaliningrad's.
    branch_services.secretary_appoint(branch=branch_41b, person=far_west, starts_on=date(2020, 1, 1))
    branch_services.secretary_appoint(branch=branch_39, person=far_west, starts_on=date(2021, 1, 1))
    staff = branch_services.person_create(last_name="Камчатская", first_name="Анна")
    branch_services.position_create(person=staff, role="regional_staff", region=kamchatka, starts_on=date(2020, 1, 1))
    # Friday 25 September 2026, 18:00 in Kamchatka (UTC+12) = 06:00 UTC.
    starts_at = datetime(2026, 9, 25, 6, 0, tzinfo=UTC)
    event = services.event_create(
        region=kamchatka,
        organiser=staff,
        title="Встреча с активом",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place="Петропавловск-Камчатский",
    )
    event = services.event_publish(event=event)
    far_east.refresh_from_db()
    far_west.refresh_from_db()
    assert (far_east.time_zone, far_west.time_zone) == ("Asia/Kamchatka", "Europe/Kaliningrad")
    return {"event": event, "east": far_east, "west": far_west, "staff": staff}


def _due(event, kind, person):
    rows = [r for r in services.event_reminders_wanted(event) if r.kind == kind and r.recipient_id == person.pk]
    return sorted(r.due_at.astimezone(UTC) for r in rows)


def test_answer_requests_and_reminders_come_at_each_recipients_own_morning(far_apart):
    event, east, west = far_apart["event"], far_apart["east"], far_apart["west"]
    # 3 days before at 10:00 local: 22 September 10:00 in Kamchatka = 21 September 22:00 UTC;
    # in Kaliningrad the event is on 25 September 08:00, so 22 September 10:00 there = 08:00 UTC.
    assert _due(event, kinds.ANSWER_REQUEST.name, east) == [datetime(2026, 9, 21, 22, 0, tzinfo=UTC)]
    assert _due(event, kinds.ANSWER_REQUEST.name, west) == [datetime(2026, 9, 22, 8, 0, tzinfo=UTC)]
    # The day before at 10:00 local, and 2 hours before (the same instant for both).
    assert _due(event, kinds.REMINDER.name, east) == [
        datetime(2026, 9, 23, 22, 0, tzinfo=UTC),
        datetime(2026, 9, 25, 4, 0, tzinfo=UTC),
    ]
    assert _due(event, kinds.REMINDER.name, west) == [
        datetime(2026, 9, 24, 8, 0, tzinfo=UTC),
        datetime(2026, 9, 25, 4, 0, tzinfo=UTC),
    ]
    assert _due(event, kinds.PUBLISHED.name, east) == [event.published_at]


def test_an_answer_stops_the_request_and_cannot_stops_the_reminders(far_apart):
    event, east = far_apart["event"], far_apart["east"]
    line = event.expected.get(person=east)
    services.answer_give(line=line, answer=Answer.WILL_COME)
    assert _due(event, kinds.ANSWER_REQUEST.name, east) == []
    assert len(_due(event, kinds.REMINDER.name, east)) == 2
    services.answer_give(line=line, answer=Answer.CANNOT, cannot_reason="illness")
    assert _due(event, kinds.REMINDER.name, east) == []


def test_a_cancellation_replaces_every_reminder_with_a_notice(far_apart):
    event = services.event_cancel(event=far_apart["event"], reason="Шторм")
    wanted = services.event_reminders_wanted(event)
    assert {r.kind for r in wanted} == {kinds.CANCELLED.name}
    assert len(wanted) == 2


def test_the_organiser_is_reminded_to_close_and_staff_are_told_after_three_days(far_apart):
    event = far_apart["event"]
    rows = services.event_reminders_wanted(event)
    close = [r for r in rows if r.kind == kinds.CLOSE_REMINDER.name]
    escalation = [r for r in rows if r.kind == kinds.CLOSE_ESCALATION.name]
    assert [(r.recipient_id, r.due_at) for r in close] == [(far_apart["staff"].pk, event.ends_at + timedelta(hours=24))]
    assert [(r.recipient_id, r.due_at) for r in escalation] == [
        (far_apart["staff"].pk, event.ends_at + timedelta(hours=72))
    ]


def test_planning_goes_through_the_engine_and_is_idempotent(far_apart):
    event = far_apart["event"]
    assert services.event_reminders_plan(event=event) == {"planned": 0, "retimed": 0, "cancelled": 0}
    event = services.event_update(
        event=event, starts_at=event.starts_at + timedelta(hours=1), ends_at=event.ends_at + timedelta(hours=1)
    )
    assert services.event_reminders_plan(event=event)["planned"] == 0
