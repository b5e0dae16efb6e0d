"""Where the people a head's meeting invites by rule come from, when events cannot know them.

Contest winners live in contests/, council members in councils/, and a domain app may not
import another (core/tests/test_floors.py). So the top floor, desk/, which may read every
app, registers one source per rule from its `ready()` (desk/invitations.py); events asks
the registry by rule when it publishes a meeting. No signals, no hidden dispatch: a rule
with no source registered is refused with a message, and a system check names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Invitee:
    """One person to invite, or a primary branch whose secretary on the meeting's day is invited."""

    reason: str
    person_id: int | None = None
    primary_branch_id: int | None = None
    local_branch_id: int | None = None


# (region id, year or None, the meeting's local day) → the invitees, in a few queries.
InviteeSource = Callable[[int, int | None, date], list[Invitee]]

_sources: dict[str, InviteeSource] = {}


def register_source(rule: str, source: InviteeSource) -> None:
    """Name the function that lists the invitees of a rule (the last registration wins)."""
    _sources[rule] = source


def source_for(rule: str) -> InviteeSource | None:
    return _sources.get(rule)
