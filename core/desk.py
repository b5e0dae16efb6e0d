"""What an app puts on a person's desk (the home page of the top-floor `desk/` app).

Each app offers `desk_items(viewer) -> list[DeskItem]` in its selectors: the things that
need this person now, with a count and a link. The desk gathers them; apps never import
the desk, so this small shape lives on the ground floor.
"""

from dataclasses import dataclass
from enum import IntEnum


class Urgency(IntEnum):
    """Order on the desk: overdue first, then what needs doing, then what is coming."""

    OVERDUE = 0
    TO_DO = 1
    COMING = 2


@dataclass(frozen=True)
class DeskItem:
    app: str  # the app offering it (its section heading on the desk)
    title: str  # what it is, translated
    url: str  # where to act on it
    count: int | None = None  # how many, when it is a count
    detail: str = ""  # one line more (a date, a name), translated
    urgency: Urgency = Urgency.TO_DO
