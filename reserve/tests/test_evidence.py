"""Decisions freeze the record; the live record moves on; the ranking shows its parts; appointment promotes."""

from datetime import date

import pytest
from django.urls import reverse

from branches import services as branch_services
from branches.models import PersonalDataAccess
from notifications.models import Notification
from reserve import selectors, services
from reserve.models import Status
from reserve.tests.conftest import nominated, regional_pool

pytestmark = pytest.mark.django_db


def test_a_snapshot_survives_later_changes_unchanged(cast, client_for):
    nomination = nominated(cast)
    frozen = dict(nomination.snapshots.get().record)
    assert frozen["secretary_terms"] == 1
    # Later the secretary's term ends: the live record changes, the snapshot does not.
    branch_services.position_end(
        position=cast.person("secretary").positions.get(role="primary_secretary"), ends_on=date(2026, 9, 1)
    )
    assert nomination.snapshots.get().record == frozen
    page = client_for("staff_a").get(reverse("reserve:nomination", args=[nomination.pk]))
    html = page.content.decode()
    assert 'data-testid="frozen-record"' in html
    assert 'data-changed="1"' in html  # the live days as secretary differ from the frozen ones


def test_every_decision_adds_a_version(cast):
    nomination = nominated(cast)
    included = services.nomination_decide(
        nomination=nomination, version=1, status=Status.INCLUDED, by=cast.person("staff_a"), decision_ref="№ 7"
    )
    versions = list(included.snapshots.values_list("version", "status", "decision_ref"))
    assert versions == [(1, "nominated", ""), (2, "included", "№ 7")]


def test_the_score_is_the_weighted_mean_of_the_parts():
    record = {
        "secretary_days": 730,  # 2 years → 2.0
        "council_terms": 1,  # → 2.0
        "receptions_held": 4,
        "requests_closed": 12,  # capped at 10
        "events_expected": 4,
        "events_attended": 3,  # → 7.5
        "contest_entries": 2,
        "best_place": 1,  # 2 + 5 → 7.0
        "course": "completed",  # → 10
        "mentor_completed": 1,
        "mentor_active": 1,  # 3 + 1 → 4.0
        "assignments_due": 4,
        "assignments_on_time": 2,  # → 5.0
    }
    parts = selectors.parts_of(record)
    assert parts == {
        "secretary": 2.0,
        "council": 2.0,
        "receptions": 4.0,
        "requests": 10.0,
        "events": 7.5,
        "contests": 7.0,
        "course": 10.0,
        "mentoring": 4.0,
        "assignments": 5.0,
    }
    weights = selectors.DEFAULT_WEIGHTS
    expected = (3 * 2 + 2 * 2 + 1 * 4 + 1 * 10 + 2 * 7.5 + 1 * 7 + 2 * 10 + 1 * 4 + 2 * 5) / 15
    assert selectors.score(parts, weights) == round(expected, 2)
    assert selectors.score(parts, {**dict.fromkeys(weights, 0), "course": 1}) == 10.0


def test_the_region_sets_the_weights(cast, pool):
    services.weights_set(region=cast.region_a, weights={**selectors.DEFAULT_WEIGHTS, "course": 9})
    assert selectors.weights_for(cast.region_a.pk)["course"] == 9
    assert "9 × " in selectors.formula(selectors.weights_for(cast.region_a.pk))


def test_appointing_an_included_member_promotes_the_nomination(cast):
    person = branch_services.person_create(last_name="Резервова", first_name="Римма")
    branch_services.position_create(
        person=person, role="regional_staff", region=cast.region_a, starts_on=date(2025, 1, 1)
    )
    nomination = nominated(cast, person=person)
    services.nomination_decide(nomination=nomination, version=1, status=Status.INCLUDED, by=None, decision_ref="№ 3")
    branch_services.secretary_appoint(branch=cast.branch_a2, person=person, starts_on=date(2026, 9, 16))
    nomination.refresh_from_db()
    assert nomination.status == Status.PROMOTED
    assert nomination.snapshots.count() == 3


def test_appointing_someone_merely_nominated_leaves_the_nomination(cast):
    person = branch_services.person_create(last_name="Резервова", first_name="Римма")
    nomination = nominated(cast, person=person)
    branch_services.secretary_appoint(branch=cast.branch_a2, person=person, starts_on=date(2026, 9, 16))
    nomination.refresh_from_db()
    assert nomination.status == Status.NOMINATED


def test_the_owner_is_reminded_on_the_review_date(cast):
    pool = regional_pool(cast, review_on=date(2026, 12, 1))
    planned = Notification.objects.get(key__startswith=f"reserve.pool.{pool.pk}.")
    assert planned.recipient_id == cast.person("staff_a").pk
    assert planned.kind == "reserve.review_due"
    services.pool_update(pool=pool, is_open=False)
    planned.refresh_from_db()
    assert planned.status == "cancelled"


def test_every_view_of_someone_elses_record_is_logged(cast, client_for):
    nomination = nominated(cast)
    client = client_for("staff_a")
    client.get(reverse("reserve:nomination", args=[nomination.pk]))
    client.get(reverse("reserve:pool", args=[nomination.pool_id]))
    client.get(reverse("reserve:pool_export", args=[nomination.pool_id]))
    logged = PersonalDataAccess.objects.filter(viewer=cast.user("staff_a")).order_by("at", "pk")
    assert [(row.action, row.person_id) for row in logged] == [
        ("view", nomination.person_id),
        ("view", nomination.person_id),
        ("export", None),
    ]


def test_the_pool_page_runs_a_fixed_number_of_queries(cast, client_for, django_assert_num_queries):
    # The posts of the demo's regional pool: the trunk's, and the council's two kinds of term.
    pool = regional_pool(cast, posts=["local_secretary", "council_representative", "council_chair"])
    nominated(cast, pool)
    nominated(cast, pool, person=cast.person("host"))
    client = client_for("staff_a")
    client.get(reverse("reserve:pool", args=[pool.pk]))
    # 1 session, 2 user, 3 viewer positions (with the unread count in the navigation), 4 the
    # pool, 5 its nominations with people (active and closed), 6 weights, 7 the records'
    # figures in one statement (desk/record.py), 8 the access log insert, 9 trunk term ends,
    # 10 representatives' term ends, 11 chairs' term ends, 12 ready-now counts
    with django_assert_num_queries(12):
        client.get(reverse("reserve:pool", args=[pool.pk]))


def test_a_secretary_sees_whether_they_are_nominated_and_nothing_else(cast, client_for):
    nominated(cast)
    page = client_for("secretary").get(reverse("reserve:mine"))
    html = page.content.decode()
    assert "Резерв Амурской области" in html
    assert 'data-testid="ranking"' not in html


def test_the_owner_desk_shows_the_review_coming_and_nominations_waiting(cast):
    from core.access import viewer_for
    from reserve.selectors import desk_items

    pool = regional_pool(cast, review_on=date(2026, 10, 1))  # 15 days after the frozen clock
    nominated(cast, pool)
    items = {item.title: item for item in desk_items(viewer_for(cast.user("staff_a")))}
    assert items[f"Ежегодный пересмотр резерва {pool.title}"].url == pool.get_absolute_url()
    assert items[f"Кандидатуры ждут решения: {pool.title}"].count == 1
    assert desk_items(viewer_for(cast.user("secretary"))) == []


def test_a_term_ending_within_a_year_with_nobody_ready_now_raises_an_alert(cast, client_for):
    holder = branch_services.person_create(last_name="Местный", first_name="Михаил")
    branch_services.position_create(
        person=holder,
        role="local_secretary",
        local_branch=cast.local_a1,
        starts_on=date(2022, 1, 1),
        ends_on=date(2027, 3, 1),
    )
    pool = regional_pool(cast, posts=["local_secretary"])
    nominated(cast, pool, readiness="soon")
    [row] = selectors.region_demand(cast.region_a)
    assert (row.post, len(row.ending), row.ready_now, row.alert) == ("local_secretary", 1, 0, True)
    assert row.next_end == date(2027, 3, 1)
    [coverage] = selectors.national_coverage()
    assert (coverage.region, coverage.ending, coverage.lacking) == (cast.region_a, 1, 1)
    desk = client_for("staff_a").get(reverse("desk:home")).context["items"]
    [alert] = [item for item in desk if item.url == reverse("reserve:demand", args=[cast.region_a.pk])]
    assert alert.count == 1
    other_region = client_for("staff_b").get(reverse("desk:home")).context["items"]
    assert not [item for item in other_region if item.url.endswith("/reserve/demand/")]

    nominated(cast, pool, person=cast.person("host"), readiness="now")
    [row] = selectors.region_demand(cast.region_a)
    assert (row.ready_now, row.alert) == (1, False)
    assert selectors.lacking_posts([cast.region_a.pk]) == {}
    page = client_for("staff_a").get(reverse("reserve:demand", args=[cast.region_a.pk]))
    assert "Местный Михаил" in page.content.decode()


def test_the_nomination_and_coverage_pages_run_a_fixed_number_of_queries(cast, client_for, django_assert_num_queries):
    nomination = nominated(cast, regional_pool(cast, posts=["local_secretary", "council_chair"]))
    staff, admin = client_for("staff_a"), client_for("admin")
    staff.get(nomination.get_absolute_url())
    admin.get(reverse("reserve:national"))
    # 1 session, 2 user, 3 viewer positions (with the navigation's badge), 4 the nomination
    # with pool, people, 5 its snapshots, 6 the access log insert, 7-9 the live record (its
    # figures, the posts and the council seats held today)
    with django_assert_num_queries(9):
        staff.get(nomination.get_absolute_url())
    # 1 session, 2 user, 3 viewer positions (with the navigation's badge), 4 regions, 5 open
    # pools, 6 the trunk's term ends, 7 the council chairs' term ends, 8 ready-now counts
    with django_assert_num_queries(8):
        admin.get(reverse("reserve:national"))
