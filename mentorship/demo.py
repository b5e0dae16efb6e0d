"""Demo and national-scale mentoring, deterministic for a seed.

Every region with branches gets a running programme of the current year. Karelia's
№80 «Голиковка» (whose secretary proposed mentoring) mentors two branches of its local
branch: one pair on track, one that needs a check-in. Amur's №1 (the demo secretary's
branch) mentors a branch and a young activist, so her desk shows the next check-in;
one Amur pair ended early after most of its course (it counts as ended well on the
region's page); most weak Amur branches stay unpaired, for the staff to pair from a suggestion. Other
pairs join large branches (mentors, at most the capacity each) with small ones, with
check-ins spread so that some are on track, some too early and some stalled. About
3,000 pairs at national scale. Rows are written in bulk; the constraints and the
trigger still check each.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from branches.models import Person, Position, PrimaryBranch, Region, Role
from mentorship import services
from mentorship.models import CheckIn, CheckInKind, Focus, Pair, PairStatus, Programme, ProgrammeStatus, YoungCadre

BATCH = 5000
PAIRS_PER_REGION = {"demo": 12, "national": 34}
CAPACITY = 3


def _programme(region: Region, today: date) -> Programme:
    return Programme(
        region=region,
        title=f"Наставничество первичных отделений {today.year}",
        year=today.year,
        starts_on=today - timedelta(days=150),
        ends_on=today + timedelta(days=215),
        status=ProgrammeStatus.RUNNING,
        pair_months=6,
        check_in_days=30,
        capacity=CAPACITY,
    )


def _check_ins(rng, pair: Pair, today: date, *, stalled: bool) -> list[CheckIn]:
    """Check-ins from the pair's start every 3–5 weeks; a stalled pair stops 40+ days ago."""
    last_allowed = today - timedelta(days=45 if stalled else 0)
    rows, day = [], pair.starts_on + timedelta(days=rng.randint(5, 20))
    notes = ["Обсудили план работы", "Разобрали обращения жителей", "Совместный выход к избирателям"]
    while day <= last_allowed:
        rows.append(
            CheckIn(
                pair=pair,
                held_on=day,
                kind=rng.choice(list(CheckInKind)),
                notes=rng.choice(notes),
                next_step="Следующая встреча через месяц",
            )
        )
        day += timedelta(days=rng.randint(21, 35))
    return rows


def seed(scale_name: str, rng: random.Random) -> dict:
    today = timezone.localdate()
    per_region = PAIRS_PER_REGION.get(scale_name, 12)
    regions = list(Region.objects.filter(primary_branches__isnull=False).distinct().order_by("code"))
    programmes = Programme.objects.bulk_create([_programme(region, today) for region in regions])
    by_region = {p.region_id: p for p in programmes}
    with_secretary = set(
        Position.objects.current(today)
        .filter(role=Role.PRIMARY_SECRETARY, region__in=regions)
        .values_list("primary_branch_id", flat=True)
    )
    branches: dict[int, list[PrimaryBranch]] = {}
    for branch in PrimaryBranch.objects.filter(region__in=regions).order_by("region_id", "number"):
        if branch.pk in with_secretary:
            branches.setdefault(branch.region_id, []).append(branch)

    pairs: list[tuple[Pair, bool]] = []  # (pair, stalled)
    cadres: list[YoungCadre] = []
    for region in regions:
        programme = by_region[region.pk]
        pool = branches.get(region.pk, [])
        if len(pool) < 4:
            continue
        taken: set[int] = set()
        if region.code == "10":  # №80 «Голиковка» mentors two branches of its local branch
            mentor = next(b for b in pool if b.number == 80)
            mentees = [b for b in pool if b.local_branch_id == mentor.local_branch_id and b.pk != mentor.pk][:2]
            for index, mentee in enumerate(mentees):
                pairs.append((_pair(programme, mentor, mentee, today, days_ago=60, focus=Focus.MOBILISING), index == 1))
                taken |= {mentor.pk, mentee.pk}
        if region.code == "28":  # the demo secretary's №1 mentors a branch and a young activist
            mentor = next(b for b in pool if b.number == 1)
            mentee = next(b for b in pool if b.local_branch_id == mentor.local_branch_id and b.number != 1)
            pairs.append((_pair(programme, mentor, mentee, today, days_ago=20, focus=Focus.REQUESTS), False))
            taken |= {mentor.pk, mentee.pk}
            cadres.append(_young_cadre(rng, mentee, today))
        ranked = sorted((b for b in pool if b.pk not in taken), key=lambda b: (-b.members_count, b.pk))
        if region.code == "28":  # a pair that ran most of its course and ended well (the region's page counts it)
            pairs.append((_ended_well(programme, ranked[0], ranked[len(ranked) // 2], today), True))
            taken |= {ranked[0].pk, ranked[len(ranked) // 2].pk}
            ranked = [b for b in ranked if b.pk not in taken]
        count = per_region if region.code != "28" else per_region // 2  # Amur keeps weak branches to pair
        mentors = ranked[: max(1, count // CAPACITY + 1)]
        weak = [b for b in reversed(ranked) if b not in mentors][:count]
        for index, mentee in enumerate(weak):
            if index // CAPACITY >= len(mentors):
                break
            days_ago = rng.randint(10, 140)
            pair = _pair(programme, mentors[index // CAPACITY], mentee, today, days_ago, rng.choice(list(Focus)))
            pairs.append((pair, rng.random() < 0.3))

    saved = Pair.objects.bulk_create([pair for pair, _ in pairs], batch_size=BATCH)
    stalled = [flag for _, flag in pairs]
    if cadres:
        YoungCadre.objects.bulk_create(cadres)
        amur = by_region[cadres[0].branch.region_id]
        mentor = next(p.mentor_branch for p, _ in pairs if p.programme_id == amur.pk)
        youth = Pair(
            programme=amur,
            track="youth",
            mentor_branch=mentor,
            mentee_cadre=cadres[0],
            focus=Focus.YOUTH,
            starts_on=today - timedelta(days=20),
            ends_on=today + timedelta(days=160),
            planned_ends_on=today + timedelta(days=160),
            status=PairStatus.ACTIVE,
        )
        youth.save()
        saved.append(youth)
        stalled.append(False)
    check_ins = [
        row for pair, flag in zip(saved, stalled, strict=True) for row in _check_ins(rng, pair, today, stalled=flag)
    ]
    CheckIn.objects.bulk_create(check_ins, batch_size=BATCH)
    reminders = sum(services.programme_reminders_plan(programme=p)["planned"] for p in programmes)
    return {
        "programmes": len(programmes),
        "pairs": len(saved),
        "check_ins": len(check_ins),
        "young_activists": len(cadres),
        "reminders": reminders,
    }


def _pair(programme, mentor, mentee, today, days_ago, focus) -> Pair:
    starts_on = max(programme.starts_on, today - timedelta(days=days_ago))
    ends_on = min(programme.ends_on, starts_on + timedelta(days=182))
    return Pair(
        programme=programme,
        mentor_branch=mentor,
        mentee_branch=mentee,
        focus=focus,
        starts_on=starts_on,
        ends_on=ends_on,
        planned_ends_on=ends_on,
        status=PairStatus.ACTIVE,
        reasons="то же местное отделение" if mentor.local_branch_id == mentee.local_branch_id else "",
    )


def _ended_well(programme, mentor, mentee, today) -> Pair:
    """A pair from the programme's first day, ended early ten days ago after more than three quarters of its time."""
    planned = programme.starts_on + timedelta(days=182)
    ended_on = today - timedelta(days=10)
    return Pair(
        programme=programme,
        mentor_branch=mentor,
        mentee_branch=mentee,
        focus=Focus.REPORTING,
        starts_on=programme.starts_on,
        ends_on=ended_on,
        planned_ends_on=planned,
        status=PairStatus.ENDED,
        ended_on=ended_on,
        end_reason="Секретарь подопечного отделения избран в совет местного отделения",
    )


def _young_cadre(rng, branch, today) -> YoungCadre:
    person = Person.objects.create(
        last_name="Молодцова", first_name="Алина", patronymic="Игоревна", time_zone=branch.region.time_zone
    )
    return YoungCadre(person=person, branch=branch, birth_year=today.year - rng.randint(19, 27), marked_on=today)
