"""Demo and national-scale councils, deterministic for a seed.

Every seeded region gets its council filled from the secretaries of its primary
branches: most local branches have a representative (some terms ending within 60, 30
and 7 days), a few are vacant (some for more than 30 days), the chair and the deputy
chair are in office, and past terms make a history. Amur gets meetings with
attendance and decisions as well. Rows are written with bulk statements; the
database constraints still check each.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from branches.models import LocalBranch, Position, Region, Role
from councils import services
from councils.models import Attendance, Council, CouncilDecision, CouncilMeeting, CouncilSeat, SeatRole
from councils.services import add_years

BATCH = 5000
AMUR = "28"
# Amur's representatives whose terms end this many days from today (to act on), and
# its vacancies: local branches whose last term ended this many days ago (None: never filled).
AMUR_EXPIRING = (3, 6, 18, 27, 41, 55)
AMUR_VACANT = (40, 75, None, None)


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


class CouncilSeeder:
    """Builds the seats of one council in memory; `save` writes every council's seats at once."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.seats: list[CouncilSeat] = []

    def term(self, council, role, person_id, starts_on, ends_on, local_branch_id=None, decision=("", None)):
        seat = CouncilSeat(
            council=council,
            region_id=council.region_id,
            role=role,
            local_branch_id=local_branch_id,
            person_id=person_id,
            starts_on=starts_on,
            ends_on=ends_on,
            decision_number=decision[0],
            decision_date=decision[1],
        )
        self.seats.append(seat)
        return seat

    def paper_decision(self, starts_on: date) -> tuple[str, date]:
        """A decision taken before this app: a number and a date, a few days before the term."""
        return str(self.rng.randint(1, 40)), starts_on - timedelta(days=self.rng.randint(3, 20))

    def representative(self, council, local_id, people, days_left, *, history: bool):
        """A current one-year term ending in `days_left` days, and the term before it."""
        ends_on = self.today + timedelta(days=days_left)
        starts_on = _years_back(ends_on, 1)
        person = people.pop() if people else None
        if person is None:
            return
        self.term(
            council, SeatRole.REPRESENTATIVE, person, starts_on, ends_on, local_id, self.paper_decision(starts_on)
        )
        if history and people:
            before = _years_back(starts_on, 1)
            self.term(council, SeatRole.REPRESENTATIVE, people.pop(), before, starts_on, local_id, ("", None))

    def vacancy(self, council, local_id, people, ended_days_ago):
        """A local branch whose representative's term ended `ended_days_ago` days ago."""
        if ended_days_ago is None or not people:
            return
        ends_on = self.today - timedelta(days=ended_days_ago)
        starts_on = _years_back(ends_on, 1)
        self.term(council, SeatRole.REPRESENTATIVE, people.pop(), starts_on, ends_on, local_id, ("", None))

    def leaders(self, council, people):
        """The chair (in the second of five years) and the deputy chair, with the chair before."""
        if len(people) < 3:
            return
        chair_start = self.today - timedelta(days=self.rng.randint(380, 700))
        self.term(
            council, SeatRole.CHAIR, people.pop(), chair_start, add_years(chair_start, 5), None, ("1", chair_start)
        )
        self.term(council, SeatRole.CHAIR, people.pop(), _years_back(chair_start, 5), chair_start)
        deputy_start = chair_start + timedelta(days=self.rng.randint(10, 60))
        self.term(council, SeatRole.DEPUTY_CHAIR, people.pop(), deputy_start, add_years(deputy_start, 5))

    def save(self) -> int:
        CouncilSeat.objects.bulk_create(self.seats, batch_size=BATCH)
        return len(self.seats)


def _secretaries_by_local(region_ids) -> dict:
    """Current primary-branch secretaries per local branch: the people representatives come from."""
    people: dict = {}
    rows = (
        Position.objects.current()
        .filter(role=Role.PRIMARY_SECRETARY, region_id__in=region_ids)
        .order_by("local_branch_id", "pk")
        .values_list("local_branch_id", "person_id")
    )
    for local_id, person_id in rows:
        people.setdefault(local_id, []).append(person_id)
    return people


def _meetings(council: Council, seats: list[CouncilSeat], rng: random.Random, today: date) -> tuple[int, int]:
    """Two meetings with attendance and decisions; the later one approved two of today's terms."""
    created = 0
    decisions = 0
    for number, (days_ago, agenda, texts) in enumerate(
        (
            (
                200,
                "1. Отчёт о работе Совета за полугодие.\n2. О подготовке к конкурсу первичных отделений.",
                ["Принять отчёт к сведению.", "Утвердить план подготовки к конкурсу."],
            ),
            (
                21,
                "1. Об утверждении представителей местных отделений.\n2. О графике личных приёмов.",
                ["Утвердить представителей местных отделений.", "Одобрить график приёмов на квартал."],
            ),
        ),
        start=1,
    ):
        held_on = today - timedelta(days=days_ago)
        filled = [seat for seat in seats if seat.starts_on <= held_on < seat.ends_on]
        meeting = CouncilMeeting.objects.create(
            council=council, number=number, held_on=held_on, agenda=agenda, seats_filled=len(filled)
        )
        present = [seat for seat in filled if rng.random() < 0.8]
        Attendance.objects.bulk_create([Attendance(meeting=meeting, seat=seat) for seat in present])
        recorded = CouncilDecision.objects.bulk_create(
            [
                CouncilDecision(council=council, meeting=meeting, number=str(number), text=text)
                for number, text in enumerate(texts, start=1)
            ]
        )
        created += 1
        decisions += len(recorded)
    # The latest meeting approved the terms that started after it.
    approving = recorded[0]
    later = [seat.pk for seat in seats if seat.starts_on > approving.meeting.held_on][:2]
    CouncilSeat.objects.filter(pk__in=later).update(decision=approving, decision_number="", decision_date=None)
    return created, decisions


def seed(scale_name: str, rng: random.Random) -> dict:
    """Fill the council of every region that has local branches; return counts."""
    today = timezone.localdate()
    region_ids = list(LocalBranch.objects.values_list("region_id", flat=True).distinct())
    regions = Region.objects.filter(pk__in=region_ids).order_by("code")
    existing = set(Council.objects.filter(region__in=regions).values_list("region_id", flat=True))
    Council.objects.bulk_create([Council(region=region) for region in regions if region.pk not in existing])
    councils = {c.region_id: c for c in Council.objects.filter(region__in=regions).select_related("region")}
    locals_by_region: dict = {}
    for local in LocalBranch.objects.filter(region_id__in=region_ids, closed_on__isnull=True).order_by("name"):
        locals_by_region.setdefault(local.region_id, []).append(local.pk)
    people_by_local = _secretaries_by_local(region_ids)
    seeder = CouncilSeeder(rng, today)
    vacancies = 0
    for region in regions:
        council = councils[region.pk]
        local_ids = locals_by_region.get(region.pk, [])
        spare = []  # people for the chair and the deputy: secretaries no one else uses
        plan: dict[int, tuple[str, int | None]] = {}
        if region.code == AMUR:
            for local_id, days_left in zip(local_ids, AMUR_EXPIRING, strict=False):
                plan[local_id] = ("term", days_left)
            for local_id, ended in zip(reversed(local_ids), AMUR_VACANT, strict=False):
                plan[local_id] = ("vacant", ended)
        for local_id in local_ids:
            people = list(people_by_local.get(local_id, []))
            rng.shuffle(people)
            kind, value = plan.get(local_id) or (
                ("vacant", rng.choice([None, rng.randint(5, 90)])) if rng.random() < 0.08 else ("term", None)
            )
            if kind == "vacant":
                seeder.vacancy(council, local_id, people, value)
                vacancies += 1
            else:
                days_left = value if value is not None else rng.randint(61, 364)
                seeder.representative(council, local_id, people, days_left, history=rng.random() < 0.6)
            spare.extend(people[:1])
        seeder.leaders(council, spare)
    seats = seeder.save()
    meetings = decisions = 0
    amur = next(
        (council for council in councils.values() if council.region is not None and council.region.code == AMUR), None
    )
    if amur is not None:
        amur_seats = [seat for seat in seeder.seats if seat.council_id == amur.pk]
        meetings, decisions = _meetings(amur, amur_seats, rng, today)
    # Plan the reminders the seeded seats call for: the due ones reach the inboxes at once.
    reminders = 0
    for council in councils.values():
        reminders += services.council_reminders_plan(council=council, today=today)["planned"]
    federal = federal_seed(scale_name, rng, today)
    return {
        **federal,
        "councils": len(councils),
        "seats": seats,
        "vacancies": vacancies,
        "meetings": meetings,
        "decisions": decisions,
        "reminders": reminders,
    }


# The federal council ------------------------------------------------------------

# The decisions of the session in the article (the close of the Year of Primary Branches,
# before the State Duma campaign): (text, days to carry it out, measured by (figure, target)).
Decision = tuple[str, int, tuple[str, int] | None]
ARTICLE_DECISIONS: tuple[Decision, ...] = (
    (
        "Руководителям региональных и местных отделений, депутатам всех уровней проводить регулярные личные "
        "приёмы секретарей первичных отделений.",
        60,
        ("receptions.hosts_at_norm", 80),
    ),
    ("Секретарям первичных отделений участвовать во всех партийных мероприятиях на территории их отделений.", 90, None),
    ("Проводить конкурс первичных отделений ежегодно.", 120, None),
    ("Обеспечить прохождение секретарями обучающего онлайн-курса Высшей партийной школы.", 150, None),
    ("Учитывать партийный опыт секретарей первичных отделений при формировании кадрового резерва.", 120, None),
    ("Утверждать председателей региональных советов первичных отделений сроком на пять лет.", 30, None),
    ("Развивать институт наставничества среди первичных отделений и работу с молодыми кадрами.", 180, None),
)
AGENDA = (
    ("Итоги Года первичных отделений", "Председатель партии"),
    # A best practice presented: its link goes to the contest library (councils are seeded first).
    (
        "Лучшие практики победителей конкурса первичных отделений",
        "Е. Литвинова, первичное отделение №80 «Голиковка»",
        "/library/",
    ),
    ("О сроке полномочий председателей региональных советов", "И. Халютина, первичное отделение №2024, Обнинск"),
    ("О подготовке к избирательной кампании в Государственную Думу", ""),
)


def federal_seed(scale_name: str, rng: random.Random, today: date) -> dict:
    """The federal council: two appointed members, the article's session with its decisions issued as
    assignments to every region (national scale: four sessions a year of ten decisions each)."""
    from assignments.services import Addressees, directive_issue
    from branches.models import Person

    council = services.federal_council()
    members = []
    for person in Person.objects.filter(positions__role=Role.REGIONAL_HEAD).order_by("pk").distinct()[:2]:
        members.append(
            services.seat_appoint(
                council=council,
                role=SeatRole.MEMBER,
                person=person,
                starts_on=today - timedelta(days=400),
                ends_on=today + timedelta(days=1400),
            )
        )
    sessions: list[tuple[date, str, tuple[Decision, ...]]] = [
        (today - timedelta(days=45), "Итоги Года первичных отделений", ARTICLE_DECISIONS)
    ]
    if scale_name == "national":
        texts: tuple[Decision, ...] = (
            *((text, days, None) for text, days, _measured in ARTICLE_DECISIONS),
            *((f"Поручение №{n} по итогам заседания.", 90, None) for n in range(8, 11)),
        )
        sessions = [(today - timedelta(days=45 + 91 * n), f"Заседание квартала {n + 1}", texts) for n in range(4)]
    decisions = directives = assignments = 0
    for held_on, agenda, texts in sorted(sessions):
        meeting = services.meeting_create(
            council=council,
            held_on=held_on,
            agenda=agenda,
            place="Москва",
            items=list(AGENDA),
            guests="Победители конкурса первичных отделений",
        )
        expected = list(services.expected_seats(meeting))
        present = [seat for seat in expected if rng.random() < 0.85] or expected
        services.attendance_record(meeting=meeting, present=present)
        for text, days, measured in texts:
            decision = services.decision_record(meeting=meeting, number="", text=text)
            directive = directive_issue(
                source_key=f"councils.decision.{decision.pk}",
                source_label=f"{council}: {decision}",
                source_url=meeting.get_absolute_url(),
                title=text[:300],
                issued_on=held_on,
                due_on=held_on + timedelta(days=days),
                to=Addressees(all_regions=True),
                figure=measured[0] if measured else "",
                target=Decimal(measured[1]) if measured else None,
            )
            decisions += 1
            directives += 1
            assignments += directive.assignments.count()
            if scale_name == "national":
                assignments += _pass_down_everywhere(directive)
            elif not measured:
                _part_way(directive, rng, today)
    return {"federal sessions": len(sessions), "federal decisions": decisions, "assignments": assignments}


def _part_way(directive, rng: random.Random, today: date) -> None:
    """Amur passes the directive down to three local branches, one of which reported and was accepted;
    Karelia reported; a few other regions reported or were accepted."""
    from assignments import services as assignments
    from branches.models import Person

    staff = {
        code: Person.objects.filter(positions__role=Role.REGIONAL_STAFF, positions__region__code=code).first()
        for code in (AMUR, "10")
    }
    for assignment in directive.assignments.select_related("region").order_by("region__code"):
        code = assignment.region.code
        if code == AMUR:
            locals_ = list(LocalBranch.objects.filter(region_id=assignment.region_id).order_by("name")[:3])
            children = assignments.assignment_pass_down(assignment=assignment, local_branches=locals_, by=staff[AMUR])
            assignments.assignment_report(assignment=children[0], by=None, report="Проведено, список приложен.")
            assignments.assignment_accept(assignment=children[0], by=staff[AMUR])
            if rng.random() < 0.5:
                assignments.assignment_report(assignment=children[1], by=None, report="Выполнено частично.")
        elif code == "10":
            assignments.assignment_report(
                assignment=assignment, by=staff["10"], report="Выполнено во всех местных отделениях."
            )
        elif rng.random() < 0.25:
            assignments.assignment_report(assignment=assignment, by=None, report="Выполнено.")
            if rng.random() < 0.6:
                assignments.assignment_accept(assignment=assignment, by=None)


def _pass_down_everywhere(directive) -> int:
    """National scale: every region passes the directive down to all its open local branches, in one
    INSERT ... SELECT (was 105,000 model instances through bulk_create: half of this app's time)."""
    from assignments.models import Assignment, State

    table = connection.ops.quote_name(Assignment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (
                directive_id, parent_id, region_id, local_branch_id, person_id, via_post, issued_on, due_on,
                state, report, value, changed_at, finished
            )
            SELECT parent.directive_id, parent.id, parent.region_id, local.id, NULL, '', parent.issued_on,
                   parent.due_on, %s, '', NULL, %s, false
            FROM {table} parent
            JOIN branches_localbranch local ON local.region_id = parent.region_id AND local.closed_on IS NULL
            WHERE parent.directive_id = %s AND parent.parent_id IS NULL
            ORDER BY parent.id, local.id
            """,
            [State.OPEN, timezone.now(), directive.pk],
        )
        return cursor.rowcount
