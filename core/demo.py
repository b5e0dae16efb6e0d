"""Demo logins: one for each role of the cast (branches/demo.py links each to a person of the seeded tree)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

DEMO_PASSWORD = "pervichka-demo"

# username, what the login is for
DEMO_ACCOUNTS = [
    ("admin", gettext_noop("federal administrator")),
    ("staff-amur", gettext_noop("regional staff, Amur region")),
    ("staff-karelia", gettext_noop("regional staff, Republic of Karelia")),
    ("secretary", gettext_noop("secretary of primary branch №1, Amur region")),
    ("secretary-80", gettext_noop("secretary of primary branch №80 «Голиковка», Karelia")),
    ("host", gettext_noop("deputy of the Amur regional parliament (receives secretaries)")),
    ("juror", gettext_noop("juror of the contest of primary branches")),
]


def demo_seeded() -> bool:
    return get_user_model().objects.filter(username="admin").exists()


def demo_logins() -> list[tuple[str, str]]:
    return [(username, _(description)) for username, description in DEMO_ACCOUNTS]
