"""Demo logins: one for each role of the cast, linked to people of the seeded tree."""

from django.contrib.auth import get_user_model
from django.utils import timezone
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


def ensure_demo_accounts() -> None:
    """Create the demo logins and link each to a person of the seeded data (idempotent)."""
    from branches import services
    from branches.models import Person, Position, Region, Role

    today = timezone.localdate()
    amur, karelia = Region.objects.get(code="28"), Region.objects.get(code="10")

    def secretary_of(region, number):
        return Position.objects.current().get(role=Role.PRIMARY_SECRETARY, region=region, primary_branch__number=number)

    people = {
        "secretary": secretary_of(amur, 1).person,
        "secretary-80": secretary_of(karelia, 80).person,
        "host": Position.objects.current().filter(role=Role.REGIONAL_DEPUTY, region=amur).order_by("pk").first().person,
    }
    new_positions: dict[str, dict | None] = {
        "admin": {"role": Role.FEDERAL_ADMIN},
        "staff-amur": {"role": Role.REGIONAL_STAFF, "region": amur},
        "staff-karelia": {"role": Role.REGIONAL_STAFF, "region": karelia},
        "juror": None,
    }
    names = {
        "admin": ("Фёдорова", "Анна", "Викторовна"),
        "staff-amur": ("Амурская", "Ольга", "Николаевна"),
        "staff-karelia": ("Онежский", "Пётр", "Ильич"),
        "juror": ("Судейкина", "Мария", "Петровна"),
    }
    User = get_user_model()
    for username, _description in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        person = people.get(username)
        if person is None:
            last, first, patronymic = names[username]
            person = services.person_create(last_name=last, first_name=first, patronymic=patronymic)
            spec = new_positions[username]
            if spec is not None:
                services.position_create(person=person, starts_on=today.replace(month=1, day=1), **spec)
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{username}@pervichka.local",
            is_superuser=username == "admin",
            is_staff=username == "admin",
        )
        Person.objects.filter(pk=person.pk).update(user=user, email=person.email or user.email)
