"""Demo accounts shared by `seed_demo` and `make run`."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

DEMO_PASSWORD = "pervichka-demo"

# username, first name, last name, what the login is for
DEMO_ACCOUNTS = [
    ("admin", "Анна", "Федорова", gettext_noop("federal administrator")),
]


def demo_seeded() -> bool:
    return get_user_model().objects.filter(username="admin").exists()


def demo_logins() -> list[tuple[str, str]]:
    return [(username, _(description)) for username, _first, _last, description in DEMO_ACCOUNTS]


def ensure_demo_accounts() -> None:
    User = get_user_model()
    for username, first_name, last_name, description in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            is_superuser=description == "federal administrator",
            is_staff=description == "federal administrator",
        )
