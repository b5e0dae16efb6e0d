"""Test helpers shared by every app: the URL × role table row."""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL_LOGGED_IN = frozenset({"staff_a", "staff_b", "secretary", "host", "juror", "admin"})


@dataclass(frozen=True)
class AccessRow:
    """What each role of the cast gets from one named URL.

    `ok` roles get `ok_status`; the anonymous visitor gets `anonymous` (302 to the
    login page for protected pages); every other role gets `denied` (404 for another
    region's object, 403 for a page the role may not open at all).
    `kwargs` builds the URL arguments from the cast.
    """

    name: str
    ok: frozenset[str]
    denied: int = 403
    anonymous: int = 302
    ok_status: int = 200
    method: str = "get"
    kwargs: Callable = field(default=lambda cast: {})
    # Exceptions to the rule above, e.g. {"secretary": 403}: may read the branch, not change it.
    overrides: dict = field(default_factory=dict)

    def expected(self, role: str) -> int:
        if role in self.overrides:
            return self.overrides[role]
        if role in self.ok:
            return self.ok_status
        if role == "anonymous":
            return self.anonymous
        return self.denied
