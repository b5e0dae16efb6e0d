from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from assignments import figures, services
from assignments.models import Assignment, Directive, Event, State
from assignments.tests.helpers import DUE, ISSUED, issue, local_secretary
from branches.models import Region, Role
from core.db import save_or_explain
from core.testing import run_concurrently


def test_a_directive_to_every_region_fans_out_to_one_assignment_each_in_one_transaction(cast):
    directive = issue(to=services.Addressees(all_regions=True))
    assert directive.assignments.count() == Region.objects.count() == 89
    assert Event.objects.filter(assignment__directive=directive, state=State.OPEN).count() == 89


def test_a_fan_out_that_breaks_a_rule_leaves_nothing_behind(cast):
    with pytest.raises(ValidationError):
        issue(to=services.Addressees(regions=(cast.region_a, cast.region_a)))
    assert not Directive.objects.exists()
    assert not Assignment.objects.exists()


def test_the_due_date_cannot_come_before_the_decision(cast):
    with pytest.raises(ValidationError) as error:
        issue(to=services.Addressees(regions=(cast.region_a,)), due_on=ISSUED - timedelta(days=1))
    assert error.value.code == "directive_due_after_issue"
    directive = issue(to=services.Addressees(regions=(cast.region_a,)))
    assignment = directive.assignments.get()
    assignment.due_on = ISSUED - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        save_or_explain(assignment, fields=["due_on"])
    assert error.value.code == "assignment_due_after_issue"


def test_a_post_resolves_to_its_holders_on_the_day(cast):
    from branches import services as branches

    branches.position_create(
        person=cast.person("host"), role=Role.REGIONAL_SECRETARY, region=cast.region_a, starts_on=date(2020, 1, 1)
    )
    directive = issue(to=services.Addressees(post=Role.REGIONAL_SECRETARY))
    assignment = directive.assignments.get()
    assert (assignment.person, assignment.region, assignment.via_post) == (
        cast.person("host"),
        cast.region_a,
        Role.REGIONAL_SECRETARY,
    )


def test_report_accept_return_and_report_again_each_leave_a_history_row(cast):
    directive = issue(to=services.Addressees(regions=(cast.region_a,)))
    assignment = directive.assignments.get()
    services.assignment_report(assignment=assignment, by=cast.person("staff_a"), report="Провели")
    services.assignment_return(assignment=assignment, by=cast.person("admin"), note="Нет списка")
    services.assignment_report(assignment=assignment, by=cast.person("staff_a"), report="Провели, список приложен")
    services.assignment_accept(assignment=assignment, by=cast.person("admin"))
    events = list(assignment.events.order_by("at", "pk").values_list("state", "by__last_name"))
    assert events == [
        ("open", None),
        ("reported", "Аппаратова"),
        ("returned", "Федоров"),
        ("reported", "Аппаратова"),
        ("accepted", "Федоров"),
    ]


def test_an_accepted_assignment_cannot_change_without_being_returned_first(cast):
    directive = issue(to=services.Addressees(regions=(cast.region_a,)))
    assignment = directive.assignments.get()
    services.assignment_report(assignment=assignment, by=None, report="Сделано")
    services.assignment_accept(assignment=assignment, by=None)
    with pytest.raises(ValidationError):
        services.assignment_report(assignment=assignment, by=None, report="Ещё раз")
    # Around the service, straight to the database: the constraint trigger refuses.
    for change in ({"report": "Переписано"}, {"state": State.OPEN}, {"due_on": DUE + timedelta(days=5)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assignment.objects.filter(pk=assignment.pk).update(**change)
    assignment.refresh_from_db()
    assignment.report = "Переписано"
    with pytest.raises(ValidationError) as error:
        save_or_explain(assignment, fields=["report"])
    assert error.value.code == "assignment_state_moves"
    services.assignment_return(assignment=assignment, by=None, note="Пересмотр")
    assert Assignment.objects.get(pk=assignment.pk).state == State.RETURNED


def test_passing_down_makes_sub_assignments_and_the_parent_shows_their_progress(cast):
    from assignments.selectors import with_progress

    directive = issue(to=services.Addressees(regions=(cast.region_a,)))
    region_assignment = directive.assignments.get()
    children = services.assignment_pass_down(
        assignment=region_assignment, local_branches=[cast.local_a1, cast.local_a2], by=cast.person("staff_a")
    )
    services.assignment_report(assignment=children[0], by=None, report="Готово")
    services.assignment_accept(assignment=children[0], by=cast.person("staff_a"))
    parent = with_progress(Assignment.objects.filter(pk=region_assignment.pk)).get()
    assert (parent.parts, parent.parts_done) == (2, 1)
    with pytest.raises(ValidationError):
        services.assignment_pass_down(assignment=region_assignment, local_branches=[cast.local_b1], by=None)
    with pytest.raises(ValidationError):
        services.assignment_pass_down(assignment=region_assignment, local_branches=[cast.local_a1], by=None)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_reports_one_wins_the_other_is_told_who_reported(cast):
    directive = issue(to=services.Addressees(regions=(cast.region_a,)))
    assignment = directive.assignments.get()
    people = [cast.person("staff_a"), cast.person("admin")]

    def report(person):
        services.assignment_report(assignment=assignment, by=person, report=f"Отчёт {person.last_name}")
        return "reported"

    outcomes = run_concurrently(report, people, expected_errors=(ValidationError,))
    assert sorted(outcome if isinstance(outcome, str) else outcome.code for outcome in outcomes) == [
        "already_reported",
        "reported",
    ]
    refused = next(outcome for outcome in outcomes if not isinstance(outcome, str))
    winner = "Аппаратова" if "Федоров" not in refused.messages[0] else "Федоров"
    assert winner in refused.messages[0]  # the message names who reported first
    assert Assignment.objects.get(pk=assignment.pk).report == f"Отчёт {winner}"
    assert Event.objects.filter(assignment=assignment, state=State.REPORTED).count() == 1


def test_a_measured_assignment_follows_its_figure_and_changes_state_exactly_once_when_it_crosses(cast):
    values = iter([Decimal(40), Decimal(60), Decimal(80), Decimal(90)])
    figures.register("test.share", label="share", compute=lambda **kwargs: next(values))
    figures.sync()
    directive = issue(to=services.Addressees(regions=(cast.region_a,)), figure="test.share", target=Decimal(75))
    assignment = directive.assignments.get()
    today = date(2026, 9, 16)
    states = [services.assignment_measure(assignment=assignment, today=today).state for _ in range(4)]
    assert states == ["open", "open", "accepted", "accepted"]
    history = list(assignment.events.order_by("at", "pk").values_list("state", "value"))
    assert history == [
        ("open", None),
        ("open", Decimal("40.00")),
        ("open", Decimal("60.00")),
        ("accepted", Decimal("80.00")),
        ("accepted", Decimal("90.00")),
    ]
    assert [state for state, _ in history].count("accepted") == 2  # one move, then a check on the same side
    with pytest.raises(ValidationError):
        services.assignment_report(assignment=assignment, by=None, report="Сам")


def test_a_measured_assignment_names_a_known_figure(cast):
    with pytest.raises(ValidationError):
        issue(to=services.Addressees(regions=(cast.region_a,)), figure="nobody.knows", target=Decimal(1))
    # A foreign key to the Figure table (deferred like every Django foreign key: checked here at once).
    with pytest.raises(IntegrityError), transaction.atomic():
        Directive.objects.create(
            source_key="x",
            source_label="x",
            title="x",
            issued_on=ISSUED,
            due_on=DUE,
            figure_id="nobody.knows",
            target=Decimal(1),
        )
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_registered_figures_are_in_the_table(cast):
    from assignments.models import Figure

    codes = set(Figure.objects.values_list("code", flat=True))
    assert {"branches.with_secretary", "receptions.hosts_at_norm", "councils.seats_filled"} <= codes


def test_the_secretary_figure_counts_branches_with_a_secretary(cast):
    # Region A: branch_a has the cast's secretary, branch_a2 has none.
    value = figures.compute(
        "branches.with_secretary", region_id=cast.region_a.pk, local_branch_id=None, today=date(2026, 9, 16)
    )
    assert value == Decimal("50.00")
    local = figures.compute(
        "branches.with_secretary", region_id=cast.region_a.pk, local_branch_id=cast.local_a1.pk, today=date(2026, 9, 16)
    )
    assert local == Decimal("100.00")


def test_a_local_branch_assignment_is_reported_by_its_secretary(cast):
    secretary = local_secretary(cast.local_a1)
    from assignments.access import can_report
    from core.access import Viewer

    directive = issue(to=services.Addressees(local_branches_of=(cast.region_a,)))
    assignment = directive.assignments.get(local_branch=cast.local_a1)
    viewer = Viewer(user_id=1, person_id=secretary.pk)
    assert can_report(viewer, assignment, frozenset({cast.local_a1.pk}))
    assert not can_report(viewer, directive.assignments.get(local_branch=cast.local_a2), frozenset({cast.local_a1.pk}))
