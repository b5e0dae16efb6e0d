"""The activity record: figures from each app's selectors, in a fixed number of queries."""

from datetime import date

from django.urls import reverse

from branches import services as branch_services
from desk.record import person_figures, person_records
from mentorship.tests.conftest import active_pair, running_programme


def test_the_record_counts_a_secretary_term_and_a_mentoring_pair(cast):
    mentee_secretary = branch_services.person_create(last_name="Заречнова", first_name="Зоя")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=mentee_secretary, starts_on=date(2020, 1, 1))
    active_pair(running_programme(cast.region_a), cast.branch_a, cast.branch_a2)
    secretary = cast.person("secretary")

    records = person_records([secretary.pk, mentee_secretary.pk], today=date(2026, 9, 16))

    mine = records[secretary.pk]
    assert mine["secretary_terms"] == 1
    assert mine["secretary_days"] == (date(2026, 9, 16) - date(2020, 1, 1)).days
    assert len(mine["current_posts"]) == 1
    assert mine["mentor_pairs"] == 1
    assert mine["mentor_active"] == 1
    assert records[mentee_secretary.pk]["mentee_pairs"] == 1
    assert mine["course"] in {"none", "open"}
    assert mine["events_expected"] == 0


def test_the_record_costs_three_queries_for_one_person_or_many(cast, django_assert_num_queries):
    ids = [cast.person(role).pk for role in ("secretary", "staff_a", "host")]
    # the figures of every app in one statement, the posts held today, the council seats held today
    with django_assert_num_queries(3):
        person_records(ids[:1])
    with django_assert_num_queries(3):
        person_records(ids)


def test_the_figures_of_a_queryset_of_people_are_one_statement_and_match_the_record(cast, django_assert_num_queries):
    from branches.models import Person

    people = Person.objects.filter(pk__in=[cast.person(role).pk for role in ("secretary", "staff_a")]).values("pk")
    with django_assert_num_queries(1):
        figures = person_figures(people)
    records = person_records(list(figures))
    assert set(figures) == {cast.person("secretary").pk, cast.person("staff_a").pk}
    for pk, record in records.items():
        assert {key: record[key] for key in figures[pk]} == figures[pk]
    assert figures[cast.person("secretary").pk]["secretary_terms"] == 1


def test_the_person_page_shows_the_record_with_its_sources(cast, client_for):
    page = client_for("staff_a").get(reverse("branches:person", args=[cast.person("secretary").pk]))
    html = page.content.decode()
    assert 'data-testid="activity-record"' in html
    assert 'data-figure="secretary_terms"' in html
    assert reverse("training:region", kwargs={"region_pk": cast.region_a.pk}) in html


def test_the_secretary_sees_their_own_record(cast, client_for):
    page = client_for("secretary").get(reverse("branches:person", args=[cast.person("secretary").pk]))
    assert 'data-testid="activity-record"' in page.content.decode()
    assert reverse("training:mine") in page.content.decode()


def test_the_branch_page_shows_the_branch_record(cast, client_for):
    page = client_for("staff_a").get(reverse("branches:branch", args=[cast.branch_a.pk]))
    assert 'data-testid="branch-record"' in page.content.decode()


def test_the_record_counts_assignments_reported_by_their_due_date(cast):
    from datetime import UTC, datetime

    import time_machine

    from assignments import services as assignments
    from assignments.tests.helpers import issue

    secretary, host = cast.person("secretary"), cast.person("host")
    directive = issue(
        to=assignments.Addressees(people=(secretary, host), people_region=cast.region_a), due_on=date(2026, 9, 20)
    )
    by_person = {assignment.person_id: assignment for assignment in directive.assignments.all()}
    assignments.assignment_report(assignment=by_person[secretary.pk], by=secretary, report="Сделано")  # 16 September
    with time_machine.travel(datetime(2026, 9, 25, 6, 0, tzinfo=UTC), tick=False):
        assignments.assignment_report(assignment=by_person[host.pk], by=host, report="С опозданием")
        records = person_records([secretary.pk, host.pk])

    assert (records[secretary.pk]["assignments_due"], records[secretary.pk]["assignments_on_time"]) == (1, 1)
    assert (records[host.pk]["assignments_due"], records[host.pk]["assignments_on_time"]) == (1, 0)
