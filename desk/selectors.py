"""The desk gathers what needs each person now from every app they touch.

Each app's `desk_items(viewer)` answers for itself (and for its own query count); the
desk only orders the items: overdue first, then to do, then coming.
"""

from core.access import Viewer
from core.desk import DeskItem
from events import selectors as events
from notifications import selectors as notifications

PROVIDERS = [
    notifications.desk_items,
    events.desk_items,
]


def desk_for(viewer: Viewer) -> list[DeskItem]:
    items = [item for provider in PROVIDERS for item in provider(viewer)]
    return sorted(items, key=lambda item: item.urgency)
