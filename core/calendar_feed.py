"""The entries of a person's private calendar feed that other apps add, without importing each other.

The feed itself (its secret token, its address, the receptions it began with) lives in
receptions/; party events live in events/, and neither may import the other. So an app
registers a function `entries(person) -> list[icalendar.Event]` from its AppConfig.ready(),
and the feed adds what every registered function returns: both sides import only this
ground-floor module (as with core.evidence). Each function must answer in a query or two.
"""

from __future__ import annotations

from collections.abc import Callable

type FeedEntries = Callable[[object], list]

_sources: list[FeedEntries] = []


def register(entries: FeedEntries) -> None:
    """Add a source of feed entries (once: a second `ready()` in tests does not double it)."""
    if entries not in _sources:
        _sources.append(entries)


def entries_for(person) -> list:
    """Every registered app's calendar entries for this person (icalendar components)."""
    return [entry for source in _sources for entry in source(person)]
