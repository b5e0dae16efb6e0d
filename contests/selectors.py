"""Reads of the contest: results computed in the database, lists, progress, the library.

How results are computed (also shown on the results page, templates/contests/_formulas.html):

1. A juror's total for an entry is a weighted percentage of the maximum:
   total = 100 · Σ wᵢ·sᵢ / Σ wᵢ·mᵢ over the rubric's criteria (weight w, score s, maximum m).
   Only complete sheets (every criterion scored) count.
2. The jurors' totals of an entry are combined by the contest's method:
   mean (arithmetic mean), median (percentile_cont(0.5)), or z-scores: each total
   becomes z = (total − mean of that juror's totals) / standard deviation of that juror's
   totals (population), within the nomination the juror judges, and the entry's score is
   the mean of its z; a juror who gives everyone the same total contributes z = 0.
   So a harsh and a lenient juror weigh the same.
3. The spread between jurors is the population standard deviation of the entry's totals,
   shown with the lowest and the highest total.
4. Ranking within each nomination, scores compared to four decimals: higher score first;
   tie-break 1: smaller spread (the jurors agreed more); tie-break 2: earlier submission;
   tie-break 3: the entry's number in the database (never equal). Places 1 to 3 go to the
   first three ranks with a score. An entry without a complete sheet has no score and no place.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q

from branches.models import Person
from contests.access import entries_for_juror, jurors_local_branch_ids
from contests.models import Contest, Criterion, Entry, EntryStatus, Juror, Nomination, Result
from core.pagination import SortKey, keyset_page

# Parameters: %(contest)s, the contest id; %(method)s, its method. One row per submitted entry.
RESULTS_SQL = """
WITH rubric AS (
    SELECT COUNT(*) AS criteria, SUM(weight * max_score) AS maximum
    FROM contests_criterion WHERE contest_id = %(contest)s
),
sheets AS (
    SELECT s.juror_id, s.entry_id, 100 * SUM(c.weight * s.value) / MAX(rubric.maximum) AS total
    FROM contests_score s
    JOIN contests_criterion c ON c.id = s.criterion_id
    CROSS JOIN rubric
    WHERE s.juror_id IN (SELECT id FROM contests_juror WHERE contest_id = %(contest)s)
    GROUP BY s.juror_id, s.entry_id
    HAVING COUNT(*) = MAX(rubric.criteria)
),
normalised AS (
    SELECT entry_id, total,
           COALESCE((total - AVG(total) OVER per_juror) / NULLIF(STDDEV_POP(total) OVER per_juror, 0), 0) AS z
    FROM sheets
    WINDOW per_juror AS (PARTITION BY juror_id)
),
combined AS (
    SELECT entry_id, COUNT(*) AS jurors, AVG(total) AS mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median,
           AVG(z) AS zscore, MIN(total) AS lowest, MAX(total) AS highest, STDDEV_POP(total) AS spread
    FROM normalised
    GROUP BY entry_id
),
scored AS (
    SELECT e.id AS entry_id, e.nomination_id, e.submitted_at, COALESCE(cb.jurors, 0) AS jurors,
           ROUND(cb.mean, 4) AS mean, ROUND(cb.median::numeric, 4) AS median, ROUND(cb.zscore, 4) AS zscore,
           ROUND(cb.lowest, 4) AS lowest, ROUND(cb.highest, 4) AS highest, ROUND(cb.spread, 4) AS spread,
           ROUND(CASE %(method)s WHEN 'median' THEN cb.median::numeric
                                 WHEN 'zscore' THEN cb.zscore
                                 ELSE cb.mean END, 4) AS score
    FROM contests_entry e
    LEFT JOIN combined cb ON cb.entry_id = e.id
    WHERE e.contest_id = %(contest)s AND e.status = 'submitted'
)
SELECT entry_id, nomination_id, jurors, mean, median, zscore, score, lowest, highest, spread,
       ROW_NUMBER() OVER (
           PARTITION BY nomination_id
           ORDER BY score DESC NULLS LAST, spread ASC NULLS LAST, submitted_at ASC, entry_id ASC
       ) AS rank
FROM scored
"""
RESULT_COLUMNS = ["entry_id", "nomination_id", "jurors", "mean", "median", "zscore", "score"]
RESULT_COLUMNS += ["lowest", "highest", "spread", "rank"]


@dataclass
class ResultRow:
    """One entry's result; the same attributes as a stored contests.models.Result."""

    entry_id: int
    nomination_id: int
    jurors: int
    mean: Decimal | None
    median: Decimal | None
    zscore: Decimal | None
    score: Decimal | None
    lowest: Decimal | None
    highest: Decimal | None
    spread: Decimal | None
    rank: int
    entry: Entry | None = None

    @property
    def place(self) -> int | None:
        return self.rank if self.rank <= 3 and self.score is not None else None


def contest_results(contest: Contest) -> list[ResultRow]:
    """Compute every submitted entry's result in the database, in one statement (see the module's doc)."""
    with connection.cursor() as cursor:
        cursor.execute(f"{RESULTS_SQL} ORDER BY nomination_id, rank", {"contest": contest.pk, "method": contest.method})
        return [ResultRow(*row) for row in cursor.fetchall()]


@dataclass
class NominationResults:
    nomination: Nomination
    rows: list = field(default_factory=list)


def results_table(contest: Contest) -> list[NominationResults]:
    """Results by nomination with their entries: frozen once published, computed live before.

    Published: 1 nominations, 2 stored results with entries, branches and regions.
    Before: 1 nominations, 2 the results statement, 3 the entries.
    """
    groups = {nomination.pk: NominationResults(nomination) for nomination in contest.nominations.all()}
    if contest.results_public:
        stored = Result.objects.filter(contest=contest).select_related(
            "entry__branch__region", "entry__branch__local_branch"
        )
        rows: Iterable[Result | ResultRow] = stored.order_by("nomination_id", "rank")
    else:
        rows = contest_results(contest)
        entries = Entry.objects.select_related("branch__region", "branch__local_branch").in_bulk(
            [row.entry_id for row in rows]
        )
        for row in rows:
            row.entry = entries[row.entry_id]
    for result in rows:
        groups[result.nomination_id].rows.append(result)
    return list(groups.values())


# Entries ----------------------------------------------------------------------

ENTRY_SORT = SortKey(("nomination_id", "branch__region__code", "branch__number", "pk"))


@dataclass
class EntryFilters:
    nomination: Nomination | None = None
    status: str = ""
    q: str = ""


def filter_entries(entries, filters: EntryFilters):
    if filters.nomination is not None:
        entries = entries.filter(nomination=filters.nomination)
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.q.strip():
        text = filters.q.strip()
        number = text.lstrip("№").strip()
        condition = Q(title__icontains=text) | Q(branch__name__icontains=text)
        if number.isdigit() and len(number) < 10:
            condition |= Q(branch__number=int(number))
        entries = entries.filter(condition)
    return entries


def entry_counts(entries) -> dict:
    """How many entries of each status, and how many branches entered (submitted at least one)."""
    return entries.aggregate(
        submitted=Count("pk", filter=Q(status=EntryStatus.SUBMITTED)),
        drafts=Count("pk", filter=Q(status=EntryStatus.DRAFT)),
        withdrawn=Count("pk", filter=Q(status=EntryStatus.WITHDRAWN)),
        branches=Count("branch", filter=Q(status=EntryStatus.SUBMITTED), distinct=True),
    )


def entry_list_page(entries, filters: EntryFilters, *, size: int, after=None, before=None, last=False):
    """A page of a contest's entries with branch, region and nomination: one query (keyset)."""
    rows = filter_entries(entries, filters).select_related("nomination", "branch__region", "branch__local_branch")
    return keyset_page(rows, ENTRY_SORT, size=size, after=after, before=before, last=last)


# Judging ----------------------------------------------------------------------


def juror_worklist(viewer, contest: Contest, assignments: list[Juror]) -> tuple[list[Entry], int]:
    """The entries a juror may score, each with how many criteria the juror scored; and the rubric's size.

    1 the rubric's size, 2 the juror's own local branches (positions), 3 the entries
    with their count of this juror's scores.
    """
    criteria = Criterion.objects.filter(contest=contest).count()
    entries = (
        entries_for_juror(viewer, contest, assignments)
        .select_related("nomination", "branch__region", "branch__local_branch")
        .annotate(my_scores=Count("scores", filter=Q(scores__juror__in=[a.pk for a in assignments])))
        .order_by("nomination_id", "submitted_at", "pk")
    )
    return list(entries), criteria


@dataclass
class JurorProgress:
    person: Person
    nominations: list = field(default_factory=list)
    assigned: int = 0
    done: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.assigned) if self.assigned else 100


def jurors_progress(contest: Contest) -> list[JurorProgress]:
    """Every juror's progress: entries they may score (conflicts left out) and complete sheets.

    1 the assignments, 2 the jurors' own local branches, 3 submitted entries by
    nomination and local branch, 4 complete sheets per assignment.
    """
    jurors = list(
        Juror.objects.filter(contest=contest)
        .select_related("person", "nomination")
        .order_by("person__last_name", "person__first_name", "person_id", "nomination_id")
    )
    homes: dict[int, list[int | None]] = {}
    for juror in jurors:
        homes.setdefault(juror.person_id, []).append(juror.home_local_branch_id)
    own = jurors_local_branch_ids(homes) if homes else {}
    counts: dict[int, dict[int, int]] = {}
    for nomination_id, local_branch_id, n in (
        Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
        .values_list("nomination_id", "branch__local_branch_id")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(nomination_id, {})[local_branch_id] = n
    done = complete_sheets(contest)
    people: dict[int, JurorProgress] = {}
    for juror in jurors:
        progress = people.setdefault(juror.person_id, JurorProgress(juror.person))
        progress.nominations.append(juror.nomination)
        by_local = counts.get(juror.nomination_id, {})
        progress.assigned += sum(n for local, n in by_local.items() if local not in own[juror.person_id])
        progress.done += done.get(juror.pk, 0)
    return list(people.values())


def complete_sheets(contest: Contest) -> dict[int, int]:
    """Juror assignment id → entries it scored on every criterion."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT juror_id, COUNT(*) FROM (
                SELECT s.juror_id, s.entry_id
                FROM contests_score s
                JOIN contests_entry e ON e.id = s.entry_id AND e.status = 'submitted'
                WHERE s.juror_id IN (SELECT id FROM contests_juror WHERE contest_id = %(contest)s)
                GROUP BY s.juror_id, s.entry_id
                HAVING COUNT(*) = (SELECT COUNT(*) FROM contests_criterion WHERE contest_id = %(contest)s)
            ) AS sheets
            GROUP BY juror_id
            """,
            {"contest": contest.pk},
        )
        return dict(cursor.fetchall())


# The library ------------------------------------------------------------------


@dataclass
class LibraryFilters:
    q: str = ""
    theme: str = ""
    region: object = None
    year: int | None = None


LIBRARY_SORT = SortKey(("-contest__year", "result__place", "pk"))


def filter_library(practices, filters: LibraryFilters):
    """Filter the library; a text query is matched with the Russian full-text configuration
    against the stored tsvector (GIN index entry_search)."""
    if filters.theme:
        practices = practices.filter(nomination__theme=filters.theme)
    if filters.region is not None:
        practices = practices.filter(branch__region=filters.region)
    if filters.year:
        practices = practices.filter(contest__year=filters.year)
    if filters.q.strip():
        query = SearchQuery(filters.q.strip(), config="russian", search_type="websearch")
        practices = practices.filter(search=query).annotate(relevance=SearchRank(F("search"), query))
    return practices


def library_page(practices, filters: LibraryFilters, *, size: int, after=None, before=None, last=False):
    """A page of the library, newest year first, winners first: one query (keyset)."""
    rows = filter_library(practices, filters).select_related(
        "contest__region", "nomination", "branch__region", "result"
    )
    return keyset_page(rows, LIBRARY_SORT, size=size, after=after, before=before, last=last)


def library_years(practices) -> list[int]:
    return list(practices.order_by("-contest__year").values_list("contest__year", flat=True).distinct())


# Export -----------------------------------------------------------------------


def export_rows(contest: Contest, table: list[NominationResults], blank: str = ""):
    """Spreadsheet rows of the results, in the order of the page."""
    for group in table:
        for row in group.rows:
            entry = row.entry
            yield [
                str(group.nomination),
                row.place or blank,
                row.rank,
                entry.branch.region.name,
                entry.branch.local_branch.name,
                entry.branch.number,
                entry.branch.name,
                entry.title,
                row.jurors,
                row.score,
                row.mean,
                row.median,
                row.zscore,
                row.lowest,
                row.highest,
                row.spread,
            ]


# Figures for other apps (core.evidence) ----------------------------------------


def placed_by_branch(branch_ids: list[int], since: date, until: date) -> dict[int, float]:
    """Prize places (library practices) each branch won in contests published in [since, until): one query."""
    rows = (
        Result.objects.filter(
            entry__branch_id__in=branch_ids,
            place__isnull=False,
            contest__published_at__date__gte=since,
            contest__published_at__date__lt=until,
        )
        .values("entry__branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["entry__branch_id"]: row["n"] for row in rows}


def submitted_by_branch(branch_ids: list[int], since: date, until: date) -> dict[int, float]:
    """Contest entries each branch submitted on days in [since, until): one query."""
    rows = (
        Entry.objects.filter(
            branch_id__in=branch_ids,
            status=EntryStatus.SUBMITTED,
            submitted_at__date__gte=since,
            submitted_at__date__lt=until,
        )
        .values("branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["branch_id"]: row["n"] for row in rows}
