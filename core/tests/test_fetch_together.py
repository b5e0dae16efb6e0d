"""core.db.fetch_together: several `.values()` querysets in one statement, rows as `.values()` gives them."""

from datetime import date

from django.db.models import Count, Max

from branches.models import LocalBranch, Position, PrimaryBranch
from core.db import fetch_together, one_row


def test_it_runs_every_queryset_in_one_statement_with_python_values(cast, django_assert_num_queries):
    branches = PrimaryBranch.objects.filter(region=cast.region_a)
    queries = {
        "locals": LocalBranch.objects.filter(region=cast.region_a).values("pk", "name").order_by("name"),
        "count": one_row(branches, n=Count("pk"), last=Max("opened_on")),
        "none": one_row(branches.filter(local_branch__name="-"), n=Count("pk"), last=Max("opened_on")),
        "empty": branches.filter(local_branch__name="-").values("pk"),
        "nothing": one_row(branches.filter(pk__in=[]), n=Count("pk"), last=Max("opened_on")),
        "no_rows": branches.filter(pk__in=[]).values("local_branch").annotate(n=Count("pk")),
        "dates": Position.objects.filter(region=cast.region_a).values("starts_on").order_by("starts_on")[:1],
    }
    with django_assert_num_queries(1):
        rows = fetch_together(queries)
    assert rows["locals"] == list(queries["locals"])
    assert rows["count"] == [branches.aggregate(n=Count("pk"), last=Max("opened_on"))]
    assert rows["none"] == [{"n": 0, "last": None}]  # one row even over no rows, as .aggregate()
    assert rows["empty"] == []
    # A filter Django knows matches nothing is answered without SQL, as .aggregate() would.
    assert rows["nothing"] == [branches.filter(pk__in=[]).aggregate(n=Count("pk"), last=Max("opened_on"))]
    assert rows["no_rows"] == []
    assert rows["dates"] == list(queries["dates"]) and isinstance(rows["dates"][0]["starts_on"], date)


def test_nothing_to_fetch_asks_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert fetch_together({}) == {}
