"""Demo and national-scale data for the branch tree, deterministic for a seed.

`demo`: Amur with its real shape (29 local branches, 651 primary branches, a secretary
each but a few vacancies), Karelia with №80 «Голиковка» in Petrozavodsk, Kaluga with
№2024 in Obninsk, and a few more regions. `national`: all 89 regions, about 2,600
local and 87,000 primary branches with their secretaries and hosts of every level.
Rows are written with bulk statements; the database constraints still check each.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from branches import services
from branches.models import LocalBranch, Person, Position, PrimaryBranch, Region, Role
from core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

BATCH = 5000

LAST_NAMES = [
    ("Иванов", "Иванова"), ("Петров", "Петрова"), ("Смирнов", "Смирнова"), ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"), ("Васильев", "Васильева"), ("Соколов", "Соколова"), ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"), ("Фёдоров", "Фёдорова"), ("Морозов", "Морозова"), ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"), ("Лебедев", "Лебедева"), ("Семёнов", "Семёнова"), ("Егоров", "Егорова"),
    ("Павлов", "Павлова"), ("Козлов", "Козлова"), ("Степанов", "Степанова"), ("Николаев", "Николаева"),
    ("Орлов", "Орлова"), ("Андреев", "Андреева"), ("Макаров", "Макарова"), ("Никитин", "Никитина"),
    ("Захаров", "Захарова"), ("Зайцев", "Зайцева"), ("Соловьёв", "Соловьёва"), ("Борисов", "Борисова"),
    ("Яковлев", "Яковлева"), ("Григорьев", "Григорьева"), ("Романов", "Романова"), ("Воробьёв", "Воробьёва"),
]  # fmt: skip
MALE_NAMES = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван", "Михаил", "Николай", "Виктор", "Олег"]
FEMALE_NAMES = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Марина", "Галина", "Людмила"]
PATRONYMIC_ROOTS = ["Александров", "Сергеев", "Дмитриев", "Андреев", "Петров", "Иванов", "Николаев", "Викторов"]
BRANCH_NAMES = [
    "Центральная", "Заречная", "Садовая", "Школьная", "Лесная", "Набережная", "Молодёжная", "Северная",
    "Южная", "Первомайская", "Советская", "Мира", "Победы", "Строителей", "Рабочая", "Луговая",
    "Солнечная", "Полевая", "Берёзовая", "Вокзальная", "Октябрьская", "Дружба", "Юбилейная", "Нагорная",
]  # fmt: skip
SETTLEMENT_ROOTS = [
    "Александров", "Берёз", "Волч", "Горн", "Дубров", "Ельн", "Жуков", "Звенигор", "Ивано", "Калин",
    "Лугов", "Михайлов", "Никольск", "Озёр", "Покров", "Родник", "Сосн", "Троиц", "Устьев", "Хвойн",
]  # fmt: skip
SETTLEMENT_ENDINGS = ["ка", "ово", "ское", "овка", "ино", "ск", "ец"]

# Real local branches of Amur region (29), so the demo looks like the real one.
AMUR_LOCALS = [
    "Благовещенское городское", "Белогорское городское", "Свободненское городское", "Тындинское городское",
    "Зейское городское", "Райчихинское городское", "Шимановское городское", "Циолковское городское",
    "Архаринское", "Белогорское районное", "Благовещенское районное", "Бурейское", "Завитинское",
    "Зейское районное", "Ивановское", "Константиновское", "Магдагачинское", "Мазановское",
    "Михайловское", "Октябрьское", "Ромненское", "Свободненское районное", "Селемджинское",
    "Серышевское", "Сковородинское", "Тамбовское", "Тындинское районное", "Шимановское районное",
    "Прогрессовское",
]  # fmt: skip


@dataclass
class Scale:
    name: str
    # region code -> (local branches, primary branches)
    shape: dict


def demo_scale() -> Scale:
    return Scale(
        "demo",
        {
            "28": (29, 651),  # Amur
            "10": (6, 120),  # Karelia
            "40": (8, 160),  # Kaluga
            "27": (6, 90),  # Khabarovsk
            "77": (12, 240),  # Moscow
        },
    )


def national_scale(rng: random.Random) -> Scale:
    """89 regions, ~2,600 local and ~87,000 primary branches; Amur keeps its real shape."""
    shape = {}
    for region in Region.objects.order_by("code"):
        if region.code == "28":
            shape[region.code] = (29, 651)
        else:
            locals_count = rng.randint(18, 40)
            shape[region.code] = (locals_count, locals_count * rng.randint(30, 37))
    return Scale("national", shape)


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def person(self) -> dict:
        female = self.rng.random() < 0.55
        last = self.rng.choice(LAST_NAMES)[1 if female else 0]
        first = self.rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        patronymic = self.rng.choice(PATRONYMIC_ROOTS) + ("на" if female else "ич")
        return {
            "last_name": last,
            "first_name": first,
            "patronymic": patronymic,
            "phone": f"+79{self.rng.randint(0, 999_999_999):09d}",
            "birth_year": self.rng.randint(1950, 2004),
        }

    def settlement(self) -> str:
        return self.rng.choice(SETTLEMENT_ROOTS) + self.rng.choice(SETTLEMENT_ENDINGS)


def seed(scale_name: str, rng: random.Random) -> dict:
    """Create the tree, secretaries and hosts; return counts."""
    scale = demo_scale() if scale_name == "demo" else national_scale(rng)
    names = Names(rng)
    today = timezone.localdate()
    regions = {region.code: region for region in Region.objects.filter(code__in=scale.shape)}

    local_rows: list[LocalBranch] = []
    for code, (locals_count, _branches) in scale.shape.items():
        region = regions[code]
        if code == "28":
            local_names = AMUR_LOCALS[:locals_count]
        else:
            local_names = sorted({f"{names.settlement()}ское местное" for _ in range(locals_count * 3)})[:locals_count]
            while len(local_names) < locals_count:
                local_names.append(f"Местное отделение № {len(local_names) + 1}")
        local_rows.extend(LocalBranch(region=region, name=name) for name in local_names)
    LocalBranch.objects.bulk_create(local_rows, batch_size=BATCH)
    locals_by_region: dict[int, list[LocalBranch]] = {}
    for local in LocalBranch.objects.filter(region__code__in=scale.shape).order_by("pk"):
        locals_by_region.setdefault(local.region_id, []).append(local)

    branch_rows = []
    special = {("10", 80): ("Голиковка", "Петрозаводск"), ("40", 2024): ("Обнинская", "Обнинск")}
    for code, (_locals, branches_count) in scale.shape.items():
        region = regions[code]
        local_list = locals_by_region[region.pk]
        numbers = list(range(1, branches_count + 1))
        if code == "40":
            numbers[-1] = 2024
        for index, number in enumerate(numbers):
            name, settlement = special.get((code, number), (rng.choice(BRANCH_NAMES), names.settlement()))
            members = rng.randint(8, 120)
            branch_rows.append(
                PrimaryBranch(
                    region=region,
                    local_branch=local_list[index * len(local_list) // len(numbers)],
                    number=number,
                    name=name,
                    settlement=settlement,
                    address=f"ул. {rng.choice(BRANCH_NAMES)}, {rng.randint(1, 120)}",
                    members_count=members,
                    activists_count=rng.randint(0, members // 3),
                    opened_on=date(rng.randint(2002, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                )
            )
    PrimaryBranch.objects.bulk_create(branch_rows, batch_size=BATCH)

    # Secretaries: about 97% of branches have one; the start dates spread over five years.
    secretary_branches = [b for b in branch_rows if rng.random() < 0.97 or (b.region.code, b.number) in special]
    # Each person holds one position, started in the past: their time zone is its region's.
    people = Person.objects.bulk_create(
        [Person(**names.person(), time_zone=b.region.time_zone) for b in secretary_branches], batch_size=BATCH
    )
    positions = [
        Position(
            person=person,
            role=Role.PRIMARY_SECRETARY,
            region_id=branch.region_id,
            local_branch_id=branch.local_branch_id,
            primary_branch=branch,
            starts_on=today - timedelta(days=rng.randint(1, 5 * 365)),
            decision=f"Решение бюро местного отделения № {rng.randint(1, 90)}",
        )
        for person, branch in zip(people, secretary_branches, strict=True)
    ]

    # Hosts: per region 2 State Duma deputies, 5 regional deputies, a regional secretary
    # and head, 2 staff; per local branch a secretary, a head and a municipal deputy.
    host_specs: list[tuple[str, Region, LocalBranch | None]] = []
    for code in scale.shape:
        region = regions[code]
        host_specs += [(Role.DUMA_DEPUTY, region, None)] * 2 + [(Role.REGIONAL_DEPUTY, region, None)] * 5
        host_specs += [(Role.REGIONAL_SECRETARY, region, None), (Role.REGIONAL_HEAD, region, None)]
        host_specs += [(Role.REGIONAL_STAFF, region, None)] * 2
        for local in locals_by_region[region.pk]:
            host_specs += [
                (Role.LOCAL_SECRETARY, region, local),
                (Role.LOCAL_HEAD, region, local),
                (Role.MUNICIPAL_DEPUTY, region, local),
            ]
    host_people = Person.objects.bulk_create(
        [Person(**names.person(), time_zone=region.time_zone) for _role, region, _local in host_specs], batch_size=BATCH
    )
    positions += [
        Position(
            person=person,
            role=role,
            region=region,
            local_branch=local,
            starts_on=today - timedelta(days=rng.randint(30, 4 * 365)),
        )
        for person, (role, region, local) in zip(host_people, host_specs, strict=True)
    ]
    Position.objects.bulk_create(positions, batch_size=BATCH)
    ensure_demo_accounts()
    return {
        "regions": len(scale.shape),
        "local_branches": len(local_rows),
        "primary_branches": len(branch_rows),
        "secretaries": len(secretary_branches),
        "hosts_and_staff": len(host_specs),
    }


def ensure_demo_accounts() -> None:
    """Create the demo logins and link each to a person of the seeded data (idempotent)."""
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
    # One hash of the shared demo password for every login (argon2 takes ~0.5 s a hash by design).
    password = None
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
        password = password or make_password(DEMO_PASSWORD)
        user = User.objects.create(
            username=username,
            password=password,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{username}@pervichka.local",
            is_superuser=username == "admin",
            is_staff=username == "admin",
        )
        Person.objects.filter(pk=person.pk).update(user=user, email=person.email or user.email)
