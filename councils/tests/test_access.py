"""The council gate only reads: opening a council page writes nothing, even where a council is missing."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Council


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_opening_a_council_page_writes_nothing(client_for, cast):
    client = client_for("admin")
    client.get(reverse("councils:council", args=[cast.region_b.pk]))  # the session's own first write
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("councils:council", args=[cast.region_b.pk]))
    assert response.status_code == 200
    assert _writes(queries) == []


def test_a_region_without_its_council_row_is_not_given_one_by_a_page_view(client_for, cast):
    Council.objects.filter(region=cast.region_b).delete()
    client = client_for("admin")
    client.get(reverse("desk:home"))  # the session's own first write
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("councils:council", args=[cast.region_b.pk]))
    assert response.status_code == 404
    assert _writes(queries) == []
    assert not Council.objects.filter(region=cast.region_b).exists()
