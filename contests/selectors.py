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

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, IntegerField, Min, OuterRef, Q, Value
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from branches.models import Person, Role
from contests.access import contests_visible_to, entries_for_juror, jurors_local_branch_ids
from contests.models import Contest, Criterion, Entry, EntryStatus, Juror, Level, Nomination, Result, Status
from core.desk import DeskItem, Urgency
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
    loose = related_words_query(filters.q)
    if loose is not None:
        exact = SearchQuery(filters.q.strip(), config="russian", search_type="websearch")
        # Exact forms count twice as much as related ones; scaled to an integer for the keyset cursor.
        rank = (SearchRank(F("search"), exact) * 2 + SearchRank(F("search"), loose)) * 1_000_000
        practices = practices.filter(search=loose).annotate(
            relevance=Cast(rank, IntegerField()),
            headline=SearchHeadline(
                "practice_text", loose, config="russian", start_sel=MARK_START, stop_sel=MARK_STOP, max_words=40
            ),
        )
    return practices


# ts_headline marks matches with these; the page escapes the text, then turns them into <mark>.
MARK_START, MARK_STOP = "\x02", "\x03"


def related_words_query(text: str) -> SearchQuery | None:
    """A full-text query that finds a word's relatives, not only its forms: each word becomes a
    prefix of its first three fifths (at least five letters), and every word must match.

    The Russian stemmer alone keeps «наставничество» («наставничеств») apart from «наставник»;
    «наставни:*» finds both, «молод:*» finds «молодёжь» and «Молодёжный совет». Ranking puts
    the exact forms first. None for a query without words.
    """
    words = re.findall(r"[^\W_]+", text.lower().replace("ё", "е"))
    if not words:
        return None
    prefixes = [word[: max(5, len(word) * 3 // 5)] for word in words]
    return SearchQuery(" & ".join(f"{prefix}:*" for prefix in prefixes), config="russian", search_type="raw")


RELEVANCE_SORT = SortKey(("-relevance", "pk"))


def without_carried_winners(practices):
    """A practice that won its region and then placed in the final shows once, as the final's entry
    (which names its regional result through `source`)."""
    placed_in_final = Entry.objects.filter(
        source=OuterRef("pk"),
        result__place__isnull=False,
        contest__status__in=[Status.PUBLISHED, Status.ARCHIVED],
    )
    return practices.exclude(Exists(placed_in_final))


def library_page(practices, filters: LibraryFilters, *, size: int, after=None, before=None, last=False):
    """A page of the library: best matches first when searching, otherwise newest year first,
    winners first; a practice placed at both stages once; one query (keyset)."""
    rows = without_carried_winners(filter_library(practices, filters)).select_related(
        "contest__region", "nomination", "branch__region", "result", "source__result", "source__contest__region"
    )
    sort = RELEVANCE_SORT if related_words_query(filters.q) is not None else LIBRARY_SORT
    return keyset_page(rows, sort, size=size, after=after, before=before, last=last)


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


def day(value: date) -> str:
    """A date as people write it: «15 марта 2026»."""
    return formats.date_format(value, "DATE_FORMAT")


def contest_step_blocker(contest: Contest, *, today: date | None = None) -> str | None:
    """Why the contest's next step cannot be taken today; None when it can."""
    today = today or contest.today()
    if contest.status == Status.DRAFT:
        if today < contest.entries_open_on:
            return _("Entries open on %(date)s: the contest can be opened from that day.") % {
                "date": day(contest.entries_open_on)
            }
        if today > contest.entries_close_on:
            return _("The application deadline (%(date)s) has passed: move it before opening the contest.") % {
                "date": day(contest.entries_close_on)
            }
        if not contest.nominations.exists():
            return _("Add at least one nomination before opening the contest.")
        if not contest.criteria.exists():
            return _("Add at least one criterion to the rubric before opening the contest.")
        return None
    if contest.status == Status.ACCEPTING:
        if today <= contest.entries_close_on:
            return _("The application deadline is %(date)s: judging can start from %(next)s.") % {
                "date": day(contest.entries_close_on),
                "next": day(contest.entries_close_on + timedelta(days=1)),
            }
        unjudged = (
            contest.nominations.filter(entries__status=EntryStatus.SUBMITTED, jurors__isnull=True).distinct().first()
        )
        if unjudged is not None:
            return _("Assign jurors to the nomination «%(nomination)s» first: it has entries.") % {
                "nomination": unjudged
            }
        return None
    if contest.status == Status.JUDGING:
        if today < contest.results_on:
            return _("Results can be published from %(date)s.") % {"date": day(contest.results_on)}
        return None
    if contest.status == Status.PUBLISHED:
        if today.year <= contest.year:
            return _("A contest can be archived from %(date)s.") % {"date": day(date(contest.year + 1, 1, 1))}
        return None
    return _("The contest is archived: it has no further step.")


def desk_items(viewer) -> list[DeskItem]:
    """A secretary's open contests (enter, or submit a draft, before the deadline); a juror's
    entries left to score; a runner's contests with what blocks their next step."""
    items: list[DeskItem] = []
    if viewer.is_secretary:
        items += _secretary_desk(viewer)
    runs = viewer.is_admin or viewer.is_regional_staff
    if viewer.person_id is None and not runs:
        return items
    # One query: the contests being judged where the person is a juror (with their assignments)
    # and, for a runner, the contests they run this year and last, not yet archived.
    year = timezone.localdate().year
    jurors = Juror.objects.filter(contest_id=OuterRef("pk"), person_id=viewer.person_id or 0).order_by("pk")
    judging = Q(Exists(jurors), status=Status.JUDGING)
    runner = Q(year__gte=year - 1) & ~Q(status=Status.ARCHIVED)
    if viewer.is_admin:
        runner &= Q(level=Level.FEDERAL)
    else:
        runner &= Q(level=Level.REGIONAL, region_id__in=viewer.staff_region_ids)
    contests = list(
        contests_visible_to(viewer)
        .filter(judging | runner if runs else judging)
        .select_related("region")
        .annotate(
            judged_by_me=ExpressionWrapper(judging, output_field=BooleanField()),
            run_by_me=ExpressionWrapper(runner if runs else Value(False), output_field=BooleanField()),
            juror_ids=ArraySubquery(jurors.values("pk")),
            juror_nominations=ArraySubquery(jurors.values("nomination_id")),
            juror_homes=ArraySubquery(jurors.values("home_local_branch_id")),
        )
    )
    items += _juror_desk(viewer, [contest for contest in contests if contest.judged_by_me])
    if runs:
        items += _runner_desk(viewer, [contest for contest in contests if contest.run_by_me])
    return items


def _secretary_desk(viewer) -> list[DeskItem]:
    """Contests accepting entries from the secretary's branches, and their entries there (two queries)."""
    accepting = list(
        contests_visible_to(viewer)
        .filter(status=Status.ACCEPTING)
        .select_related("region")
        .order_by("entries_close_on")
    )
    if not accepting:
        return []
    entries = Entry.objects.filter(contest__in=accepting, branch_id__in=viewer.secretary_branch_ids)
    by_contest: dict[int, list[Entry]] = {}
    for entry in entries.only("pk", "contest_id", "status", "title"):
        by_contest.setdefault(entry.contest_id, []).append(entry)
    items = []
    for contest in accepting:
        if contest.level == Level.REGIONAL and contest.today() > contest.entries_close_on:
            continue
        deadline = _("until %(date)s") % {"date": day(contest.entries_close_on)}
        drafts = [entry for entry in by_contest.get(contest.pk, []) if entry.status == EntryStatus.DRAFT]
        if drafts:
            items += [
                DeskItem(
                    "contests",
                    _("Submit your entry «%(title)s»") % {"title": entry.title},
                    entry.get_absolute_url(),
                    detail=deadline,
                )
                for entry in drafts
            ]
        elif contest.pk not in by_contest:
            items.append(
                DeskItem(
                    "contests",
                    _("%(contest)s accepts entries") % {"contest": contest.name},
                    contest.get_absolute_url(),
                    detail=deadline,
                    urgency=Urgency.COMING,
                )
            )
    return items


def _juror_desk(viewer, contests: list[Contest]) -> list[DeskItem]:
    """Entries left to score in contests being judged (each read with the person's assignments
    by desk_items; three queries per contest)."""
    contests = sorted(contests, key=lambda contest: (contest.judging_close_on, contest.pk))
    by_contest = {
        contest.pk: [
            Juror(
                pk=pk, contest=contest, nomination_id=nomination, person_id=viewer.person_id, home_local_branch_id=home
            )
            for pk, nomination, home in zip(
                contest.juror_ids,  # type: ignore[attr-defined]  # annotated by desk_items
                contest.juror_nominations,  # type: ignore[attr-defined]
                contest.juror_homes,  # type: ignore[attr-defined]
                strict=True,
            )
        ]
        for contest in contests
    }
    items = []
    for mine in by_contest.values():
        contest = mine[0].contest
        entries, criteria = juror_worklist(viewer, contest, mine)
        left = len([entry for entry in entries if entry.my_scores < criteria])  # type: ignore[attr-defined]
        if left:
            url = reverse("contests:judging", kwargs={"pk": contest.pk})
            detail = _("judging closes %(date)s") % {"date": day(contest.judging_close_on)}
            items.append(
                DeskItem(
                    "contests",
                    _("Entries to score: %(contest)s") % {"contest": contest.name},
                    url,
                    count=left,
                    detail=detail,
                )
            )
    return items


def _runner_desk(viewer, contests: list[Contest]) -> list[DeskItem]:
    """Contests the viewer runs this year and last, not yet archived (read by desk_items), with the
    stage and what blocks the next step (up to two queries per contest for the blockers); for an
    administrator the federal finals and this year's regional stages counted by stage (one query)."""
    year = timezone.localdate().year
    items = []
    if viewer.is_admin:
        stages = dict(
            Contest.objects.filter(level=Level.REGIONAL, year=year)
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        if stages:
            detail = ", ".join(
                f"{Status(status).label}: {stages[status]}" for status in Status.values if status in stages
            )
            url = reverse("contests:list")
            items.append(
                DeskItem(
                    "contests",
                    _("Regional stages of this year"),
                    url,
                    count=sum(stages.values()),
                    detail=detail,
                    urgency=Urgency.COMING,
                )
            )
    for contest in sorted(contests, key=lambda contest: (-contest.year, contest.pk)):
        blocker = contest_step_blocker(contest)
        detail = f"{contest.get_status_display()} · {blocker}" if blocker else contest.get_status_display()
        urgency = Urgency.COMING if blocker else Urgency.TO_DO
        title = contest.name if blocker else _("%(contest)s: the next step can be taken") % {"contest": contest.name}
        items.append(DeskItem("contests", title, contest.get_absolute_url(), detail=detail, urgency=urgency))
    return items


def step_consequences(contest: Contest) -> list[str]:
    """What the contest's next step locks and whom it tells, for the page that asks first (up to two queries)."""
    submitted = Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED)
    where = _("every region") if contest.level == Level.FEDERAL else contest.region.name if contest.region else ""
    if contest.status == Status.DRAFT:
        return [
            _("Secretaries of primary branches (%(where)s) can enter their branches until %(date)s.")
            % {"where": where, "date": day(contest.entries_close_on)},
            _("The opening date is fixed; nominations can no longer be removed once a branch has entered them."),
            _("Secretaries with an unsubmitted draft are reminded 7 days and 1 day before the deadline."),
        ]
    if contest.status == Status.ACCEPTING:
        entries = submitted.count()
        jurors = Juror.objects.filter(contest=contest).values("person_id").distinct().count()
        return [
            _("Entries can no longer be submitted or changed: %(entries)d submitted entries go to the jury.")
            % {"entries": entries},
            _(
                "%(jurors)d jurors see the entries of their nominations and are reminded 3 days and 1 day before judging closes on %(date)s."  # noqa: E501
            )
            % {"jurors": jurors, "date": day(contest.judging_close_on)},
        ]
    if contest.status == Status.JUDGING:
        entrants = submitted.values("branch_id").distinct().count()
        consequences = [
            _("Scores can no longer change; the ranking and the places are frozen."),
            _(
                "The secretaries of %(entrants)d entrant branches are told the results; the winners' practices enter the library."  # noqa: E501
            )
            % {"entrants": entrants},
        ]
        if contest.level == Level.REGIONAL:
            final = Contest.objects.filter(year=contest.year, level=Level.FEDERAL).only("status").first()
            if final is None or final.status in {Status.DRAFT, Status.ACCEPTING, Status.JUDGING}:
                consequences.append(_("First places become entries of this year's federal final."))
            else:
                consequences.append(
                    _("This year's federal final has published its results: first places are not carried into it.")
                )
        return consequences
    return [_("The contest becomes read-only; its results and library entries stay.")]


def carried_to_final(contest: Contest) -> int:
    """How many winners a regional stage gave the federal final, or the final took in (one query)."""
    if contest.is_federal:
        return Entry.objects.filter(contest=contest, source__isnull=False).count()
    return Entry.objects.filter(source__contest=contest).count()


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


# Figures for the activity record (desk/record.py) ------------------------------


def entry_figures(people):
    """Per person (`person_pk`): entries submitted by a branch while they were its secretary, and the best place.

    A grouped queryset the activity record joins with the other apps' figures (see
    branches.selectors.secretary_figures).
    """
    on_day = TruncDate("submitted_at")
    return (
        Entry.objects.filter(
            Q(branch__positions__ends_on__isnull=True) | Q(branch__positions__ends_on__gt=on_day),
            status=EntryStatus.SUBMITTED,
            branch__positions__person_id__in=people,
            branch__positions__role=Role.PRIMARY_SECRETARY,
            branch__positions__starts_on__lte=on_day,
        )
        .values(person_pk=F("branch__positions__person_id"))
        .annotate(contest_entries=Count("pk", distinct=True), best_place=Min("result__place"))
        .order_by()
    )


def entries_of_branch(branch_id: int) -> dict:
    """A branch's submitted entries and its best place: one query."""
    return Entry.objects.filter(branch_id=branch_id, status=EntryStatus.SUBMITTED).aggregate(
        contest_entries=Count("pk"), best_place=Min("result__place")
    )


def placed_branches_of_year(region_id: int, year: int) -> list[int]:
    """The primary branches placed (1st to 3rd, any nomination) in a region's stage of a year: one query.

    Read by desk/ for the heads' meetings that invite contest winners (events.invitations).
    """
    placed = Result.objects.filter(
        contest__year=year, contest__level=Level.REGIONAL, contest__region_id=region_id, place__isnull=False
    )
    # A branch placed in two nominations is named once, at its best place.
    return list(dict.fromkeys(placed.order_by("place", "entry__branch_id").values_list("entry__branch_id", flat=True)))
