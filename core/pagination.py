"""Keyset pagination: every page of a national list costs the same, the last one too.

A page is addressed by a cursor (the sort values of a boundary row) instead of an
offset, so PostgreSQL walks an index from that row instead of counting past
thousands of rows. `first`, `next` (after a cursor), `prev` (before a cursor) and
`last` are the four ways in. A view passes `**cursor_args(request)` to its selector and
`query_without_cursor(request)` to the pager, templates/core/pager.html.
"""

import base64
import json
from dataclasses import dataclass

from django.db.models import F, Q


@dataclass(frozen=True)
class SortKey:
    """Fields that order the list, the last of them unique (usually "pk")."""

    fields: tuple[str, ...]  # a leading "-" means descending

    def order_by(self, *, reverse: bool = False):
        expressions = []
        for name in self.fields:
            descending = name.startswith("-") != reverse
            field = F(name.lstrip("-"))
            expressions.append(field.desc() if descending else field.asc())
        return expressions

    def values(self, row) -> list:
        values = []
        for name in self.fields:
            value = row
            for part in name.lstrip("-").split("__"):
                value = getattr(value, part)
            values.append(value)
        return values

    def beyond(self, values: list, *, reverse: bool = False) -> Q:
        """Rows that come after `values` in this order (before them when `reverse`)."""
        condition = Q()
        for index in range(len(self.fields) - 1, -1, -1):
            name = self.fields[index]
            field = name.lstrip("-")
            ascending = name.startswith("-") == reverse
            step = Q(**{f"{field}__{'gt' if ascending else 'lt'}": values[index]})
            for earlier in range(index):
                step &= Q(**{self.fields[earlier].lstrip("-"): values[earlier]})
            condition |= step
        return condition


def encode_cursor(values: list) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, length: int) -> list | None:
    """The values in a cursor, or None when it is missing or malformed (then: first page)."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != length:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    return values


@dataclass
class Page:
    rows: list
    next_cursor: str | None
    prev_cursor: str | None
    is_first: bool
    is_last: bool


# The query parameters that address a page; the pager adds them to the rest of the query.
CURSOR_PARAMS = ("after", "before", "last")


def cursor_args(request) -> dict:
    """The keyword arguments of keyset_page that the request's query string asks for."""
    return {
        "after": request.GET.get("after"),
        "before": request.GET.get("before"),
        "last": request.GET.get("last") == "1",
    }


def query_without_cursor(request) -> str:
    """The request's query string (filters, sort, size) without the cursor, for the pager's links."""
    query = request.GET.copy()
    for key in CURSOR_PARAMS:
        query.pop(key, None)
    return query.urlencode()


def keyset_page(queryset, key: SortKey, *, size: int, after=None, before=None, last: bool = False) -> Page:
    """One page of `queryset` in `key` order: one query whatever the page's position."""
    after_values = decode_cursor(after, len(key.fields))
    before_values = decode_cursor(before, len(key.fields)) if after_values is None else None
    backwards = last or before_values is not None
    if after_values is not None:
        queryset = queryset.filter(key.beyond(after_values))
    elif before_values is not None:
        queryset = queryset.filter(key.beyond(before_values, reverse=True))
    rows = list(queryset.order_by(*key.order_by(reverse=backwards))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if backwards:
        is_first, is_last = not more, last or False
    else:
        is_first, is_last = after_values is None, not more
    if before_values is not None:
        is_last = False
    return Page(
        rows=rows,
        next_cursor=None if is_last or not rows else encode_cursor(key.values(rows[-1])),
        prev_cursor=None if is_first or not rows else encode_cursor(key.values(rows[0])),
        is_first=is_first,
        is_last=is_last,
    )
