"""The desk gathers what needs each person now from every app they touch.

Each app's `desk_items(viewer)` answers for itself (and for its own query count); the
desk only orders the items: overdue first, then to do, then coming.
"""

from assignments import selectors as assignments
from branches import selectors as branches
from contests import selectors as contests
from core.access import Viewer
from core.desk import DeskItem
from councils import selectors as councils
from events import selectors as events
from mentorship import selectors as mentorship
from notifications import selectors as notifications
from receptions import selectors as receptions
from reserve import selectors as reserve
from training import selectors as training

PROVIDERS = [
    receptions.desk_items,
    contests.desk_items,
    councils.desk_items,
    branches.desk_items,
    notifications.desk_items,
    training.desk_items,
    mentorship.desk_items,
    assignments.desk_items,
    events.desk_items,
    reserve.desk_items,
]


def desk_for(viewer: Viewer) -> list[DeskItem]:
    items = [item for provider in PROVIDERS for item in provider(viewer)]
    return sorted(items, key=lambda item: item.urgency)
