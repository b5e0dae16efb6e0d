"""E-mail messages built fast enough for 87,000 at a time.

Python's email package parses every header of every message afresh, and even creates a
new class for each header it sets (`HeaderRegistry.__getitem__`). A reminder to every
secretary repeats most headers verbatim: From, MIME-Version, the Content-Type and
Content-Transfer-Encoding of each part, often the Subject. `MemoHeaderRegistry`
remembers the classes, and the parsed headers of recent values (header objects are
immutable), which makes `message()` about three times faster with byte-identical
output (see test_mail.py).
"""

import email.headerregistry
import email.policy
from functools import lru_cache

from django.core.mail import EmailMultiAlternatives


class MemoHeaderRegistry(email.headerregistry.HeaderRegistry):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._classes = {}
        self._parsed = lru_cache(maxsize=1024)(super().__call__)

    def __getitem__(self, name):
        name = name.lower()
        try:
            return self._classes[name]
        except KeyError:
            return self._classes.setdefault(name, super().__getitem__(name))

    def __call__(self, name, value):
        if type(value) is not str:
            return super().__call__(name, value)  # datetimes and the like: not worth a cache key
        # Keyed by the name as written: a header object keeps its name for folding.
        return self._parsed(name, value)


_registry = MemoHeaderRegistry()
_fast_policies: dict = {}


def fast_policy(policy: email.policy.Policy) -> email.policy.Policy:
    """The same policy with the memoising header registry (when it uses the standard one)."""
    if type(getattr(policy, "header_factory", None)) is not email.headerregistry.HeaderRegistry:
        return policy
    try:
        return _fast_policies[policy]
    except KeyError:
        return _fast_policies.setdefault(policy, policy.clone(header_factory=_registry))  # type: ignore[call-arg]


class NotificationEmail(EmailMultiAlternatives):
    """Django's message, built with the memoising registry whatever policy the backend asks for."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=fast_policy(policy))
