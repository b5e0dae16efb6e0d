"""The data migration that turned follow-ups of receptions into assignments (receptions 0004).

The old table is created again inside the test's transaction (PostgreSQL's DDL is
transactional, so it is gone at the end), filled the old way, and the migration's
forward step moves it.
"""

import importlib
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from assignments.models import Assignment, Event
from receptions.tests.factories import book

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("receptions.migrations.0004_follow_ups_to_assignments")


def test_follow_ups_become_assignments_of_the_host_with_their_history(cast, frozen):
    booking = book(cast)
    frozen.move_to(booking.slot.ends_at)
    booking.status, booking.outcome_recorded_at = "held", booking.slot.ends_at
    booking.save()
    state = MigrationLoader(connection).project_state(("receptions", "0004_follow_ups_to_assignments"))
    old = state.apps.get_model("receptions", "FollowUp")
    with connection.schema_editor() as editor:
        editor.create_model(old)
    rows = [
        ("request", "Отсыпать дорогу", "Администрация района", date(2026, 7, 1), "open"),
        ("task", "Запрос в министерство", "Помощник", date(2026, 7, 8), "done"),
        ("task", "Собрать подписи", "Секретарь", date(2026, 7, 15), "dropped"),
    ]
    for kind, text, owner, due_on, status in rows:
        old.objects.create(booking_id=booking.pk, kind=kind, text=text, owner=owner, due_on=due_on, status=status)

    MIGRATION.forward(state.apps, None)

    moved = list(Assignment.objects.select_related("directive").order_by("due_on"))
    assert [(a.directive.kind, a.directive.title, a.directive.owner, a.due_on, a.state) for a in moved] == [
        ("request", "Отсыпать дорогу", "Администрация района", date(2026, 7, 1), "open"),
        ("task", "Запрос в министерство", "Помощник", date(2026, 7, 8), "accepted"),
        ("task", "Собрать подписи", "Секретарь", date(2026, 7, 15), "dropped"),
    ]
    assert {(a.person_id, a.region_id, a.directive.issued_by_id) for a in moved} == {
        (booking.host_id, booking.branch.region_id, booking.host_id)
    }
    assert {a.directive.source_key for a in moved} == {f"receptions.booking.{booking.pk}"}
    assert list(Event.objects.filter(assignment=moved[1]).values_list("state", flat=True)) == ["open", "accepted"]
    # The reception's page reads them where they now live.
    from receptions import selectors

    assert [row.status for row in selectors.follow_ups(booking)] == ["open", "done", "dropped"]
