"""Registries that let an app read a person's activity record and term ends without importing their owners.

The activity record lives on the top floor (desk/record.py), which nothing may import;
the reserve ranks and freezes it. Council terms live in councils, which the reserve may
not import either. So the owners register plain functions here from their
`AppConfig.ready()` and the reserve asks for them by name; an owner that is not installed
gives an empty answer. Both sides import only this ground-floor module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

type RecordsFunc = Callable[[list[int], date], dict[int, dict]]
type TermEndsFunc = Callable[[list[int] | None, date, date], list[dict]]
type TermEndingFunc = Callable[[list[int] | None, date, date], Any]

_records: list[RecordsFunc] = []
_figures: list[Callable[..., dict[int, dict]]] = []
_presenters: list[Callable[..., list]] = []
_term_ends: dict[str, TermEndsFunc] = {}
_term_ending: dict[str, TermEndingFunc] = {}


def register_person_records(func: RecordsFunc) -> None:
    """Declare the function computing activity records (the last declared wins: a reloaded app)."""
    _records[:] = [func]


def person_records(person_ids: list[int], today: date) -> dict[int, dict]:
    """Each person's record as plain JSON-able figures; empty when no app computes records."""
    if not _records or not person_ids:
        return {}
    return _records[0](person_ids, today)


def register_person_figures(func: Callable[..., dict[int, dict]]) -> None:
    """Declare the function computing the record's figures alone: `func(people, today)`, people a list of
    ids or a queryset of one column of ids (the last declared wins)."""
    _figures[:] = [func]


def person_figures(people, today: date) -> dict[int, dict]:
    """Each person's figures (the record without the posts held today) in one statement; empty without an owner.

    `people` may be a queryset of person ids, so the database joins it rather than a list.
    """
    return _figures[0](people, today) if _figures else {}


def register_presenter(func: Callable[..., list]) -> None:
    """Declare how a record is shown: `func(record, *, viewer, person_id, region_id, frozen) -> groups`."""
    _presenters[:] = [func]


def present(record: dict, **kwargs) -> list:
    """The record as the person page shows it (groups of rows with sources); empty when nobody presents it."""
    return _presenters[0](record, **kwargs) if _presenters else []


def register_term_ends(post: str, func: TermEndsFunc, *, query: TermEndingFunc | None = None) -> None:
    """Declare who holds a kind of post and when their terms end: `func(region_ids, today, until)`.

    Each row: role, region_id, unit, holder, ends_on. `query`, with the same arguments,
    gives those holders as a queryset (one row each), to count them within another
    statement (the region's page sends every figure in one).
    """
    _term_ends[post] = func
    if query is not None:
        _term_ending[post] = query


def term_ends(post: str, region_ids: list[int] | None, today: date, until: date) -> list[dict]:
    func = _term_ends.get(post)
    return [] if func is None else func(region_ids, today, until)


def term_ending(post: str, region_ids: list[int] | None, today: date, until: date):
    """The holders of the post whose terms end in [today, until] as a queryset; None when nobody declared them."""
    query = _term_ending.get(post)
    return None if query is None else query(region_ids, today, until)
