"""Every named URL of the project, tried by every role of the cast.

A URL pattern without a row here fails the suite: a new page must say who may see it.
Rows live next to each app in `<app>/tests/access_rows.py`.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ROLES
from core.testing import access_rows

# Django's admin generates hundreds of model pages; its index stands for them all
# (they share one gate, AdminSite.has_permission). Its own login/logout too.
ADMIN_NAMESPACE = "admin"


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


ROWS = access_rows()


def test_every_named_url_has_a_row():
    names = {name for name in _named_patterns() if not name.startswith(f"{ADMIN_NAMESPACE}:")}
    covered = {row.name for row in ROWS}
    missing = sorted(names - covered)
    assert not missing, f"URL patterns without a row in an access_rows.py table: {missing}"
    stale = sorted(covered - names - {"admin:index"})
    assert not stale, f"rows naming no URL pattern: {stale}"


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_each_role_gets_what_its_row_says(row, cast, client_for):
    url = reverse(row.name, kwargs=row.kwargs(cast))
    got = {}
    for role in ROLES:
        response = getattr(client_for(role), row.method)(url)
        got[role] = response.status_code
    expected = {role: row.expected(role) for role in ROLES}
    assert got == expected, f"{row.name} ({url})"
