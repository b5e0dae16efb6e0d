"""Demo and national-scale receptions, deterministic for a seed.

`demo`: six Amur hosts (the demo login `host` among them) with hours of every kind,
two months of past receptions held or missed, booked times ahead and plenty of free
ones, so the regularity report shows hosts meeting the norm, on track and behind it,
and the demo `secretary` can book the demo `host`. In Karelia a regional deputy and the
secretary of the local branch of №80 «Голиковка» publish weekly hours from today, a few
of their times booked by other Karelian secretaries, so the demo `secretary-80` has free
times to book.
`national`: every regional deputy and local-branch secretary receives weekly; a
week of past receptions and three weeks ahead, written with bulk statements (the
database constraints still check each row).
"""

import itertools
import random
import zoneinfo
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from branches.models import Position, Region, Role
from receptions import services
from receptions.models import Booking, Schedule, Slot

BATCH = 5000

TOPICS = [
    "Ремонт дороги к школе", "Уличное освещение в микрорайоне", "Капитальный ремонт дома",
    "Вывоз мусора в частном секторе", "Детская площадка во дворе", "Расписание пригородного автобуса",
    "Подготовка к отопительному сезону", "Газификация улицы", "Помощь семьям участников СВО",
    "Ремонт сельского клуба", "Водоснабжение в летний период", "Работа фельдшерско-акушерского пункта",
]  # fmt: skip
OUTCOMES = [
    "Обращение принято в работу, направлен депутатский запрос.",
    "Вопрос решён на месте, дан ответ заявителю.",
    "Договорились о выездной встрече с жителями.",
]
FOLLOW_UPS = [
    ("request", "Наказ избирателей: отсыпать дорогу на ул. Лесной", "Администрация района"),
    ("task", "Направить запрос в министерство ЖКХ", "Помощник депутата"),
    ("task", "Собрать подписи жителей под обращением", "Секретарь первичного отделения"),
]


def seed(scale_name: str, rng: random.Random) -> dict:
    if scale_name == "demo":
        return _seed_demo(rng)
    return _seed_national(rng)


def _past_slots(schedule: Schedule, first: date, now: datetime) -> list[Slot]:
    """Slots the hours had before today (the periodic task only produces future ones)."""
    slots: list[Slot] = []
    day = first
    while day <= now.date():
        if schedule.occurs_on(day):
            slots.extend(
                Slot(schedule=schedule, host_id=schedule.host_id, starts_at=start, ends_at=end)
                for start, end in schedule.slot_bounds(day)
                if end <= now
            )
        day += timedelta(days=1)
    return slots


def _booking(slot: Slot, secretary: Position, rng: random.Random, *, status: str, now: datetime) -> Booking:
    created = min(slot.starts_at - timedelta(days=rng.randint(2, 10)), now)
    assert secretary.primary_branch_id is not None, "a secretary's position names the branch"
    return Booking(
        slot=slot,
        host_id=slot.host_id,
        secretary_id=secretary.person_id,
        branch_id=secretary.primary_branch_id,
        topic=rng.choice(TOPICS),
        questions="",
        status=status,
        outcome=rng.choice(OUTCOMES) if status == Booking.Status.HELD else "",
        outcome_recorded_at=slot.ends_at if status in (Booking.Status.HELD, Booking.Status.MISSED) else None,
        created_at=created,
        updated_at=created,
    )


# Demo --------------------------------------------------------------------------------------


# (role, hours, how busy: share of past slots held, share missed, share of future ones booked)
DEMO_HOSTS: list[tuple[str, dict[str, Any], tuple[float, float, float]]] = [
    (Role.REGIONAL_DEPUTY, {"recurrence": "weekly", "weekday": 1, "starts_at": time(10), "ends_at": time(13),
     "slot_minutes": 30, "place": "Благовещенск, ул. Ленина, 135, приёмная депутата"}, (0.6, 0.1, 0.25)),
    # Receives the day after the seed, so the demo secretary's booking with them is due tomorrow.
    (Role.REGIONAL_DEPUTY, {"recurrence": "weekly", "weekday": None, "starts_at": time(9), "ends_at": time(11),
     "slot_minutes": 20, "place": "Благовещенск, ул. Горького, 96"}, (0.5, 0.05, 0.3)),
    (Role.REGIONAL_SECRETARY, {"recurrence": "monthly", "weekday": 0, "week_of_month": 1, "starts_at": time(10),
     "ends_at": time(12), "slot_minutes": 30, "place": "Региональное отделение, ул. Амурская, 150"}, (0, 0.5, 0.2)),
    (Role.REGIONAL_HEAD, {"recurrence": "biweekly", "weekday": 2, "starts_at": time(14), "ends_at": time(16),
     "slot_minutes": 30, "online_url": "https://telemost.yandex.ru/j/pervichka-amur"}, (0, 0, 0.6)),
    (Role.LOCAL_SECRETARY, {"recurrence": "weekly", "weekday": 4, "starts_at": time(9), "ends_at": time(11),
     "slot_minutes": 30, "place": "Благовещенск, ул. Калинина, 8, местное отделение"}, (0.3, 0.2, 0.0)),
]  # fmt: skip


# (held, missed, booked ahead): meets the norm, on and off, rarely receives.
BUSY_PROFILES = [(0.5, 0.1, 0.3), (0.25, 0.15, 0.2), (0.05, 0.2, 0.1)]


def _seed_demo(rng: random.Random) -> dict:
    now = timezone.now()
    amur = Region.objects.get(code="28")
    amur_zone = zoneinfo.ZoneInfo(amur.time_zone)
    secretary_positions = list(
        Position.objects.secretaries().current().filter(region=amur).order_by("primary_branch__number")
    )
    demo_secretary, others = secretary_positions[0], secretary_positions[1:]
    rng.shuffle(others)
    hosts = Position.objects.current().filter(region=amur).order_by("pk")
    first_local = demo_secretary.local_branch_id
    chosen: list[tuple[Schedule, tuple[float, float, float]]] = []
    used: set[int] = set()
    for role, hours, busy in DEMO_HOSTS:
        candidates = hosts.filter(role=role).exclude(pk__in=used)
        if role == Role.LOCAL_SECRETARY:
            candidates = candidates.filter(local_branch_id=first_local)
        position = candidates.select_related("region").first()
        used.add(position.pk)
        if hours["weekday"] is None:
            hours = {**hours, "weekday": (now.astimezone(amur_zone).date() + timedelta(days=1)).weekday()}
        schedule = services.schedule_create(position=position, valid_from=now.date() - timedelta(days=70), **hours)
        chosen.append((schedule, busy))
    # More hosts with weekly hours and a mixed record: the other deputies, and the
    # secretaries of eight more local branches. Executive heads of local branches and
    # municipal deputies publish no hours: they are behind the norm.
    extra = (
        (
            hosts.filter(role__in=[Role.DUMA_DEPUTY, Role.REGIONAL_DEPUTY])
            | hosts.filter(role=Role.LOCAL_SECRETARY).exclude(local_branch_id=first_local)
        )
        .exclude(pk__in=used)
        .select_related("region", "local_branch")
    )
    local_count = 0
    for position in extra.order_by("pk"):
        if position.role == Role.LOCAL_SECRETARY:
            local_count += 1
            if local_count > 8:
                continue
        start = rng.choice([9, 10, 11, 14, 15, 16])
        hours = {
            "recurrence": "weekly",
            "weekday": rng.randint(0, 4),
            "starts_at": time(start),
            "ends_at": time(start + 2),
            "slot_minutes": 30,
            "place": f"{(position.local_branch or position.region).name}, общественная приёмная",
        }
        schedule = services.schedule_create(position=position, valid_from=now.date() - timedelta(days=70), **hours)
        chosen.append((schedule, rng.choice(BUSY_PROFILES)))

    past = []
    for schedule, _busy in chosen:
        past += _past_slots(schedule, schedule.valid_from, now)
    Slot.objects.bulk_create(past, batch_size=BATCH)
    # Every secretary in turn; one host's bookings ahead are consecutive, so never twice the same pair.
    pool = itertools.cycle(others)
    bookings = []
    for schedule, (held, missed, booked) in chosen:
        for slot in (s for s in past if s.schedule_id == schedule.pk):
            draw = rng.random()
            if draw < held + missed:
                status = Booking.Status.HELD if draw < held else Booking.Status.MISSED
                bookings.append(_booking(slot, next(pool), rng, status=status, now=now))
        future = list(Slot.objects.filter(schedule=schedule, starts_at__gt=now).order_by("starts_at"))
        for slot in future[1:]:  # the first free time stays free for the demo secretary
            if rng.random() < booked:
                bookings.append(_booking(slot, next(pool), rng, status=Booking.Status.BOOKED, now=now))
    # The demo secretary: one reception held two months ago (with follow-ups), and one
    # tomorrow morning with the second deputy, so its 24-hour reminder reaches the inbox
    # today; the demo host stays free for them to book.
    held_slot = next(s for s in past if s.schedule_id == chosen[4][0].pk and not _taken(s, bookings))
    demo_held = _booking(held_slot, demo_secretary, rng, status=Booking.Status.HELD, now=now)
    ahead_slot = next(
        slot
        for slot in Slot.objects.filter(schedule=chosen[1][0], starts_at__gt=now + timedelta(hours=3)).order_by(
            "starts_at"
        )
        if not _taken(slot, bookings)
    )
    bookings += [demo_held, _booking(ahead_slot, demo_secretary, rng, status=Booking.Status.BOOKED, now=now)]
    karelia_hours, karelia_bookings = _karelia_hours(rng, now)
    bookings += karelia_bookings
    Booking.objects.bulk_create(bookings, batch_size=BATCH)
    # Follow-ups (assignments with the reception as their source): the demo secretary's reception,
    # and the demo host's latest held one, where one is past its date and one is done.
    host_held = max(
        (b for b in bookings if b.status == Booking.Status.HELD and b.slot.schedule_id == chosen[0][0].pk),
        key=lambda b: b.slot.starts_at,
    )
    follow_ups = 0
    for booking, shift, statuses in (
        (demo_held, 30, ("open", "open", "open")),
        (host_held, -3, ("open", "open", "done")),
    ):
        booking = Booking.objects.select_related("slot__schedule__position__region", "branch__region").get(
            pk=booking.pk
        )
        for n, (kind, text, owner) in enumerate(FOLLOW_UPS):
            item = services.FollowUpInput(
                kind=kind, text=text, owner=owner, due_on=now.date() + timedelta(days=shift + 7 * n), status=statuses[n]
            )
            services.follow_up_save(booking, {}, item)
            follow_ups += 1
    reminders = services.reminders_plan(now=now)
    return {
        "hours": len(chosen) + karelia_hours,
        "slots": Slot.objects.count(),
        "bookings": len(bookings),
        "follow-ups": follow_ups,
        "reminders": reminders,
    }


# (role, days from today to the weekday they receive, start hour, place): the deputy receives
# on tomorrow's weekday, the local secretary three days on; from next week both are bookable.
KARELIA_HOSTS = [
    (Role.REGIONAL_DEPUTY, 1, 10, "Петрозаводск, пр. Ленина, 19, приёмная"),
    (Role.LOCAL_SECRETARY, 3, 15, "Петрозаводск, ул. Кирова, 5, местное отделение"),
]


def _karelia_hours(rng: random.Random, now: datetime) -> tuple[int, list[Booking]]:
    """Weekly hours of two hosts who serve №80 «Голиковка»; about a third of their times booked by
    other secretaries of the local branch (never №80's, whose times stay free to book)."""
    karelia = Region.objects.get(code="10")
    today = now.astimezone(zoneinfo.ZoneInfo(karelia.time_zone)).date()
    secretaries = Position.objects.secretaries().current().filter(region=karelia)
    golikovka = secretaries.filter(primary_branch__number=80).first()
    if golikovka is None:
        return 0, []
    others = list(secretaries.filter(local_branch_id=golikovka.local_branch_id).exclude(pk=golikovka.pk))
    hosts = Position.objects.current().filter(region=karelia).select_related("region")
    created = 0
    bookings: list[Booking] = []
    for role, offset, start, place in KARELIA_HOSTS:
        candidates = hosts.filter(role=role)
        if role == Role.LOCAL_SECRETARY:
            candidates = candidates.filter(local_branch_id=golikovka.local_branch_id)
        position = candidates.order_by("pk").first()
        if position is None:
            continue
        schedule = services.schedule_create(
            position=position,
            recurrence="weekly",
            weekday=(today + timedelta(days=offset)).weekday(),
            starts_at=time(start),
            ends_at=time(start + 2),
            slot_minutes=30,
            valid_from=today,
            place=place,
        )
        created += 1
        pool = iter(rng.sample(others, len(others)))  # one booking per secretary and host
        for slot in Slot.objects.filter(schedule=schedule).order_by("starts_at"):
            secretary = next(pool, None) if rng.random() < 0.3 else None
            if secretary is not None:
                bookings.append(_booking(slot, secretary, rng, status=Booking.Status.BOOKED, now=now))
    return created, bookings


def _taken(slot: Slot, bookings: list[Booking]) -> bool:
    return any(booking.slot is slot or booking.slot_id == slot.pk for booking in bookings)


# National -------------------------------------------------------------------------------------


def _seed_national(rng: random.Random) -> dict:
    """Weekly hours for every regional deputy and local secretary, one week back and three ahead.

    A few seconds: rows are built in memory and written with bulk statements, the
    secretaries read as plain tuples.
    """
    now = timezone.now()
    today = now.date()
    valid_from = today - timedelta(days=7)
    until = today + timedelta(days=21)
    hosts = list(
        Position.objects.current()
        .filter(role__in=[Role.REGIONAL_DEPUTY, Role.LOCAL_SECRETARY])
        .select_related("region")
        .order_by("pk")
    )
    schedules = Schedule.objects.bulk_create(
        [_national_schedule(position, rng, valid_from) for position in hosts], batch_size=BATCH
    )
    slots: list[Slot] = []
    for schedule, position in zip(schedules, hosts, strict=True):
        schedule.position = position
        day = valid_from + timedelta(days=(schedule.weekday - valid_from.weekday()) % 7)
        while day <= until:  # weekly: every seventh day from the first matching one
            slots.extend(
                Slot(schedule=schedule, host_id=schedule.host_id, starts_at=start, ends_at=end)
                for start, end in schedule.slot_bounds(day)
            )
            day += timedelta(days=7)
    Slot.objects.bulk_create(slots, batch_size=BATCH)

    pools: dict[tuple, list] = {}
    for row in (
        Position.objects.secretaries()
        .current()
        .values_list("person_id", "primary_branch_id", "local_branch_id", "region_id")
    ):
        pools.setdefault(("local", row[2]), []).append(row)
        pools.setdefault(("region", row[3]), []).append(row)
    by_schedule: dict[int, list[Slot]] = {}
    for slot in slots:
        by_schedule.setdefault(slot.schedule_id, []).append(slot)
    per_secretary: dict[int, int] = {}
    bookings = []
    for schedule in schedules:
        position = schedule.position
        pool = pools.get(
            ("local", position.local_branch_id) if position.local_branch_id else ("region", position.region_id)
        )
        if not pool:
            continue
        # Distinct secretaries for one host (one active booking per pair), at most two bookings each.
        candidates = rng.sample(pool, min(len(pool), 12))
        for slot in by_schedule[schedule.pk]:
            if not candidates or rng.random() > 0.45:
                continue
            person_id, branch_id, _local, _region = candidates.pop()
            if per_secretary.get(person_id, 0) >= 2:
                continue
            per_secretary[person_id] = per_secretary.get(person_id, 0) + 1
            if slot.ends_at <= now:
                status = Booking.Status.HELD if rng.random() < 0.8 else Booking.Status.MISSED
            else:
                status = Booking.Status.BOOKED
            created = min(slot.starts_at - timedelta(days=3), now)
            bookings.append(
                Booking(
                    slot=slot,
                    host_id=slot.host_id,
                    secretary_id=person_id,
                    branch_id=branch_id,
                    topic=rng.choice(TOPICS),
                    status=status,
                    outcome=OUTCOMES[0] if status == Booking.Status.HELD else "",
                    outcome_recorded_at=slot.ends_at if status != Booking.Status.BOOKED else None,
                    created_at=created,
                    updated_at=created,
                )
            )
    Booking.objects.bulk_create(bookings, batch_size=BATCH)
    return {"hours": len(schedules), "slots": len(slots), "bookings": len(bookings)}


def _national_schedule(position: Position, rng: random.Random, valid_from: date) -> Schedule:
    start = rng.choice([9, 10, 14, 15])
    assert position.region is not None, "a host's position is regional"
    return Schedule(
        position=position,
        host_id=position.person_id,
        recurrence=Schedule.Recurrence.WEEKLY,
        weekday=rng.randint(0, 4),
        starts_at=time(start),
        ends_at=time(start + 2),
        slot_minutes=40,
        place=f"{position.region.name}, общественная приёмная",
        valid_from=valid_from,
    )
