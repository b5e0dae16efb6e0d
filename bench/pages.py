"""Every GET page of the URL × role table, opened on the benchmark data as a role that may see it.

The table is the access test's (`core.testing.access_rows`): a page added to it is measured
here without touching the bench. Each page is opened by the first role of ROLE_ORDER its row
lets in (the administrator first: lists of the whole country are the largest); the desk by
every role. Ids come from the seed (SEED_IDS, by URL name); a row without a finder falls back
to its own kwargs builder with the bench's cast, inside a transaction rolled back afterwards
(pure builders such as `_region_a` give seed ids anyway; the note says which ones were built).
A page that cannot be opened is listed with the reason, never skipped silently.
"""

import fnmatch
from collections.abc import Callable
from dataclasses import fields
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.measure import Result, count_queries, summary, timings
from core.testing import AccessRow, access_rows

TARGET_MS = 100
MAX_QUERIES = 12
# The demo logins of the seed standing in for the cast of the access test.
USERNAMES = {
    "staff_a": "staff-amur",
    "staff_b": "staff-karelia",
    "secretary": "secretary",
    "host": "host",
    "juror": "juror",
    "admin": "admin",
}
ROLE_ORDER = ("admin", "staff_a", "secretary", "host", "juror", "staff_b", "anonymous")
EVERY_ROLE = {"desk:home"}
_DEFAULT_KWARGS = next(f for f in fields(AccessRow) if f.name == "kwargs").default


class BenchCast:
    """The access test's cast, drawn from the seed: Amur is region A, Karelia region B."""

    def __init__(self):
        from branches.models import Person, PrimaryBranch, Region

        User = get_user_model()
        self.users = {role: User.objects.get(username=name) for role, name in USERNAMES.items()}
        self.people = {role: Person.objects.filter(user=user).first() for role, user in self.users.items()}
        self.region_a = Region.objects.get(code="28")
        self.region_b = Region.objects.get(code="10")
        secretary = self.people["secretary"]
        self.branch_a = PrimaryBranch.objects.filter(positions__person=secretary).select_related("local_branch")[0]
        self.local_a1 = self.branch_a.local_branch
        self.branch_a2 = (
            PrimaryBranch.objects.filter(region=self.region_a).exclude(local_branch=self.local_a1).order_by("number")[0]
        )
        self.local_a2 = self.branch_a2.local_branch
        self.branch_b = PrimaryBranch.objects.get(region=self.region_b, number=80)
        self.local_b1 = self.branch_b.local_branch

    def user(self, role):
        return self.users.get(role)

    def person(self, role):
        return self.people.get(role)


def _first(queryset, **extra):
    obj = queryset.order_by("pk").first()
    return None if obj is None else {"pk": obj.pk, **extra}


def _amur_contest(cast, **filters):
    from contests.models import Contest

    return Contest.objects.filter(region=cast.region_a, **filters).order_by("-year", "pk").first()


def _contest(cast):
    contest = _amur_contest(cast)
    return contest and {"pk": contest.pk}


def _juror_contest(cast):
    from contests.models import Contest

    return Contest.objects.filter(jurors__person=cast.person("juror")).order_by("-year", "pk").first()


def _host_position(cast):
    from branches.models import Position

    return Position.objects.current().filter(person=cast.person("host")).order_by("pk").first()


def _secretary_booking(cast):
    from receptions.models import Booking

    return _first(Booking.objects.filter(secretary=cast.person("secretary")))


def _amur_event(cast, **filters):
    from events.models import Event

    return _first(Event.objects.filter(region=cast.region_a, **filters))


def _amur_seat(cast):
    from councils.models import CouncilSeat

    return _first(CouncilSeat.objects.filter(council__region=cast.region_a))


def _amur_meeting(cast):
    from councils.models import CouncilMeeting

    return _first(CouncilMeeting.objects.filter(council__region=cast.region_a))


def _amur_programme(cast):
    from mentorship.models import Programme

    return _first(Programme.objects.filter(region=cast.region_a))


def _secretary_pair(cast):
    from django.db.models import Q

    from mentorship.models import Pair

    branch = cast.branch_a
    return _first(Pair.objects.filter(Q(mentor_branch=branch) | Q(mentee_branch=branch)))


def _entry(cast):
    from contests.models import Entry

    return _first(Entry.objects.filter(branch=cast.branch_a)) or _first(
        Entry.objects.filter(contest__region=cast.region_a)
    )


def _score(cast):
    from contests.models import Entry, Juror

    juror = Juror.objects.filter(person=cast.person("juror"), contest__status="judging").order_by("pk").first()
    if juror is None:
        return None
    entries = Entry.objects.filter(contest=juror.contest, status="submitted")
    if juror.nomination_id:
        entries = entries.filter(nomination=juror.nomination_id)
    if juror.home_local_branch_id:
        entries = entries.exclude(branch__local_branch=juror.home_local_branch_id)
    entry = entries.order_by("pk").first()
    return entry and {"pk": juror.contest_id, "entry_pk": entry.pk}


def _draft_contest(cast):
    from contests.models import Contest

    return _first(Contest.objects.filter(status="draft"))


def _nomination(cast):
    from contests.models import Nomination

    contest = _amur_contest(cast)
    return contest and _first(Nomination.objects.filter(contest=contest))


def _own_entry(cast):
    from contests.models import Entry

    return _first(Entry.objects.filter(branch=cast.branch_a))


def _practice(cast):
    from contests.models import Result as ContestResult

    # A practice of the library: placed, in a contest published or archived (contests.access).
    result = (
        ContestResult.objects.filter(place__isnull=False, contest__status__in=["published", "archived"])
        .order_by("pk")
        .first()
    )
    return result and {"pk": result.entry_id}


def _attachment(cast):
    from contests.models import Attachment

    return _first(Attachment.objects.filter(entry__contest__region=cast.region_a))


def _criterion(cast):
    from contests.models import Criterion

    contest = _amur_contest(cast)
    return contest and _first(Criterion.objects.filter(contest=contest))


def _host(cast):
    position = _host_position(cast)
    return position and {"pk": position.pk}


def _host_day(cast):
    position = _host_position(cast)
    return position and {"pk": position.pk, "day": timezone.localdate() + timedelta(days=7)}


def _free_slot(cast):
    from receptions.models import Slot

    return _first(
        Slot.objects.free().filter(host=cast.person("host"), starts_at__gte=timezone.now() + timedelta(days=2))
    )


def _schedule(cast):
    from receptions.models import Schedule

    return _first(Schedule.objects.filter(host=cast.person("host")))


def _day_off(cast):
    from receptions.models import DayOff

    day_off = DayOff.objects.filter(host=cast.person("host")).order_by("pk").first()
    position = _host_position(cast)
    return day_off and position and {"pk": position.pk, "day_off_pk": day_off.pk}


def _assignment(cast):
    from assignments.models import Assignment

    return _first(Assignment.objects.filter(region=cast.region_a, local_branch=None, person=None))


def _directive(cast):
    from assignments.models import Directive

    return _first(Directive.objects.filter(source_key__startswith="councils.decision."))


def _federal_decision(cast):
    from councils.models import CouncilDecision

    return _first(CouncilDecision.objects.filter(council__region=None))


def _message(cast):
    from notifications.models import Notification

    return _first(Notification.objects.filter(recipient=cast.person("secretary"), status="delivered")) or _first(
        Notification.objects.filter(recipient__user__isnull=False, status="delivered")
    )


def _question(cast):
    """A question of an Amur head's meeting; the seed has none, so one is asked (rolled back) by a
    person expected at the next published head's meeting of the region."""
    from events import services
    from events.models import ExpectedPerson, Question

    question = _first(Question.objects.filter(event__region=cast.region_a))
    if question is not None:
        return question
    line = (
        ExpectedPerson.objects.active()
        .filter(
            event__region=cast.region_a,
            event__kind="head_meeting",
            event__status="published",
            event__starts_at__gt=timezone.now(),
        )
        .order_by("event__starts_at", "pk")
        .first()
    )
    return line and {"pk": services.question_ask(line=line, text="Когда отремонтируют дорогу?").pk}


def _training_assignment(cast):
    from training.models import CourseAssignment

    return _first(CourseAssignment.objects.filter(person=cast.person("secretary"))) or _first(
        CourseAssignment.objects.filter(region=cast.region_a)
    )


def _training_run(cast):
    from training.models import SyncRun

    return _first(SyncRun.objects.filter(region=cast.region_a))


def _import_job(cast):
    from branches.models import ImportJob

    return _first(ImportJob.objects.filter(region=cast.region_a))


# URL name → the seed's ids for it (None: the seed has no such object; the row's builder is tried).
SEED_IDS = {
    "assignments:assignment": _assignment,
    "assignments:directive": _directive,
    "assignments:directive_export": _directive,
    "branches:import_detail": _import_job,
    "contests:detail": _contest,
    "contests:edit": _contest,
    "contests:step": _contest,
    "contests:criterion_add": _contest,
    "contests:juror_add": _contest,
    "contests:progress": _contest,
    "contests:entries": _contest,
    "contests:entry_create": _contest,
    "contests:results": _contest,
    "contests:results_print": _contest,
    "contests:results_export": _contest,
    "contests:criterion_edit": _criterion,
    "contests:criterion_remove": _criterion,
    "contests:entry": _entry,
    "contests:entry_edit": _own_entry,
    "contests:nomination_add": _draft_contest,
    "contests:nomination_remove": _nomination,
    "contests:attachment": _attachment,
    "contests:judging": lambda cast: (c := _juror_contest(cast)) and {"pk": c.pk},
    "contests:score": _score,
    "contests:practice": _practice,
    "councils:seat": _amur_seat,
    "councils:seat_reappoint": _amur_seat,
    "councils:seat_end": _amur_seat,
    "councils:meeting": _amur_meeting,
    "councils:meeting_attendance": _amur_meeting,
    "councils:decision_create": _amur_meeting,
    "councils:meeting_minutes": _amur_meeting,
    "councils:decision_assign": _federal_decision,
    "events:detail": lambda cast: _amur_event(cast, status="published"),
    "events:ics": lambda cast: _amur_event(cast, status="published"),
    "events:edit": lambda cast: _amur_event(cast, status="published"),
    "events:cancel": lambda cast: _amur_event(cast, status="published"),
    "events:expected_add": lambda cast: _amur_event(cast, status="published"),
    "events:close": lambda cast: _amur_event(cast, status="published"),
    "events:attendance": lambda cast: _amur_event(cast, status="published"),
    "events:check_in": lambda cast: _amur_event(cast, status="published"),
    "events:walk_in": lambda cast: _amur_event(cast, status="published"),
    "events:answer": lambda cast: _amur_event(cast, status="published", expected__person=cast.person("secretary")),
    "events:question_ask": lambda cast: _amur_event(cast, kind="head_meeting"),
    "events:question_answer": _question,
    "events:question_assign": _question,
    "events:propose": lambda cast: _amur_event(cast, status="draft"),
    "events:publish": lambda cast: _amur_event(cast, status="draft"),
    "mentorship:programme": _amur_programme,
    "mentorship:pair_create": _amur_programme,
    "mentorship:suggestions": _amur_programme,
    "mentorship:young_cadre_mark": _amur_programme,
    "mentorship:pair": _secretary_pair,
    "mentorship:pair_end": _secretary_pair,
    "mentorship:check_in_create": _secretary_pair,
    "mentorship:goal_create": _secretary_pair,
    "notifications:detail": _message,
    "receptions:host_slots": _host,
    "receptions:host_manage": _host,
    "receptions:schedule_create": _host,
    "receptions:day_off_create": _host,
    "receptions:host_day": _host_day,
    "receptions:schedule_end": _schedule,
    "receptions:day_off_remove": _day_off,
    "receptions:slot_book": _free_slot,
    "receptions:booking": _secretary_booking,
    "receptions:booking_ics": _secretary_booking,
    "receptions:booking_cancel": _secretary_booking,
    "receptions:booking_move": _secretary_booking,
    "receptions:booking_outcome": _secretary_booking,
    "training:waive": _training_assignment,
    "training:import_detail": _training_run,
}


def get_rows() -> list[AccessRow]:
    """The GET rows answered with a page (200), once per URL name."""
    seen, rows = set(), []
    for row in access_rows():
        if row.method != "get" or row.ok_status != 200 or row.name in seen:
            continue
        seen.add(row.name)
        rows.append(row)
    return rows


def roles_for(row: AccessRow) -> list[str]:
    allowed = [role for role in ROLE_ORDER if row.expected(role) == 200]
    return allowed if row.name in EVERY_ROLE else allowed[:1]


def result_name(row: AccessRow, role: str) -> str:
    return f"page:{row.name}@{role}"


def scenario(ctx) -> None:
    cast = BenchCast()
    clients = {"anonymous": Client()}
    for role, user in cast.users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    runs = 5 if ctx.quick else 20
    measured = []
    for row in get_rows():
        for role in roles_for(row):
            name = result_name(row, role)
            if ctx.only_pages and not any(fnmatch.fnmatchcase(name, p) for p in ctx.only_pages):
                continue
            result = _measure(row, role, cast, clients[role], runs)
            result.met = None if ctx.quick or result.p95_ms is None else (
                result.p95_ms <= TARGET_MS and (result.queries or 0) <= MAX_QUERIES
            )  # fmt: skip
            if result.p95_ms is None and not ctx.quick:
                result.met = False
            ctx.results[name] = result
            measured.append(result)
    if ctx.only_pages:
        return
    judged = [r for r in measured if r.p95_ms is not None]
    worst = max(judged, key=lambda r: r.p95_ms or 0.0) if judged else None
    most = max(judged, key=lambda r: r.queries or 0) if judged else None
    failing = [r for r in measured if r.met is False]
    summary_row = Result(
        "every_page",
        f"every GET page of the URL × role table ({len(measured)} pages × role)",
        runs=runs,
        p95_ms=worst.p95_ms if worst else None,
        queries=most.queries if most else None,
        target=f"each p95 ≤ {TARGET_MS} ms, ≤ {MAX_QUERIES} queries",
        notes=(f"slowest {worst.name}; most queries {most.name}; " if worst and most else "")
        + f"{len(failing)} of {len(measured)} miss"
        + (f": {', '.join(r.name for r in failing[:8])}{' …' if len(failing) > 8 else ''}" if failing else ""),
    )
    unopened = [r for r in measured if r.p95_ms is None]
    if unopened:
        summary_row.notes += f"; {len(unopened)} not opened"
    ctx.judge(summary_row, not failing and not unopened)


def _writes(queries) -> bool:
    return any(q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"} for q in queries)


# Rows whose own builder must not run on national data: it would deliver every due message of the
# country (notifications' builder calls deliver_due) inside the measuring transaction.
NO_BUILDER = {"notifications:detail", "notifications:read"}


def _measure(row: AccessRow, role: str, cast, client: Client, runs: int) -> Result:
    name = result_name(row, role)
    what = f"{row.name} as {role}"
    finder = SEED_IDS.get(row.name)
    pure = row.kwargs is _DEFAULT_KWARGS
    attempts: list[tuple[str, Callable[[], dict | None]]] = []
    if pure:
        attempts.append(("", dict))
    else:
        if finder is not None:
            attempts.append(("seed ids", lambda: finder(cast)))
        if row.name not in NO_BUILDER:
            attempts.append(("ids from the row's builder", lambda: row.kwargs(cast)))
    reasons = []
    for source, make in attempts:
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as built:
                    kwargs = make()
                if source.startswith("ids from") and not _writes(built.captured_queries):
                    source = "seed ids (the row's own)"
                elif source == "seed ids" and _writes(built.captured_queries):
                    source = "seed ids, with an object built on them"
                if kwargs is None:
                    reasons.append(f"{source}: none in the seed")
                    transaction.set_rollback(True)
                    continue
                url = reverse(row.name, kwargs=kwargs)
                status = client.get(url).status_code
                if status != 200:
                    reasons.append(f"{source}: {url} answered {status}")
                    transaction.set_rollback(True)
                    continue

                def call(url=url):
                    response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)

                values = timings(call, runs=runs, warmup=2)
                queries = count_queries(call)
                transaction.set_rollback(True)
        except Exception as error:  # a builder that does not fit the national data: say so
            reasons.append(f"{source}: {type(error).__name__}: {str(error)[:120]}")
            continue
        p50, p95 = summary(values)
        return Result(name, f"{what} {url}", runs=len(values), p50_ms=p50, p95_ms=p95, queries=queries,
                      target=f"p95 ≤ {TARGET_MS} ms, ≤ {MAX_QUERIES} queries", notes=source)  # fmt: skip
    return Result(name, what, target=f"p95 ≤ {TARGET_MS} ms, ≤ {MAX_QUERIES} queries",
                  notes="NOT OPENED: " + "; ".join(reasons))  # fmt: skip
