from datetime import date

import pytest
from django.urls import reverse

from branches import services
from branches.models import PersonalDataAccess, Position, PrimaryBranch, Role

pytestmark = pytest.mark.django_db


def _edit(cast, **changes):
    """The full edit form of branch_a, with some fields changed."""
    return {
        "local_branch": cast.local_a1.pk,
        "number": 1,
        "name": "Центральная",
        "settlement": "Благовещенск",
        "address": "",
        "members_count": 40,
        "activists_count": 0,
    } | changes


def test_staff_create_a_branch_in_their_region(client_for, cast):
    response = client_for("staff_a").post(
        reverse("branches:branch_create", args=[cast.region_a.pk]),
        {"local_branch": cast.local_a1.pk, "number": 80, "name": "Новая", "members_count": 10, "activists_count": 2},
    )
    branch = PrimaryBranch.objects.get(region=cast.region_a, number=80)
    assert response.status_code == 302
    assert response.url == branch.get_absolute_url()


def test_a_duplicate_number_is_a_clear_form_error(client_for, cast):
    response = client_for("staff_a").post(
        reverse("branches:branch_create", args=[cast.region_a.pk]),
        {"local_branch": cast.local_a1.pk, "number": 1, "name": "Дубль", "members_count": 1, "activists_count": 0},
    )
    assert response.status_code == 200
    assert "с таким номером в регионе уже есть" in response.context["form"].errors["number"][0]
    assert PrimaryBranch.objects.filter(region=cast.region_a).count() == 2


def test_a_local_branch_of_another_region_is_not_a_valid_choice(client_for, cast):
    response = client_for("staff_a").post(
        reverse("branches:branch_create", args=[cast.region_a.pk]),
        {"local_branch": cast.local_b1.pk, "number": 9, "name": "Чужая", "members_count": 1, "activists_count": 0},
    )
    assert "local_branch" in response.context["form"].errors


def test_a_secretary_edits_only_the_contact_fields_of_their_branch(client_for, cast):
    client = client_for("secretary")
    response = client.get(reverse("branches:branch_edit", args=[cast.branch_a.pk]))
    assert set(response.context["form"].fields) == {"settlement", "address"}
    client.post(
        reverse("branches:branch_edit", args=[cast.branch_a.pk]),
        {"settlement": "Благовещенск", "address": "ул. Ленина, 1", "name": "Взлом", "number": 99},
    )
    cast.branch_a.refresh_from_db()
    assert cast.branch_a.address == "ул. Ленина, 1"
    assert (cast.branch_a.name, cast.branch_a.number) == ("Центральная", 1)


def test_staff_appoint_a_new_person_as_secretary(client_for, cast):
    current = Position.objects.secretaries().current().get(primary_branch=cast.branch_a)
    response = client_for("staff_a").post(
        reverse("branches:secretary_appoint", args=[cast.branch_a.pk]),
        {
            "last_name": "Новикова",
            "first_name": "Нина",
            "phone": "8 914 000-11-22",
            "starts_on": "2026-03-01",
            "decision": "Решение бюро №5",
            "replacing": current.pk,
        },
    )
    assert response.status_code == 302
    secretary = Position.objects.secretaries().current().get(primary_branch=cast.branch_a)
    assert secretary.person.full_name == "Новикова Нина"
    assert secretary.person.phone == "+79140001122"


def test_a_form_based_on_a_stale_page_is_refused_with_a_message(client_for, cast):
    response = client_for("staff_a").post(
        reverse("branches:secretary_appoint", args=[cast.branch_a.pk]),
        {"last_name": "Поздняя", "first_name": "Анна", "starts_on": "2026-03-01", "replacing": ""},
    )
    assert response.status_code == 200
    assert "только что изменил кто-то другой" in str(response.context["form"].non_field_errors())
    assert Position.objects.secretaries().current().get(primary_branch=cast.branch_a).person == cast.person("secretary")


def test_closing_a_branch_through_the_page(client_for, cast):
    response = client_for("staff_a").post(
        reverse("branches:branch_close", args=[cast.branch_a.pk]), {"closed_on": "2026-05-01", "reason": "слияние"}
    )
    assert response.status_code == 302
    cast.branch_a.refresh_from_db()
    assert cast.branch_a.closed_on == date(2026, 5, 1)


def test_the_branch_page_shows_the_history_of_changes_to_staff(client_for, cast):
    client = client_for("staff_a")
    client.post(reverse("branches:branch_edit", args=[cast.branch_a.pk]), _edit(cast, name="Центральная-2"))
    response = client.get(reverse("branches:branch", args=[cast.branch_a.pk]))
    event = next(event for event in response.context["history"] if event.changes)
    assert dict(event.changes)["название"] == ["Центральная", "Центральная-2"]
    assert event.actor == cast.user("staff_a")


def test_viewing_someone_else_s_contacts_is_logged(client_for, cast):
    client_for("staff_a").get(reverse("branches:branch", args=[cast.branch_a.pk]))
    client_for("secretary").get(reverse("branches:branch", args=[cast.branch_a.pk]))  # their own: not logged
    log = PersonalDataAccess.objects.get()
    assert (log.viewer, log.person, log.action) == (cast.user("staff_a"), cast.person("secretary"), "view")


def test_an_ended_term_gives_no_more_access(client_for, cast):
    position = Position.objects.get(person=cast.person("staff_a"), role=Role.REGIONAL_STAFF)
    services.position_end(position=position, ends_on=date(2025, 1, 1))
    response = client_for("staff_a").get(reverse("branches:branch", args=[cast.branch_a.pk]))
    assert response.status_code == 404


def test_a_malformed_id_is_a_404(client_for, cast):
    assert client_for("staff_a").get("/branches/abc/").status_code == 404
    assert client_for("staff_a").get("/branches/99999999999999999999/").status_code == 404


def test_staff_of_region_b_get_404_on_every_region_a_page(client_for, cast):
    client = client_for("staff_b")
    urls = [
        reverse("branches:branch", args=[cast.branch_a.pk]),
        reverse("branches:branch_edit", args=[cast.branch_a.pk]),
        reverse("branches:branch_close", args=[cast.branch_a.pk]),
        reverse("branches:secretary_appoint", args=[cast.branch_a.pk]),
        reverse("branches:region", args=[cast.region_a.pk]),
        reverse("branches:branch_create", args=[cast.region_a.pk]),
        reverse("branches:export", args=[cast.region_a.pk, "xlsx"]),
        reverse("branches:import", args=[cast.region_a.pk]),
        reverse("branches:person", args=[cast.person("secretary").pk]),
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)


def test_the_region_dashboard_counts_branches_and_vacancies(client_for, cast):
    response = client_for("staff_a").get(reverse("branches:region", args=[cast.region_a.pk]))
    totals = response.context["totals"]
    assert (totals["local_branches"], totals["primary_branches"], totals["without_secretary"]) == (2, 2, 1)
    assert totals["members"] == 65


def test_the_region_dashboard_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    for number in range(3):
        local = services.local_branch_create(region=cast.region_a, name=f"Местное {number}")
        services.branch_create(local_branch=local, number=10 + number, name=f"Ветка {number}", members_count=5)
    client = client_for("staff_a")
    url = reverse("branches:region", args=[cast.region_a.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (counting the navigation's unread messages too),
    # 4 the region (gate), 5 ONE statement (core.db.fetch_together) with the trunk's figures
    # (branch totals, open local branches, secretaries appointed this year, local branches
    # with their open branches, branches without a secretary by local branch) and every
    # app's section (each empty here): the same for 2 local branches or 200. With data in
    # every app: test_region_sections.py.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["per_local"]) == 5


def test_the_national_dashboard_lists_every_region(client_for, cast, django_assert_num_queries):
    client = client_for("admin")
    client.get(reverse("branches:national"))
    # 1 session, 2 user, 3 viewer positions, 4 branches by region, 5 local branches by
    # region, 6 appointments by region, 7 the regions (3 counts the unread messages too)
    with django_assert_num_queries(7):
        response = client.get(reverse("branches:national"))
    rows = {row.region.code: row for row in response.context["regions"]}
    assert len(rows) == 89
    assert (rows["28"].primary_branches, rows["28"].without_secretary) == (2, 1)


def test_the_branch_page_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    client = client_for("staff_a")
    client.post(reverse("branches:branch_edit", args=[cast.branch_a.pk]), _edit(cast, address="ул. Мира, 2"))
    client.get(reverse("branches:branch", args=[cast.branch_a.pk]))
    # 1 session, 2 user, 3 viewer positions, 4 the branch, 5 its secretaries, 6 the
    # access log insert, 7 history events, 8 their users, 9-12 the branch record (desk/record.py:
    # event lines, contest entries, bookings, mentoring pairs) (3 counts the unread messages too)
    with django_assert_num_queries(12):
        client.get(reverse("branches:branch", args=[cast.branch_a.pk]))
