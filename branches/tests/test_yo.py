"""ё and е alike: «Семенов» finds «Семёнов» (and back), in branch names and people, still on the trigram indexes."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Person, PrimaryBranch
from branches.selectors import BranchFilters, filter_branches
from core.search import filter_folded

pytestmark = pytest.mark.django_db


def _explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table: ask whether an index can serve the condition (only a bitmap scan may, which needs one).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_branch_search_treats_yo_and_ye_alike(cast):
    services.branch_create(local_branch=cast.local_a1, number=7, name="Озёрная", settlement="Зелёный Бор")
    services.branch_create(local_branch=cast.local_a1, number=8, name="Берёзовая")

    def found(text):
        return [b.name for b in filter_branches(PrimaryBranch.objects.order_by("number"), BranchFilters(q=text))]

    assert found("озерн") == ["Озёрная"]
    assert found("ОЗЁРН") == ["Озёрная"]
    assert found("зеленый") == ["Озёрная"]  # by settlement
    assert found("березов") == ["Берёзовая"]


def test_people_search_treats_yo_and_ye_alike(client_for, cast):
    semyonov = services.person_create(last_name="Семёнов", first_name="Сергей")
    services.secretary_appoint(branch=cast.branch_a2, person=semyonov, starts_on=timezone.localdate())
    response = client_for("staff_a").get(reverse("branches:person_search"), {"q": "Семенов"})
    assert [p.last_name for p in response.context["people"]] == ["Семёнов"]
    assert list(filter_folded(Person.objects.all(), ["last_name"], "секретарева")) == [cast.person("secretary")]


def test_the_folded_searches_use_the_trigram_indexes(cast):
    """At scale: test_branch_list.test_name_search_uses_the_trigram_indexes (30,000 branches, analysed)."""
    branches = filter_branches(PrimaryBranch.objects.all(), BranchFilters(q="Семёновка"))
    plan = _explain(branches)
    assert "primary_branch_name_trgm" in plan and "primary_branch_settlement_trgm" in plan, plan
    people = filter_folded(Person.objects.all(), ["last_name"], "Семенов")
    assert "person_last_name_trgm" in _explain(people)


def test_the_library_s_russian_full_text_configuration_folds_yo_itself():
    """The library searches a 'russian' tsvector (contests): its stemmer already reads ё as е, both ways."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('russian', 'Семёнов') @@ websearch_to_tsquery('russian', 'Семенов'),"
            " to_tsvector('russian', 'Семенов') @@ websearch_to_tsquery('russian', 'Семёнов'),"
            " to_tsvector('russian', 'Молодёжный совет') @@ to_tsquery('russian', 'молодеж:*')"
        )
        assert cursor.fetchone() == (True, True, True)
