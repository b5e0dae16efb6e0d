"""Demo events, deterministic for a seed.

Amur gets a year of closed events (each local branch one every month, the region four),
their lists frozen from the tree and attendance marked (about three in four came, some
excused, some absent), so the region report has something to show; an event that ended
yesterday and is still open, for the staff to mark and close; and two upcoming events
the Amur demo secretary (branch №1) is expected at and can answer. Heads' meetings: the
past ones invited an activist from most Amur local branches (a few had none, so the
report names them), the year's plan is six, and an upcoming meeting takes nominations
(two per local branch; a few are already in) and has a question from the demo secretary
to answer or turn into an assignment. Every other seeded region gets one upcoming
regional event. At national scale every other region gets its year too (each local
branch one event a month, the region four), about a million expected lines written by
one INSERT … SELECT per region (`_national_year`). Past events are written in bulk (their reminders
would only be stale messages); upcoming ones are published through the service, which
plans their reminders.
"""

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pgtrigger
from django.db import connection
from django.db.models import F
from django.utils import timezone

from branches.models import LocalBranch, Person, Position, PrimaryBranch, Region, Role
from events import services
from events.models import (
    MARK_TRIGGER,
    Event,
    EventKind,
    EventStatus,
    ExpectedPerson,
    InvitationRule,
    Mark,
    Source,
)

ACTIVIST_NAMES = [
    ("Активистова", "Алина"),
    ("Молодцов", "Максим"),
    ("Инициативная", "Ирина"),
    ("Добровольцев", "Денис"),
]
# Local branches (every LEFT_OUT-th by name) whose activists no past head's meeting invited.
LEFT_OUT = 7

AMUR = "28"
MONTHS = 12
TITLES = ["Заседание политсовета", "Семинар секретарей первичных отделений", "Отчётное собрание", "Учёба актива"]


def _organiser(region: Region) -> Person:
    demo = Person.objects.filter(user__username="staff-amur").first() if region.code == AMUR else None
    if demo is not None:
        return demo
    staff = Position.objects.current().filter(region=region, role=Role.REGIONAL_STAFF).order_by("pk").first()
    if staff is None:
        staff = Position.objects.current().filter(region=region).order_by("pk").first()
    return staff.person


def _at(region: Region, day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(region.time_zone))


def _past_event(region, organiser, rng, *, day, local_branch=None, kind=EventKind.PARTY_EVENT, closed=True, invite=()):
    starts_at = _at(region, day, rng.choice([10, 14, 17]))
    event = services.event_create(
        region=region,
        local_branch=local_branch,
        organiser=organiser,
        kind=kind,
        title=rng.choice(TITLES),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place=f"{(local_branch or region).name}, зал заседаний",
    )
    lines = [
        ExpectedPerson(event=event, primary_branch_id=branch_id, person_id=person_id, added_at=starts_at)
        for branch_id, person_id in services._tree_lines(event).items()
    ]
    lines += _invited_lines(event, list(invite), rng)
    for line in lines:
        if closed and line.person_id is not None:
            line.mark = rng.choices([Mark.CAME, Mark.EXCUSED, Mark.ABSENT], weights=[75, 10, 15])[0]
            line.marked_at = event.ends_at
    published = starts_at - timedelta(days=7)
    Event.objects.filter(pk=event.pk).update(
        status=EventStatus.PUBLISHED, published_at=published, expected_checked_at=published
    )
    ExpectedPerson.objects.bulk_create(lines, batch_size=5000)
    if closed:
        Event.objects.filter(pk=event.pk).update(
            status=EventStatus.CLOSED, closed_at=event.ends_at + timedelta(hours=20), report="Проведено по плану."
        )
    return event, len(lines)


def _upcoming(region, organiser, *, starts_at, title, local_branch=None, kind=EventKind.PARTY_EVENT):
    event = services.event_create(
        region=region,
        local_branch=local_branch,
        organiser=organiser,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place=f"{(local_branch or region).name}, Дом культуры",
    )
    return services.event_publish(event=event)


def seed(scale_name: str, rng: random.Random) -> dict:
    """Fill Amur's year of events and an upcoming event in every other region; return counts."""
    events = lines = 0
    region_ids = LocalBranch.objects.values_list("region_id", flat=True).distinct()
    for region in Region.objects.filter(pk__in=region_ids).order_by("code"):
        organiser = _organiser(region)
        local_day = timezone.localdate(timezone=ZoneInfo(region.time_zone))
        if region.code == AMUR:
            for local in LocalBranch.objects.filter(region=region, closed_on__isnull=True).order_by("name"):
                for month in range(1, MONTHS + 1):
                    day = local_day - timedelta(days=30 * month - rng.randint(0, 20))
                    _, count = _past_event(region, organiser, rng, day=day, local_branch=local)
                    events, lines = events + 1, lines + count
            locals_ = list(LocalBranch.objects.filter(region=region, closed_on__isnull=True).order_by("name"))
            for quarter in range(4):
                day = local_day - timedelta(days=90 * quarter + rng.randint(10, 40))
                # A quarter of the local branches each time, every LEFT_OUT-th never.
                invite = [lb for i, lb in enumerate(locals_) if i % 4 == quarter and i % LEFT_OUT]
                _, count = _past_event(region, organiser, rng, day=day, kind=EventKind.HEAD_MEETING, invite=invite)
                events, lines = events + 1, lines + count
            services.head_meeting_plan_set(region=region, year=local_day.year, planned=6)
            # Ended yesterday, still open: the staff mark it and close it.
            secretary_local = (
                (
                    Position.objects.current().filter(
                        role=Role.PRIMARY_SECRETARY, region=region, primary_branch__number=1
                    )
                )
                .values_list("local_branch_id", flat=True)
                .first()
            )
            local = LocalBranch.objects.get(pk=secretary_local)
            _, count = _past_event(
                region, organiser, rng, day=local_day - timedelta(days=1), local_branch=local, closed=False
            )
            events, lines = events + 1, lines + count
            _upcoming(
                region,
                organiser,
                starts_at=_at(region, local_day + timedelta(days=10), 16),
                title="Семинар секретарей первичных отделений",
                local_branch=local,
            )
            events += 1
            lines += _nominating_meeting(region, organiser, locals_, local_day, rng)
            events += 1
        elif scale_name == "national":
            year_events, year_lines = _national_year(region, organiser, local_day, rng)
            events, lines = events + year_events, lines + year_lines
        event = _upcoming(
            region,
            organiser,
            starts_at=_at(region, local_day + timedelta(days=6), 11),
            title="Региональное совещание секретарей первичных отделений",
        )
        events += 1
        lines += event.expected.count()
    return {"events": events, "expected lines": lines}


def _activist(rng: random.Random, index: int) -> Person:
    last, first = ACTIVIST_NAMES[index % len(ACTIVIST_NAMES)]
    return Person.objects.create(last_name=last, first_name=first, patronymic=rng.choice(["Сергеевна", "Петрович", ""]))


def _invited_lines(meeting: Event, locals_: list[LocalBranch], rng: random.Random) -> list[ExpectedPerson]:
    """A past meeting's invited activists, one per local branch (marked with the rest of the list)."""
    lines = []
    for index, local in enumerate(locals_):
        branch = PrimaryBranch.objects.filter(local_branch=local).order_by("number").first()
        if branch is None:
            continue
        lines.append(
            ExpectedPerson(
                event=meeting,
                person=_activist(rng, index),
                primary_branch=branch,
                local_branch=local,
                source=Source.INVITED,
                reason=f"Выдвинут(а): {local.name}",
                added_at=meeting.starts_at - timedelta(days=7),
            )
        )
    return lines


def _nominating_meeting(region, organiser, locals_, local_day, rng: random.Random) -> int:
    """An upcoming head's meeting taking nominations (two per local branch), a few already in, a question."""
    starts_at = _at(region, local_day + timedelta(days=14), 15)
    meeting = services.event_create(
        region=region,
        organiser=organiser,
        kind=EventKind.HEAD_MEETING,
        title="Встреча главы региона с активом первичных отделений",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place=f"{region.name}, Дом правительства, малый зал",
    )
    services.invitation_set(
        event=meeting,
        rule=InvitationRule.NOMINATED,
        per_local_branch=2,
        nominations_due=starts_at - timedelta(days=5),
    )
    meeting = services.event_publish(event=meeting)
    for index, local in enumerate(locals_[:5]):
        secretaries = Position.objects.current().filter(role=Role.LOCAL_SECRETARY, local_branch=local)
        secretary = secretaries.select_related("person").first()
        branch = PrimaryBranch.objects.filter(local_branch=local, closed_on__isnull=True).order_by("number").first()
        if secretary is None or branch is None:
            continue
        last, first = ACTIVIST_NAMES[index % len(ACTIVIST_NAMES)]
        services.nomination_add(
            event=meeting, primary_branch=branch, by=secretary.person, last_name=last, first_name=first
        )
    secretary = Person.objects.filter(user__username="secretary").first()
    line = meeting.expected.active().filter(person=secretary).first() if secretary else None
    if line is not None:
        services.question_ask(line=line, text="Когда в посёлке отремонтируют дорогу к школе?")
    return meeting.expected.count()


# The expected lines of a year of closed events, frozen from the tree in one statement: for each
# event, every primary branch of its unit open on its local date with the secretary whose term
# covers it (vacant: no person), a person secretary of two branches of the unit listed once (as
# _tree_lines does), and a mark drawn for each secretary (three in four came). Check-in codes are
# derived from the ids (ten characters of the code alphabet): seed data, never shown at a door.
_YEAR_LINES_SQL = """
INSERT INTO events_expectedperson (
    event_id, person_id, primary_branch_id, local_branch_id, nominated_by_id, name, source, reason,
    added_at, removed_at, removed_reason, answer, cannot_reason, answer_note, answered_at,
    mark, marked_at, check_in_code, checked_in_at
)
SELECT event_id, person_id, branch_id, NULL, NULL, '', 'tree', '',
       published_at, NULL, '', '', '', '', NULL,
       CASE WHEN person_id IS NULL THEN '' WHEN r < 0.75 THEN 'came' WHEN r < 0.85 THEN 'excused' ELSE 'absent' END,
       CASE WHEN person_id IS NULL THEN NULL ELSE ends_at END,
       translate(upper(substr(md5(event_id::text || '-' || branch_id::text), 1, 10)), '01', 'XY'),
       NULL
FROM (
    SELECT DISTINCT ON (e.id, COALESCE(s.person_id, -pb.id))
           e.id AS event_id, s.person_id, pb.id AS branch_id, e.published_at, e.ends_at, random() AS r
    FROM events_event e
    CROSS JOIN LATERAL (SELECT (e.starts_at AT TIME ZONE %s)::date AS day) d
    JOIN branches_primarybranch pb
      ON pb.region_id = e.region_id
     AND (e.local_branch_id IS NULL OR pb.local_branch_id = e.local_branch_id)
     AND (pb.opened_on IS NULL OR pb.opened_on <= d.day)
     AND (pb.closed_on IS NULL OR pb.closed_on > d.day)
    LEFT JOIN LATERAL (
        SELECT p.person_id FROM branches_position p
        WHERE p.primary_branch_id = pb.id AND p.role = 'primary_secretary'
          AND p.starts_on <= d.day AND (p.ends_on IS NULL OR p.ends_on > d.day)
        ORDER BY p.starts_on DESC, p.id LIMIT 1
    ) s ON true
    WHERE e.id = ANY(%s) AND e.status IN ('published', 'held')
    ORDER BY e.id, COALESCE(s.person_id, -pb.id), pb.number
) lines
"""


def _national_year(region: Region, organiser: Person, local_day, rng: random.Random) -> tuple[int, int]:
    """A closed year of a region: each local branch one event a month, the region four; one INSERT of lines.

    Steps: the events in one bulk insert, published (the attendance trigger takes marks on
    published events only); their lines in one INSERT … SELECT; the events closed with a report.
    """
    locals_ = list(LocalBranch.objects.filter(region=region, closed_on__isnull=True).order_by("pk"))
    units: list[tuple[LocalBranch | None, int]] = [
        (local, month) for local in locals_ for month in range(1, MONTHS + 1)
    ]
    units += [(None, quarter * 3 + 1) for quarter in range(4)]
    rows = []
    for local, month in units:
        day = local_day - timedelta(days=30 * month - rng.randint(0, 20))
        starts_at = _at(region, day, rng.choice([10, 14, 17]))
        rows.append(
            Event(
                region=region,
                local_branch=local,
                organiser=organiser,
                kind=EventKind.PARTY_EVENT if local is not None else EventKind.HEAD_MEETING,
                title=rng.choice(TITLES),
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=2),
                place=f"{(local if local is not None else region).name}, зал заседаний",
                status=EventStatus.PUBLISHED,
                published_at=starts_at - timedelta(days=7),
                expected_checked_at=starts_at - timedelta(days=7),
            )
        )
    created = Event.objects.bulk_create(rows, batch_size=2000)
    ids = [event.pk for event in created]
    # The mark trigger would check, line by line, that each event is open (a function call, a
    # subtransaction and a row lock per line: 1.5 M lines); the statement's own condition on
    # the events' status holds the same rule for the whole set at once. Skipped for this statement
    # only (pgtrigger's ignore: the trigger returns at once for this statement's rows).
    with pgtrigger.ignore(f"events.ExpectedPerson:{MARK_TRIGGER}"), connection.cursor() as cursor:
        cursor.execute(_YEAR_LINES_SQL, [region.time_zone, ids])
        lines = cursor.rowcount
    # Closed a day after they ended (one UPDATE; a bulk_update's CASE WHEN grows with the square).
    Event.objects.filter(pk__in=ids).update(
        status=EventStatus.CLOSED, closed_at=F("ends_at") + timedelta(hours=20), report="Проведено по плану."
    )
    return len(created), lines
