"""The activity record of a person and of a primary branch, computed from every app's selectors.

Nothing here is typed in: each figure comes from the app that owns it, through a selector
that groups its rows by person over a set of people given as a subquery. The record joins
those grouped queries into one statement, so the figures cost one query for one person or
for a pool of two thousand (the reserve's ranking, which reads nothing else), and the
database does the counting, not Python. The record is plain JSON (numbers, ISO dates,
lists of strings), so the reserve can freeze it in a snapshot.

Queries: the figures (1); the whole record adds the posts and the council seats held today (3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from assignments import selectors as assignments
from branches import selectors as branches
from contests import selectors as contests
from core.access import Viewer
from councils import selectors as councils
from events import selectors as events
from mentorship import selectors as mentorship
from receptions import selectors as receptions
from training import selectors as training

# Every figure with its value for someone the owning app has no row for.
FIGURES: dict[str, int | str | None] = {
    "secretary_days": 0,
    "secretary_terms": 0,
    "council_terms": 0,
    "council_days": 0,
    "receptions_booked": 0,
    "receptions_held": 0,
    "requests_closed": 0,
    "events_expected": 0,
    "events_attended": 0,
    "events_excused": 0,
    "contest_entries": 0,
    "best_place": None,
    "course": "none",
    "course_completed_on": None,
    **{f"{side}_{what}": 0 for side in ("mentor", "mentee") for what in ("pairs", "active", "completed", "ended")},
    "assignments_due": 0,
    "assignments_on_time": 0,
}


def _figure_queries(people, today: date) -> list[QuerySet]:
    """Each app's figures grouped by person (`person_pk`) over `people` (anything `__in` takes)."""
    return [
        branches.secretary_figures(people, today),
        councils.council_figures(people, today),
        receptions.reception_figures(people),
        events.duty_figures(people),
        contests.entry_figures(people),
        training.course_figures(people, today),
        mentorship.pair_figures(people, "mentor"),
        mentorship.pair_figures(people, "mentee"),
        assignments.on_time_figures(people, today),
    ]


def person_figures(people: list[int] | QuerySet, today: date | None = None) -> dict[int, dict]:
    """Each person's figures (the record without the posts and seats held today): one statement.

    `people` is a list of ids or a queryset of one column of person ids (a pool's
    nominations, say: then the database joins the pool instead of reading a list). The
    statement materialises the people once (a CTE), and left-joins each app's grouped
    query to them; someone an app has no row for gets the figure's default (FIGURES).
    """
    today = today or timezone.localdate()
    if isinstance(people, QuerySet):
        people_sql, people_params = people.order_by().query.sql_with_params()  # a model's ordering would sort
    else:
        if not people:
            return {}
        people_sql, people_params = "SELECT DISTINCT unnest(%s::int[])", (list(people),)
    in_people = RawSQL("SELECT person_id FROM record_people", ())
    joins, params = [], list(people_params)
    for n, query in enumerate(_figure_queries(in_people, today)):
        sql, query_params = query.query.sql_with_params()
        joins.append(f"LEFT JOIN ({sql}) f{n} ON f{n}.person_pk = record_people.person_id")
        params += query_params
    columns = ", ".join(f"f{n}.*" for n in range(len(joins)))
    statement = (
        f"WITH record_people(person_id) AS MATERIALIZED ({people_sql}) "
        f"SELECT record_people.person_id, {columns} FROM record_people {' '.join(joins)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        names = [column.name for column in cursor.description]
        rows = cursor.fetchall()
    keep = [(i, name) for i, name in enumerate(names) if name in FIGURES]
    result: dict[int, dict] = {}
    for row in rows:
        record = FIGURES | {name: row[i] for i, name in keep if row[i] is not None}
        if record["course_completed_on"] is not None:
            record["course_completed_on"] = record["course_completed_on"].isoformat()  # JSON holds the day as text
        result[row[0]] = record
    return result


def person_records(person_ids: list[int], today: date | None = None) -> dict[int, dict]:
    """Each person's whole record, keyed like LABELS: the figures and the posts and seats held today (3 queries)."""
    ids = list(person_ids)
    if not ids:
        return {}
    today = today or timezone.localdate()
    records = person_figures(ids, today)
    posts = branches.current_posts_by_person(ids, today)
    seats = councils.current_seats_by_person(ids, today)
    for pk, record in records.items():
        record["current_posts"] = posts.get(pk, [])
        record["current_seats"] = seats.get(pk, [])
    return records


# Presentation ----------------------------------------------------------------------------

# The figures in the order shown, grouped by the app they come from: (group, [(key, label)]).
GROUPS: list[tuple[str, Promise, list[tuple[str, Promise]]]] = [
    (
        "posts",
        _("Posts"),
        [
            ("secretary_days", _("days as secretary of a primary branch")),
            ("secretary_terms", _("terms as secretary")),
            ("current_posts", _("posts held now")),
        ],
    ),
    (
        "council",
        _("Regional council"),
        [
            ("council_terms", _("council terms")),
            ("council_days", _("days on the council")),
            ("current_seats", _("seats held now")),
        ],
    ),
    (
        "receptions",
        _("Receptions"),
        [
            ("receptions_booked", _("receptions booked as secretary")),
            ("receptions_held", _("receptions held")),
            ("requests_closed", _("voters' requests closed")),
        ],
    ),
    (
        "events",
        _("Events, last 12 months"),
        [
            ("events_expected", _("expected")),
            ("events_attended", _("attended")),
            ("events_excused", _("excused")),
        ],
    ),
    (
        "contests",
        _("Contests"),
        [
            ("contest_entries", _("entries submitted")),
            ("best_place", _("best place")),
        ],
    ),
    (
        "training",
        _("Course"),
        [
            ("course", _("course")),
            ("course_completed_on", _("completed on")),
        ],
    ),
    (
        "mentoring",
        _("Mentoring"),
        [
            ("mentor_pairs", _("pairs as mentor")),
            ("mentor_completed", _("as mentor: completed")),
            ("mentor_ended", _("as mentor: ended early")),
            ("mentee_pairs", _("pairs as mentee")),
            ("mentee_completed", _("as mentee: completed")),
        ],
    ),
    (
        "assignments",
        _("Assignments"),
        [
            ("assignments_due", _("assignments due")),
            ("assignments_on_time", _("reported on time")),
        ],
    ),
]

LABELS: dict[str, Promise] = {key: label for _group, _title, rows in GROUPS for key, label in rows}

COURSE_STATES = {
    "none": _("not assigned"),
    "open": _("in progress"),
    "overdue": _("overdue"),
    "completed": _("completed"),
}


def display(key: str, value) -> str:
    """A figure as a person reads it: lists joined, dates localised, nothing as a dash."""
    from django.utils import formats

    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if key == "course":
        return str(COURSE_STATES.get(value, value))
    if key == "course_completed_on":
        return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return formats.number_format(value, force_grouping=True) if isinstance(value, int) else str(value)


@dataclass(frozen=True)
class Row:
    key: str
    label: str | Promise
    value: str
    changed_from: str | None = None  # the frozen value, when it differs from the live one


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    url: str  # where the figures come from
    rows: list[Row]


def _sources(viewer: Viewer, person_id: int, region_id: int | None) -> dict[str, str]:
    own = viewer.person_id == person_id
    staff_region = region_id if region_id is not None and viewer.staffs_region(region_id) else None

    def regional(name: str, fallback: str) -> str:
        if staff_region is not None and not own:
            return reverse(name, kwargs={"region_pk": staff_region})
        return reverse(fallback)

    return {
        "posts": reverse("branches:person", kwargs={"pk": person_id}) + "#positions",
        "council": reverse("councils:council", kwargs={"region_pk": region_id}) if region_id else "",
        "receptions": reverse("receptions:hosts") if own else "",
        "events": reverse("events:list"),
        "contests": reverse("contests:list"),
        "training": regional("training:region", "training:mine"),
        "mentoring": reverse("mentorship:list"),
        "assignments": regional("assignments:region", "assignments:mine"),
    }


def groups(record: dict, *, viewer: Viewer, person_id: int, region_id: int | None, frozen: dict | None = None):
    """The record as groups of rows with their source links; with `frozen`, each row says what it was then."""
    sources = _sources(viewer, person_id, region_id)
    result = []
    for key, title, rows in GROUPS:
        shown = []
        for figure, label in rows:
            live = display(figure, record.get(figure))
            then = None
            if frozen is not None:
                was = display(figure, frozen.get(figure))
                then = was if was != live else None
            shown.append(Row(figure, label, live, then))
        result.append(Group(key, title, sources[key], shown))
    return result


# Sections of the person page and the branch page (branches.hooks) ---------------------


@dataclass(frozen=True)
class RecordSection:
    groups: list
    template: str = "desk/_record_section.html"


def person_section(viewer: Viewer, person) -> RecordSection:
    """The record on the person page: whoever may open the page (the person, their region's staff) sees it.

    Queries: the 9 of the record and one for the person's region.
    """
    from branches.models import Position

    record = person_records([person.pk])[person.pk]
    region_id = (
        Position.objects.filter(person_id=person.pk, region__isnull=False)
        .order_by("-starts_on")
        .values_list("region_id", flat=True)
        .first()
    )
    return RecordSection(groups(record, viewer=viewer, person_id=person.pk, region_id=region_id))


@dataclass(frozen=True)
class BranchRecordSection:
    figures: list[Row]
    template: str = "desk/_branch_record_section.html"


def branch_record(branch_id: int) -> dict:
    """A primary branch's own figures: its secretaries' events and its receptions (12 months), entries, pairs.

    Four queries.
    """
    today = timezone.localdate()
    duty = events.duty_by_branch(branch_id)
    entries = contests.entries_of_branch(branch_id)
    booked = receptions.bookings_by_branch([branch_id], today.replace(year=today.year - 1), today).get(branch_id, 0)
    pairs = mentorship.pairs_of_branch(branch_id)
    return {
        "events_expected": duty.expected,
        "events_attended": duty.attended,
        "events_excused": duty.excused,
        "receptions_booked": int(booked),
        "contest_entries": entries["contest_entries"],
        "best_place": entries["best_place"],
        "mentor_pairs": sum(n for key, n in pairs.items() if key.startswith("mentor_")),
        "mentor_completed": pairs.get("mentor_completed", 0),
        "mentee_pairs": sum(n for key, n in pairs.items() if key.startswith("mentee_")),
        "mentee_completed": pairs.get("mentee_completed", 0),
    }


BRANCH_LABELS: dict[str, Promise] = {
    **LABELS,
    "receptions_booked": _("receptions booked, last 12 months"),
    "events_expected": _("secretaries expected at events, last 12 months"),
    "events_attended": _("attended"),
}


def branch_section(viewer: Viewer, branch) -> BranchRecordSection:
    """The branch's own record on the branch page (its secretaries' records are on their person pages)."""
    record = branch_record(branch.pk)
    return BranchRecordSection([Row(key, BRANCH_LABELS[key], display(key, value)) for key, value in record.items()])
