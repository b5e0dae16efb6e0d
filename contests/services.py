"""Every write of the contest: its steps, rubric, jurors, entries, attachments, scores and results.

Each step of a contest (open → judging → publish → archive) is a service that checks
the role and the date and says why it cannot be taken yet. Writes that depend on the
contest's stage (an entry, a score) lock the contest row FOR SHARE first, and a step
locks it FOR UPDATE: a step waits for writes in flight, and a write that comes after
a step sees the new stage. The database holds the rules it can (models.py, migration
0002), each rule with its own message (core/db.py turns a violation into it).
"""

import html
import re
import uuid
import zoneinfo
from datetime import date, datetime, time, timedelta

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from branches.models import LocalBranch, Person, Position, PrimaryBranch
from contests.access import can_run_contest, juror_local_branch_ids
from contests.models import (
    ALLOWED_ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Contest,
    Criterion,
    Entry,
    EntryStatus,
    Juror,
    Level,
    Method,
    Nomination,
    Result,
    Score,
    Status,
    Theme,
)
from contests.selectors import RESULTS_SQL, contest_step_blocker, day
from core.access import viewer_for
from core.db import explain_violations, message_for, save_or_explain
from core.queue import enqueue_on_commit
from core.uploads import check_file, original_name

# A new contest starts with the party's four nominations and this rubric (name, weight,
# maximum); both stay editable until entries open.
DEFAULT_RUBRIC = [
    (gettext_noop("Contribution to the people's programme"), "2", 10),
    (gettext_noop("Measurable results"), "2", 10),
    (gettext_noop("Involvement of activists and residents"), "1.5", 10),
    (gettext_noop("Can be repeated by other branches"), "1", 10),
    (gettext_noop("Clarity of the description"), "0.5", 5),
]
MAX_ATTACHMENTS = 10
# Which fields of a contest may still change at each stage.
CONTEST_EDITABLE: dict[str, set[str]] = {
    Status.DRAFT: {
        "title",
        "method",
        "blind",
        "entries_open_on",
        "entries_close_on",
        "judging_close_on",
        "results_on",
    },
    Status.ACCEPTING: {"title", "method", "blind", "entries_close_on", "judging_close_on", "results_on"},
    Status.JUDGING: {"title", "method", "judging_close_on", "results_on"},
    Status.PUBLISHED: set(),
    Status.ARCHIVED: set(),
}
PRACTICE_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "s", "ul", "ol", "li", "blockquote", "h3", "h4", "a"}
TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def _lock(contest: Contest, *, share: bool) -> Contest:
    """Lock the contest row (FOR SHARE for writes that depend on its stage, FOR UPDATE for a step)."""
    mode = "SHARE" if share else "UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM contests_contest WHERE id = %s FOR {mode}", [contest.pk])
    return Contest.objects.select_related("region").get(pk=contest.pk)


def _require_runner(actor, contest: Contest) -> None:
    if not can_run_contest(viewer_for(actor), contest):
        raise PermissionDenied


# Contests ---------------------------------------------------------------------


@transaction.atomic
def contest_create(
    *,
    actor,
    year: int,
    level: str,
    entries_open_on: date,
    entries_close_on: date,
    judging_close_on: date,
    results_on: date,
    region=None,
    title: str = "",
    method: str = Method.MEAN,
    blind: bool = False,
) -> Contest:
    """Create a draft with the four nominations and the default rubric."""
    contest = Contest(
        year=year,
        level=level,
        region=region if level == Level.REGIONAL else None,
        title=title.strip(),
        method=method,
        blind=blind,
        entries_open_on=entries_open_on,
        entries_close_on=entries_close_on,
        judging_close_on=judging_close_on,
        results_on=results_on,
    )
    if level == Level.REGIONAL and region is None:
        raise ValidationError(message_for("contest_region_matches_level"), code="contest_region_matches_level")
    _require_runner(actor, contest)
    save_or_explain(contest)
    Nomination.objects.bulk_create(Nomination(contest=contest, theme=theme) for theme in Theme.values)
    Criterion.objects.bulk_create(
        Criterion(contest=contest, name=_(name), weight=weight, max_score=maximum, position=index)
        for index, (name, weight, maximum) in enumerate(DEFAULT_RUBRIC, start=1)
    )
    return contest


@transaction.atomic
def contest_update(*, actor, contest: Contest, **fields) -> Contest:
    """Change what the stage still allows (the deadline may move while entries are open, say)."""
    contest = _lock(contest, share=False)
    _require_runner(actor, contest)
    changed = {name: value for name, value in fields.items() if getattr(contest, name) != value}
    refused = set(changed) - CONTEST_EDITABLE[contest.status]
    if refused:
        labels = ", ".join(str(Contest._meta.get_field(name).verbose_name) for name in sorted(refused))  # type: ignore[union-attr]
        raise ValidationError(
            _("At the stage «%(stage)s» these can no longer change: %(fields)s.")
            % {"stage": contest.get_status_display(), "fields": labels},
            code="frozen",
        )
    for name, value in changed.items():
        setattr(contest, name, value.strip() if isinstance(value, str) else value)
    save_or_explain(contest)
    if changed.keys() & {"entries_close_on", "judging_close_on"}:
        _sync_reminders_on_commit(contest)
    return contest


NEXT_STATUS = {
    Status.DRAFT: Status.ACCEPTING,
    Status.ACCEPTING: Status.JUDGING,
    Status.JUDGING: Status.PUBLISHED,
    Status.PUBLISHED: Status.ARCHIVED,
}


def _step(contest: Contest, actor, expected: str) -> Contest:
    contest = _lock(contest, share=False)
    _require_runner(actor, contest)
    if contest.status != expected:
        raise ValidationError(
            _("The contest is at the stage «%(stage)s» now; reload the page.")
            % {"stage": contest.get_status_display()},
            code="stale",
        )
    blocker = contest_step_blocker(contest)
    if blocker:
        raise ValidationError(blocker, code="not_yet")
    return contest


@transaction.atomic
def contest_open(*, actor, contest: Contest) -> Contest:
    """Draft → accepting entries. The federal final takes in the regional winners published so far."""
    contest = _step(contest, actor, Status.DRAFT)
    contest.status, contest.opened_at = Status.ACCEPTING, timezone.now()
    save_or_explain(contest, fields=["status", "opened_at"])
    if contest.is_federal:
        final_collect_winners(final=contest)
    _sync_reminders_on_commit(contest)
    return contest


@transaction.atomic
def contest_start_judging(*, actor, contest: Contest) -> Contest:
    """Accepting → judging, from the day after the application deadline."""
    contest = _step(contest, actor, Status.ACCEPTING)
    contest.status, contest.judging_started_at = Status.JUDGING, timezone.now()
    save_or_explain(contest, fields=["status", "judging_started_at"])
    _sync_reminders_on_commit(contest)
    return contest


@transaction.atomic
def contest_publish(*, actor, contest: Contest) -> Contest:
    """Judging → results published: freeze the results, carry regional winners to the final, tell the entrants.

    Winners are carried while the final accepts entries or is being judged (its jurors then
    see them, and its reminders are planned again); a final whose results are out takes
    nobody in, and the step's confirmation and message say so.
    """
    contest = _step(contest, actor, Status.JUDGING)
    results_freeze(contest=contest)
    contest.status, contest.published_at = Status.PUBLISHED, timezone.now()
    save_or_explain(contest, fields=["status", "published_at"])
    if not contest.is_federal:
        final = Contest.objects.filter(year=contest.year, level=Level.FEDERAL).first()
        if final is not None:
            final = _lock(final, share=True)
            if final.status in {Status.ACCEPTING, Status.JUDGING}:  # a draft final takes them in when it opens
                final_collect_winners(final=final, stages=[contest])
                _sync_reminders_on_commit(final)
    _plan_results_messages(contest)
    _sync_reminders_on_commit(contest)
    return contest


@transaction.atomic
def contest_archive(*, actor, contest: Contest) -> Contest:
    """Results published → archived, once the contest's year is over."""
    contest = _step(contest, actor, Status.PUBLISHED)
    contest.status, contest.archived_at = Status.ARCHIVED, timezone.now()
    return save_or_explain(contest, fields=["status", "archived_at"])


STEP_SERVICES = {
    Status.DRAFT: contest_open,
    Status.ACCEPTING: contest_start_judging,
    Status.JUDGING: contest_publish,
    Status.PUBLISHED: contest_archive,
}


def contest_advance(*, actor, contest: Contest, expected: str) -> Contest:
    """Take the next step from stage `expected` (the stage the user saw)."""
    if expected not in STEP_SERVICES:
        raise ValidationError(contest_step_blocker(contest) or _("There is no such step."), code="no_step")
    return STEP_SERVICES[Status(expected)](actor=actor, contest=contest)


def results_freeze(*, contest: Contest) -> int:
    """Store the results (selectors.RESULTS_SQL) as they stand: places 1–3 of each nomination."""
    Result.objects.filter(contest=contest).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO contests_result
                (entry_id, contest_id, nomination_id, jurors, mean, median, zscore, score,
                 lowest, highest, spread, rank, place)
            SELECT entry_id, %(contest)s, nomination_id, jurors, mean, median, zscore, score,
                   lowest, highest, spread, rank,
                   CASE WHEN rank <= 3 AND score IS NOT NULL THEN rank END
            FROM ({RESULTS_SQL}) AS ranked
            """,
            {"contest": contest.pk, "method": contest.method},
        )
        return cursor.rowcount


# Nominations and the rubric -----------------------------------------------------


def _require_rubric_editable(contest: Contest) -> None:
    if not contest.rubric_editable:
        raise ValidationError(_("Nominations and the rubric are frozen once entries open."), code="frozen")


@transaction.atomic
def nomination_add(*, actor, contest: Contest, theme: str, description: str = "") -> Nomination:
    contest = _lock(contest, share=True)
    _require_runner(actor, contest)
    _require_rubric_editable(contest)
    return save_or_explain(Nomination(contest=contest, theme=theme, description=description.strip()))


@transaction.atomic
def nomination_remove(*, actor, nomination: Nomination) -> None:
    contest = _lock(nomination.contest, share=True)
    _require_runner(actor, contest)
    _require_rubric_editable(contest)
    if nomination.jurors.exists():
        raise ValidationError(_("Remove the nomination's jurors first."), code="has_jurors")
    nomination.delete()


@transaction.atomic
def criterion_add(*, actor, contest: Contest, name: str, weight, max_score: int, description: str = "") -> Criterion:
    contest = _lock(contest, share=True)
    _require_runner(actor, contest)
    _require_rubric_editable(contest)
    position = (contest.criteria.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    criterion = Criterion(
        contest=contest,
        name=name.strip(),
        description=description.strip(),
        weight=weight,
        max_score=max_score,
        position=position,
    )
    return save_or_explain(criterion)


@transaction.atomic
def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    contest = _lock(criterion.contest, share=True)
    _require_runner(actor, contest)
    _require_rubric_editable(contest)
    for name, value in fields.items():
        setattr(criterion, name, value.strip() if isinstance(value, str) else value)
    return save_or_explain(criterion)


@transaction.atomic
def criterion_remove(*, actor, criterion: Criterion) -> None:
    contest = _lock(criterion.contest, share=True)
    _require_runner(actor, contest)
    _require_rubric_editable(contest)
    criterion.delete()


# Jurors -----------------------------------------------------------------------


@transaction.atomic
def juror_assign(
    *, actor, contest: Contest, person: Person, nominations, home_local_branch: LocalBranch | None = None
) -> list[Juror]:
    """Make `person` a juror of each of `nominations` (one assignment each)."""
    contest = _lock(contest, share=True)
    _require_runner(actor, contest)
    if contest.results_public:
        raise ValidationError(_("Results are published: the jury can no longer change."), code="frozen")
    if not nominations:
        raise ValidationError(_("Choose at least one nomination."), code="no_nomination")
    jurors = [
        save_or_explain(
            Juror(contest=contest, nomination=nomination, person=person, home_local_branch=home_local_branch)
        )
        for nomination in nominations
    ]
    _sync_reminders_on_commit(contest)
    return jurors


@transaction.atomic
def juror_remove(*, actor, juror: Juror) -> None:
    """Remove an assignment, and with it the juror's scores of that nomination (never after publication)."""
    contest = _lock(juror.contest, share=True)
    _require_runner(actor, contest)
    if contest.results_public:
        raise ValidationError(_("Results are published: the jury can no longer change."), code="frozen")
    juror.scores.all().delete()
    juror.delete()
    _sync_reminders_on_commit(contest)


# Entries ----------------------------------------------------------------------


def sanitize_practice(raw: str) -> tuple[str, str]:
    """Return the practice as safe HTML and as plain text.

    Plain text (no tags) becomes paragraphs; HTML keeps only simple formatting
    (PRACTICE_TAGS, links with http, https or mailto), everything else is removed.
    """
    raw = (raw or "").strip()
    if not TAG.search(raw):
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", raw) if part.strip()]
        raw = "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)
    clean = nh3.clean(
        raw,
        tags=PRACTICE_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    text = " ".join(html.unescape(TAG.sub(" ", clean)).split())
    return clean, text


def entry_window_blocker(contest: Contest, *, today: date | None = None) -> str | None:
    """Why entries cannot be made or changed now; None when they can."""
    today = today or contest.today()
    if contest.status == Status.DRAFT or (contest.status == Status.ACCEPTING and today < contest.entries_open_on):
        return _("Entries are not open yet: they open on %(date)s.") % {"date": day(contest.entries_open_on)}
    if contest.status == Status.ACCEPTING and today > contest.entries_close_on:
        return _("The application deadline was %(date)s: entries can no longer change.") % {
            "date": day(contest.entries_close_on)
        }
    if contest.status == Status.JUDGING:
        return _("The application deadline has passed: the contest is being judged.")
    if contest.results_public:
        return _("Results are published: entries can no longer change.")
    return None


def _require_entry_window(contest: Contest) -> None:
    blocker = entry_window_blocker(contest)
    if blocker:
        raise ValidationError(blocker, code="closed")


def _require_secretary(actor, branch_id: int) -> None:
    if branch_id not in viewer_for(actor).secretary_branch_ids:
        raise PermissionDenied


@transaction.atomic
def entry_create(
    *,
    actor,
    contest: Contest,
    branch: PrimaryBranch,
    nomination: Nomination,
    title: str,
    practice: str,
    activists_involved: int = 0,
    events_held: int = 0,
    people_reached: int = 0,
) -> Entry:
    """A secretary enters their branch in a nomination of a regional stage; the entry starts as a draft."""
    _require_secretary(actor, branch.pk)
    contest = _lock(contest, share=True)
    _require_entry_window(contest)
    if contest.is_federal:
        raise ValidationError(
            _("Entries of the federal final are the regional winners; enter your region's stage."), code="federal"
        )
    if branch.region_id != contest.region_id:
        raise ValidationError(_("The branch is in another region."), code="other_region")
    if branch.closed_on is not None:
        raise ValidationError(_("A closed branch cannot enter the contest."), code="closed_branch")
    practice_html, practice_text = sanitize_practice(practice)
    entry = Entry(
        contest=contest,
        nomination=nomination,
        branch=branch,
        title=title.strip(),
        practice=practice_html,
        practice_text=practice_text,
        activists_involved=activists_involved,
        events_held=events_held,
        people_reached=people_reached,
        created_by=actor,
    )
    save_or_explain(entry)
    _sync_reminders_on_commit(contest)
    return entry


ENTRY_EDITABLE = {"nomination", "title", "practice", "activists_involved", "events_held", "people_reached"}


@transaction.atomic
def entry_update(*, actor, entry: Entry, **fields) -> Entry:
    """Change an entry (draft or submitted) until the deadline."""
    unknown = set(fields) - ENTRY_EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _require_secretary(actor, entry.branch_id)
    contest = _lock(entry.contest, share=True)
    _require_entry_window(contest)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn entry cannot change."), code="withdrawn")
    if "practice" in fields:
        fields["practice"], entry.practice_text = sanitize_practice(fields["practice"])
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    entry.updated_at = timezone.now()
    return save_or_explain(entry)


@transaction.atomic
def entry_submit(*, actor, entry: Entry) -> Entry:
    _require_secretary(actor, entry.branch_id)
    contest = _lock(entry.contest, share=True)
    _require_entry_window(contest)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != EntryStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."), code="not_draft")
    if not entry.practice_text:
        raise ValidationError(_("Describe the practice before submitting."), code="empty")
    entry.status, entry.submitted_at, entry.updated_at = EntryStatus.SUBMITTED, timezone.now(), timezone.now()
    save_or_explain(entry, fields=["status", "submitted_at", "updated_at"])
    _sync_reminders_on_commit(contest)
    return entry


@transaction.atomic
def entry_withdraw(*, actor, entry: Entry) -> Entry:
    """Withdraw a draft or a submitted entry until the deadline; the branch may enter the nomination again."""
    _require_secretary(actor, entry.branch_id)
    contest = _lock(entry.contest, share=True)
    _require_entry_window(contest)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationError(_("The entry is already withdrawn."), code="withdrawn")
    entry.status, entry.withdrawn_at, entry.updated_at = EntryStatus.WITHDRAWN, timezone.now(), timezone.now()
    save_or_explain(entry, fields=["status", "withdrawn_at", "updated_at"])
    _sync_reminders_on_commit(contest)
    return entry


def check_upload(upload) -> tuple[str, str]:
    """Return (content type, extension) of an image or PDF upload, judged by its content, or refuse it."""
    return check_file(upload, max_bytes=MAX_ATTACHMENT_BYTES, allowed=ALLOWED_ATTACHMENT_TYPES)


@transaction.atomic
def attachment_add(*, actor, entry: Entry, upload) -> Attachment:
    """Store an image or PDF (checked by content, at most 10 MB) under a name of our own."""
    _require_secretary(actor, entry.branch_id)
    contest = _lock(entry.contest, share=True)
    _require_entry_window(contest)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == EntryStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn entry cannot change."), code="withdrawn")
    if entry.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            _("An entry can have at most %(count)s attachments.") % {"count": MAX_ATTACHMENTS}, code="too_many"
        )
    content_type, extension = check_upload(upload)
    original = original_name(upload, extension)
    attachment = Attachment(entry=entry, original_name=original, content_type=content_type, size=upload.size)
    attachment.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    try:
        return save_or_explain(attachment)
    except ValidationError:
        attachment.file.delete(save=False)
        raise


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    entry = attachment.entry
    _require_secretary(actor, entry.branch_id)
    _require_entry_window(_lock(entry.contest, share=True))
    shared = Attachment.objects.filter(file=attachment.file.name).exclude(pk=attachment.pk).exists()
    attachment.delete()
    if not shared:  # a final entry carried from a regional one shares its files
        transaction.on_commit(lambda: attachment.file.storage.delete(attachment.file.name))  # type: ignore[arg-type]


def final_collect_winners(*, final: Contest, stages=None) -> int:
    """Enter the winners (place 1) of published regional stages into the federal final.

    Each becomes a submitted entry of the final's nomination with the same theme,
    with the same practice and attachments; a branch already in that nomination is
    skipped, so collecting twice adds nothing. Returns how many entries were added.
    """
    if stages is None:
        stages = Contest.objects.filter(
            year=final.year, level=Level.REGIONAL, status__in=[Status.PUBLISHED, Status.ARCHIVED]
        )
    nominations = {nomination.theme: nomination for nomination in final.nominations.all()}
    winners = (
        Entry.objects.filter(contest__in=stages, result__place=1)
        .select_related("nomination", "branch")
        .prefetch_related("attachments")
        .order_by("pk")
    )
    added = 0
    now = timezone.now()
    for winner in winners:
        nomination = nominations.get(winner.nomination.theme)
        if nomination is None or Entry.objects.filter(source=winner, contest=final).exists():
            continue
        entry = Entry(
            contest=final,
            nomination=nomination,
            branch=winner.branch,
            title=winner.title,
            practice=winner.practice,
            practice_text=winner.practice_text,
            activists_involved=winner.activists_involved,
            events_held=winner.events_held,
            people_reached=winner.people_reached,
            status=EntryStatus.SUBMITTED,
            submitted_at=now,
            source=winner,
        )
        try:
            save_or_explain(entry)
        except ValidationError:
            continue  # the branch is in this nomination of the final already
        Attachment.objects.bulk_create(
            Attachment(
                entry=entry,
                file=attachment.file.name,
                original_name=attachment.original_name,
                content_type=attachment.content_type,
                size=attachment.size,
            )
            for attachment in winner.attachments.all()
        )
        added += 1
    return added


# Scores -----------------------------------------------------------------------


def scoring_blocker(contest: Contest, *, today: date | None = None) -> str | None:
    """Why scores cannot be given or changed now; None when they can."""
    today = today or contest.today()
    if contest.status in {Status.DRAFT, Status.ACCEPTING}:
        return _("Scoring starts with judging, after the application deadline (%(date)s).") % {
            "date": day(contest.entries_close_on)
        }
    if contest.status == Status.JUDGING and today > contest.judging_close_on:
        return _("Judging closed on %(date)s.") % {"date": day(contest.judging_close_on)}
    if contest.results_public:
        return _("Results are published: scores can no longer change.")
    return None


@transaction.atomic
def score_sheet_save(*, actor, juror: Juror, entry: Entry, scores: dict) -> list[Score]:
    """Save a juror's whole sheet for one entry: {criterion id: (value, comment)} for every criterion.

    The rules are checked here and not only by the page: the juror is the actor, judges
    the entry's nomination, and the entry is not of the juror's own local branch.
    """
    if juror.person_id != viewer_for(actor).person_id:
        raise PermissionDenied
    contest = _lock(juror.contest, share=True)
    blocker = scoring_blocker(contest)
    if blocker:
        raise ValidationError(blocker, code="closed")
    entry = Entry.objects.select_related("branch").get(pk=entry.pk)
    if entry.contest_id != contest.pk or entry.nomination_id != juror.nomination_id:
        raise ValidationError(message_for("score_by_a_juror_of_the_nomination"), code="other_nomination")
    if entry.status != EntryStatus.SUBMITTED:
        raise ValidationError(_("Only submitted entries are judged."), code="not_submitted")
    homes = Juror.objects.filter(contest=contest, person_id=juror.person_id).values_list("home_local_branch", flat=True)
    if entry.branch.local_branch_id in juror_local_branch_ids(juror.person_id, homes):
        raise ValidationError(
            _("Conflict of interest: jurors do not score entries of their own local branch."), code="conflict"
        )
    criteria = list(contest.criteria.all())
    if set(scores) != {criterion.pk for criterion in criteria}:
        raise ValidationError(_("Score every criterion of the rubric."), code="incomplete")
    now = timezone.now()
    rows = [
        Score(
            juror=juror,
            entry=entry,
            criterion=criterion,
            nomination_id=entry.nomination_id,
            max_score=criterion.max_score,
            value=scores[criterion.pk][0],
            comment=(scores[criterion.pk][1] or "").strip(),
            updated_at=now,
        )
        for criterion in criteria
    ]
    with explain_violations():
        saved = Score.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["juror", "entry", "criterion"],
            update_fields=["value", "comment", "updated_at"],
        )
    _sync_reminders_on_commit(contest)  # a juror with nothing left to score gets no reminder
    return saved


# Reminders --------------------------------------------------------------------
#
# Keys: contest:<id>:deadline:<entry>:<days>:<secretary person>, contest:<id>:judging:<person>:<days>,
# contest:<id>:results:<person>. A key is planned once, ever (notifications are idempotent on
# it); the person is in the key so that a new secretary gets their own reminder.

ENTRY_DEADLINE = "contest.entry_deadline"
JUDGING_DEADLINE = "contest.judging_deadline"
RESULTS_PUBLISHED = "contest.results"
DEADLINE_REMINDERS = (7, 1)  # days before the application deadline, to secretaries with a draft
JUDGING_REMINDERS = (3, 1)  # days before judging closes, to jurors with unscored entries
REMINDER_HOUR = 10  # local time of the contest's time zone


def _due(contest: Contest, last_day: date, days_before: int) -> datetime:
    """10:00 in the contest's time zone, `days_before` days before `last_day`."""
    on = last_day - timedelta(days=days_before)
    return datetime.combine(on, time(REMINDER_HOUR), tzinfo=zoneinfo.ZoneInfo(contest.time_zone))


def _contest_context(contest: Contest) -> dict:
    """What a message needs to name the contest in its recipient's language (contests/_contest_name.txt)."""
    return {
        "year": contest.year,
        "federal": contest.is_federal,
        "region": contest.region.name if contest.region else "",
        "contest_title": contest.title,
    }


def _wanted_reminders(contest: Contest) -> dict:
    """The reminders the contest asks for now, by key (only those still in the future)."""
    from contests.selectors import jurors_progress
    from notifications.services import NotificationRow

    now = timezone.now()
    wanted = {}
    if contest.status == Status.ACCEPTING:
        drafts = list(Entry.objects.filter(contest=contest, status=EntryStatus.DRAFT))
        secretaries = dict(
            Position.objects.secretaries()
            .current(contest.today())
            .filter(primary_branch_id__in=[entry.branch_id for entry in drafts])
            .values_list("primary_branch_id", "person_id")
        )
        for entry in drafts:
            person_id = secretaries.get(entry.branch_id)
            if not person_id:
                continue
            for days in DEADLINE_REMINDERS:
                key = f"contest:{contest.pk}:deadline:{entry.pk}:{days}:{person_id}"
                context = {
                    **_contest_context(contest),
                    "title": entry.title,
                    "deadline": contest.entries_close_on.isoformat(),
                    "days": days,
                }
                due = _due(contest, contest.entries_close_on, days)
                wanted[key] = NotificationRow(person_id, ENTRY_DEADLINE, key, due, context, entry.get_absolute_url())
    elif contest.status == Status.JUDGING:
        url = reverse("contests:judging", kwargs={"pk": contest.pk})
        for row in jurors_progress(contest):
            remaining = row.assigned - row.done
            for days in JUDGING_REMINDERS if remaining > 0 else ():
                key = f"contest:{contest.pk}:judging:{row.person.pk}:{days}"
                context = {
                    **_contest_context(contest),
                    "closes": contest.judging_close_on.isoformat(),
                    "days": days,
                    "remaining": remaining,
                }
                due = _due(contest, contest.judging_close_on, days)
                wanted[key] = NotificationRow(row.person.pk, JUDGING_DEADLINE, key, due, context, url)
    return {key: row for key, row in wanted.items() if row.due_at > now}


@transaction.atomic
def contest_reminders_plan(*, contest: Contest) -> dict:
    """Make the contest's planned reminders match the contest; safe to run any number of times.

    1. compute the reminders wanted now (drafts before the deadline, unscored entries
       before judging closes), each under its unique key;
    2. hand them to notification_reconcile under the contest's key prefix, for the two
       reminder kinds (the results messages share the prefix): it plans the wanted ones
       not planned yet (a key planned or delivered before is left alone), re-times the
       planned ones whose time or figures moved (a date changed, a sheet was scored) and
       cancels the planned ones no longer wanted (submitted, withdrawn, all scored, stage
       passed, a new secretary).
    """
    from notifications.services import notification_reconcile

    contest = _lock(contest, share=True)
    return notification_reconcile(
        prefix=f"contest:{contest.pk}:",
        wanted=list(_wanted_reminders(contest).values()),
        kinds=[ENTRY_DEADLINE, JUDGING_DEADLINE],
    )


def _sync_reminders_on_commit(contest: Contest) -> None:
    """Bring the contest's planned reminders in line with it, once this transaction commits."""
    from contests.tasks import plan_contest_reminders

    enqueue_on_commit(plan_contest_reminders, contest.pk)


def _plan_results_messages(contest: Contest) -> int:
    """Tell every entrant (the secretary of each branch with a submitted entry) that the results are out."""
    from notifications.services import NotificationRow, notification_plan_many

    entries = list(
        Entry.objects.filter(contest=contest, status=EntryStatus.SUBMITTED).select_related("result").order_by("pk")
    )
    secretaries = dict(
        Position.objects.secretaries()
        .current(contest.today())
        .filter(primary_branch_id__in={entry.branch_id for entry in entries})
        .values_list("primary_branch_id", "person_id")
    )
    by_person: dict[int, list[dict]] = {}
    for entry in entries:
        person_id = secretaries.get(entry.branch_id)
        if person_id:
            place = getattr(getattr(entry, "result", None), "place", None)
            by_person.setdefault(person_id, []).append({"title": entry.title, "place": place})
    url = reverse("contests:results", kwargs={"pk": contest.pk})
    now = timezone.now()
    rows = [
        NotificationRow(
            person_id,
            RESULTS_PUBLISHED,
            f"contest:{contest.pk}:results:{person_id}",
            now,
            {**_contest_context(contest), "entries": entries_of_person},
            url,
        )
        for person_id, entries_of_person in by_person.items()
    ]
    return notification_plan_many(rows=rows)
