import re

import pytest
from django.db import connection
from django.urls import reverse

from branches import services
from branches.models import PrimaryBranch
from branches.selectors import SORTS, BranchFilters, filter_branches

pytestmark = pytest.mark.django_db


def _add_branches(local_branch, count, start=100):
    for number in range(start, start + count):
        services.branch_create(local_branch=local_branch, number=number, name=f"Ветка {number}", members_count=number)


def _numbers(response):
    return [branch.number for branch in response.context["page"].rows]


def test_staff_see_only_their_region(client_for, cast):
    response = client_for("staff_b").get(reverse("branches:list"))
    assert _numbers(response) == [80]
    response = client_for("staff_a").get(reverse("branches:list"))
    assert _numbers(response) == [1, 2]


def test_each_row_names_the_current_secretary(client_for, cast):
    response = client_for("staff_a").get(reverse("branches:list"))
    names = {branch.number: branch.secretary_name for branch in response.context["page"].rows}
    assert names == {1: "Секретарёва Светлана Ивановна", 2: None}


def test_a_secretary_sees_only_their_branch(client_for, cast):
    response = client_for("secretary").get(reverse("branches:list"))
    assert _numbers(response) == [1]


def test_an_administrator_sees_every_region(client_for, cast):
    response = client_for("admin").get(reverse("branches:list"))
    assert response.context["total"] == 3


def test_search_finds_a_branch_by_number_or_by_name(client_for, cast):
    staff = client_for("staff_a")
    assert _numbers(staff.get(reverse("branches:list"), {"q": "№2"})) == [2]
    assert _numbers(staff.get(reverse("branches:list"), {"q": "заречн"})) == [2]
    assert _numbers(staff.get(reverse("branches:list"), {"q": "благовещ"})) == [1]


def test_filters_narrow_by_local_branch_and_vacancy(client_for, cast):
    staff = client_for("staff_a")
    assert _numbers(staff.get(reverse("branches:list"), {"local_branch": cast.local_a2.pk})) == [2]
    assert _numbers(staff.get(reverse("branches:list"), {"secretary": "no"})) == [2]
    assert _numbers(staff.get(reverse("branches:list"), {"secretary": "yes"})) == [1]


def test_closed_branches_leave_the_default_list(client_for, cast):
    from datetime import date

    services.branch_close(branch=cast.branch_a2, closed_on=date(2026, 1, 10))
    staff = client_for("staff_a")
    assert _numbers(staff.get(reverse("branches:list"))) == [1]
    assert _numbers(staff.get(reverse("branches:list"), {"status": "closed"})) == [2]


def test_the_count_stops_past_its_cap(client_for, cast, settings, monkeypatch):
    from branches import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    response = client_for("staff_a").get(reverse("branches:list"))
    assert response.context["total_capped"]
    assert "Найдено больше 1 отделений" in response.content.decode()


def test_a_page_past_the_end_still_counts_the_branches(client_for, cast):
    from core.pagination import encode_cursor

    staff = client_for("staff_a")
    first = staff.get(reverse("branches:list"))
    assert first.context["total"] == 2  # carried by the page's rows
    beyond = encode_cursor([10**6, 10**9])  # an old cursor past the last branch: no row carries the total
    response = staff.get(reverse("branches:list"), {"after": beyond})
    assert response.context["page"].rows == [] and response.context["total"] == 2


def test_bad_filter_values_fall_back_instead_of_failing(client_for, cast):
    response = client_for("staff_a").get(
        reverse("branches:list"), {"local_branch": "abc", "size": "9999", "after": "!!!", "sort": "evil"}
    )
    assert response.status_code == 200
    assert _numbers(response) == [1, 2]


def test_keyset_pages_walk_forward_backward_and_to_the_end(client_for, cast):
    _add_branches(cast.local_a1, 23)  # 25 branches: numbers 1, 2, 100..122
    staff = client_for("staff_a")
    first = staff.get(reverse("branches:list"), {"size": 10})
    assert _numbers(first) == [1, 2, *range(100, 108)]
    second = staff.get(reverse("branches:list"), {"size": 10, "after": first.context["page"].next_cursor})
    assert _numbers(second) == list(range(108, 118))
    back = staff.get(reverse("branches:list"), {"size": 10, "before": second.context["page"].prev_cursor})
    assert _numbers(back) == _numbers(first)
    last = staff.get(reverse("branches:list"), {"size": 10, "last": 1})
    assert _numbers(last) == list(range(113, 123))
    assert last.context["page"].is_last and not last.context["page"].is_first


def test_sorting_by_members_keeps_keyset_order(client_for, cast):
    _add_branches(cast.local_a1, 12)
    staff = client_for("staff_a")
    first = staff.get(reverse("branches:list"), {"size": 10, "sort": "-members"})
    second = staff.get(
        reverse("branches:list"), {"size": 10, "sort": "-members", "after": first.context["page"].next_cursor}
    )
    members = [b.members_count for b in first.context["page"].rows + second.context["page"].rows]
    assert members == sorted(members, reverse=True)
    assert len(members) == 14


def test_htmx_requests_get_only_the_results(client_for, cast):
    response = client_for("staff_a").get(reverse("branches:list"), {"q": "1"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content
    assert b'data-testid="total"' in response.content


def _chosen_size(response) -> str:
    """The option marked selected in the page-size select ("" when none is)."""
    select = re.search(r'<select name="size".*?</select>', response.content.decode(), re.S)
    assert select is not None
    chosen = re.findall(r'<option value="(\d+)" selected>', select.group(0))
    return chosen[0] if chosen else ""


def test_the_page_size_select_shows_the_size_in_use_and_a_filter_keeps_it(client_for, cast):
    _add_branches(cast.local_a1, 30)
    staff = client_for("staff_a")
    plain = staff.get(reverse("branches:list"))
    assert len(plain.context["page"].rows) == 32 and _chosen_size(plain) == "50"  # the default, shown
    chosen = staff.get(reverse("branches:list"), {"size": 10})
    assert len(chosen.context["page"].rows) == 10 and _chosen_size(chosen) == "10"
    # The form sends every field, the size among them, when a filter changes (htmx or not).
    filtered = staff.get(
        reverse("branches:list"), {"size": 10, "secretary": "no", "q": ""}, headers={"HX-Request": "true"}
    )
    assert len(filtered.context["page"].rows) == 10
    full = staff.get(reverse("branches:list"), {"size": 10, "secretary": "no"})
    assert _chosen_size(full) == "10"
    bad = staff.get(reverse("branches:list"), {"size": 7})  # not offered: the default, and it says so
    assert len(bad.context["page"].rows) == 32 and _chosen_size(bad) == "50"


@pytest.mark.parametrize("size", [10, 50])
def test_the_list_runs_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries, size):
    _add_branches(cast.local_a1, 60)
    staff = client_for("staff_a")
    staff.get(reverse("branches:list"))  # warm the session (the idle timer writes once a minute)
    # 1 session, 2 user, 3 the viewer's positions with the unread count of the navigation,
    # 4 the page of branches with their secretaries and the total (an InitPlan of the same
    # statement), 5 the local-branch choices of the filter (read as the form renders)
    with django_assert_num_queries(5):
        response = staff.get(reverse("branches:list"), {"size": size})
    assert len(response.context["page"].rows) == size


def test_the_national_list_runs_four_queries(client_for, cast, django_assert_num_queries):
    _add_branches(cast.local_a1, 60)
    admin = client_for("admin")
    admin.get(reverse("branches:list"))  # warm the session and the region choices
    # 1 session, 2 user, 3 the viewer's positions with the unread count of the navigation,
    # 4 the page of branches with their secretaries and the total (one statement); the
    # region choices come from the per-process list (branches.selectors.region_choices),
    # the local branches wait for a region
    with django_assert_num_queries(4):
        response = admin.get(reverse("branches:list"), {"size": 50})
    assert len(response.context["page"].rows) == 50
    assert b'<option value="%d"' % cast.region_b.pk in response.content


def test_the_region_choices_follow_a_renamed_region_after_forgetting(client_for, cast):
    from branches.selectors import region_choices, region_choices_forget

    assert (cast.region_a.pk, cast.region_a.name) in region_choices()
    type(cast.region_a).objects.filter(pk=cast.region_a.pk).update(name="Приамурье")
    assert (cast.region_a.pk, "Приамурье") not in region_choices()  # cached
    region_choices_forget()
    assert (cast.region_a.pk, "Приамурье") in region_choices()
    assert region_choices(frozenset({cast.region_b.pk})) == [(cast.region_b.pk, cast.region_b.name)]


def _explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def many_branches(cast):
    """30,000 branches in region A, written in one statement and analysed, so the planner sees real sizes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO branches_primarybranch
                (region_id, local_branch_id, number, name, settlement, address, members_count, activists_count)
            SELECT %s, %s, 1000 + n, 'Ветка ' || n, 'Посёлок ' || (n %% 300), '', n %% 90, 0
            FROM generate_series(1, 30000) AS n
            """,
            [cast.region_a.pk, cast.local_a1.pk],
        )
        # What autovacuum does in production: merge GIN pending lists, refresh statistics.
        cursor.execute("SELECT gin_clean_pending_list('primary_branch_name_trgm')")
        cursor.execute("SELECT gin_clean_pending_list('primary_branch_settlement_trgm')")
        cursor.execute("ANALYZE branches_primarybranch")


def test_name_search_uses_the_trigram_indexes(cast, many_branches):
    queryset = filter_branches(PrimaryBranch.objects.all(), BranchFilters(q="голик"))
    plan = _explain(queryset.order_by(*SORTS["number"].order_by())[:51])
    assert "primary_branch_name_trgm" in plan, plan
    assert "primary_branch_settlement_trgm" in plan, plan


def test_number_search_uses_the_region_number_index(cast, many_branches):
    queryset = filter_branches(PrimaryBranch.objects.filter(region=cast.region_a), BranchFilters(q="№4080"))
    assert "primary_branch_number_unique_in_region" in _explain(queryset)


def test_the_first_page_walks_the_region_number_index(cast, many_branches):
    queryset = filter_branches(PrimaryBranch.objects.filter(region=cast.region_a), BranchFilters())
    assert "primary_branch_number_unique_in_region" in _explain(queryset.order_by(*SORTS["number"].order_by())[:51])
