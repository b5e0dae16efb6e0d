"""The kinds of notification: one registry the apps add to from their own `kinds.py`.

An app declares a kind once, in code, next to the planner that uses it::

    # councils/kinds.py
    from django.utils.translation import gettext_lazy as _
    from notifications.kinds import register

    TERM_EXPIRING = register("council.term_expiring", label=_("A council term is expiring"))

and ships its templates at `templates/notifications/<kind>/subject.txt`, `body.txt`
and `body.html`. Every `<app>/kinds.py` is imported when Django starts
(NotificationsConfig.ready), and a system check reports a kind with a missing template.
"""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
TEMPLATES = ("subject.txt", "body.txt", "body.html")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str | Promise

    def template(self, part: str) -> str:
        return f"notifications/{self.name}/{part}"


_registry: dict[str, Kind] = {}


def register(name: str, *, label: str | Promise) -> Kind:
    """Declare a kind (`<app>.<what>`, e.g. `reception.reminder`); declaring it again is a no-op."""
    if not NAME.match(name) or len(name) > 64:
        raise ValueError(f"notification kind {name!r}: expected lowercase <app>.<what>, at most 64 characters")
    return _registry.setdefault(name, Kind(name, label))


def get(name: str) -> Kind:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"unknown notification kind {name!r}: register it in <app>/kinds.py") from None


def all_kinds() -> list[Kind]:
    return sorted(_registry.values(), key=lambda kind: kind.name)


def choices() -> list[tuple[str, str | Promise]]:
    return [(kind.name, kind.label) for kind in all_kinds()]


# The engine's own kind, so it can be shown working on its own (`manage.py plan_message`,
# a command of the branches app).
# Context: "subject", "body", and optionally "when" (an ISO datetime, shown in the
# recipient's time zone).
GENERAL_MESSAGE = register("general.message", label=_("Messages from the administration"))
