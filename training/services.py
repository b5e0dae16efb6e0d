"""Every write of training: courses, assignments by post, completions from the platform.

Assignments follow posts: `branches.hooks` calls `assignments_on_positions_taken` and
`assignments_on_positions_ended` inside the transaction that appoints or dismisses, and
`assignments_sync` (a command and a nightly task) catches up with everyone already in
post and with terms that ended on a date set in advance.

Completions come in three ways (an uploaded export, a Moodle pull, a signed push) and end
as the same append-only `CompletionRecord` rows, inserted with ON CONFLICT DO NOTHING on
(source, platform user, course, completion time): the same file twice, or a pull that
overlaps an upload, adds nothing and changes no assignment.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.models import Person, Position
from core.db import save_or_explain
from training import spreadsheets
from training.models import (
    AssignmentStatus,
    CompletionRecord,
    Course,
    CourseAssignment,
    PlatformAccount,
    Source,
    SyncRun,
)

# Courses ----------------------------------------------------------------------


@transaction.atomic
def course_create(
    *,
    code: str,
    title: str,
    version: int = 1,
    link: str = "",
    platform_course_id: str = "",
    required_roles: Sequence[str] | None = None,
    days_allowed: int = 90,
    validity_months: int | None = None,
) -> Course:
    course = Course(
        code=code.strip(),
        title=title.strip(),
        version=version,
        link=link,
        platform_course_id=platform_course_id.strip(),
        days_allowed=days_allowed,
        validity_months=validity_months,
    )
    if required_roles is not None:
        course.required_roles = list(required_roles)
    return save_or_explain(course)


# Assignments ------------------------------------------------------------------


def _courses_by_role() -> dict[str, list[Course]]:
    by_role: dict[str, list[Course]] = {}
    for course in Course.objects.filter(is_active=True):
        for role in course.required_roles:
            by_role.setdefault(role, []).append(course)
    return by_role


def _holds_valid_completion(person_ids: Iterable[int], today: date) -> set[tuple[int, int]]:
    """(person, course) pairs already done and still valid: they are not assigned again."""
    done = set()
    rows = CourseAssignment.objects.filter(
        person_id__in=list(person_ids), status=AssignmentStatus.COMPLETED
    ).select_related("course")
    for assignment in rows:
        assert assignment.completed_at is not None
        until = assignment.course.valid_until(assignment.completed_at.date())
        if until is None or until > today:
            done.add((assignment.person_id, assignment.course_id))
    return done


def _assign(positions: Sequence[Position], *, today: date, from_today: bool) -> list[CourseAssignment]:
    """Create the missing assignments for these positions (three queries and one INSERT).

    Due date: the post's start plus the days allowed; with `from_today` (people already
    in post when the course appeared) today plus the days allowed, so nobody starts overdue.
    """
    by_role = _courses_by_role()
    positions = [p for p in positions if p.role in by_role and (p.ends_on is None or p.ends_on > today)]
    if not positions:
        return []
    person_ids = {p.person_id for p in positions}
    taken = set(
        CourseAssignment.objects.open().filter(person_id__in=person_ids).values_list("person_id", "course_id")
    ) | _holds_valid_completion(person_ids, today)
    new = []
    for position in positions:
        for course in by_role[position.role]:
            if (position.person_id, course.pk) in taken:
                continue
            taken.add((position.person_id, course.pk))
            start = today if from_today else position.starts_on
            new.append(
                CourseAssignment(
                    person_id=position.person_id,
                    course=course,
                    position=position,
                    region_id=position.region_id,
                    assigned_on=start,
                    due_on=start + timedelta(days=course.days_allowed),
                )
            )
    # ON CONFLICT DO NOTHING: when two transactions assign the same person at once, the
    # partial unique index (one open assignment per person and course) keeps one row.
    CourseAssignment.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)
    _apply_completions(person_ids={a.person_id for a in new})
    reminders_replan_on_commit(a.region_id for a in new)
    return new


def assignments_on_positions_taken(positions: Sequence[Position]) -> None:
    """Hook of branches.hooks: taking up a required post assigns its courses, due after the days allowed."""
    _assign(positions, today=timezone.localdate(), from_today=False)


def assignments_on_positions_ended(positions: Sequence[Position]) -> None:
    """Hook of branches.hooks: a post ended before completion closes its assignments ("left the post")."""
    today = timezone.localdate()
    ended = [p.pk for p in positions if p.ends_on is not None and p.ends_on <= today]
    if ended:
        closing = CourseAssignment.objects.open().filter(position_id__in=ended)
        regions = set(closing.values_list("region_id", flat=True))
        if _close_left(closing, today):
            reminders_replan_on_commit(regions)


def _close_left(assignments, today: date) -> int:
    return assignments.update(status=AssignmentStatus.LEFT_POST, closed_on=today)


@transaction.atomic
def assignments_sync(*, today: date | None = None) -> dict[str, int]:
    """Bring assignments in line with the posts held today; running it twice changes nothing.

    Assigns everyone in a required post who has neither an open assignment nor a valid
    completion (due today plus the days allowed), and closes the open assignments of
    posts whose term has ended.
    """
    today = today or timezone.localdate()
    roles = list(_courses_by_role())
    closed = _close_left(
        CourseAssignment.objects.open().filter(position__ends_on__lte=today),
        today,
    )
    positions = list(Position.objects.current(today).filter(role__in=roles).order_by("pk"))
    created = _assign(positions, today=today, from_today=True)
    return {"assigned": len(created), "closed": closed}


@transaction.atomic
def assignment_waive(*, assignment: CourseAssignment, reason: str, actor) -> CourseAssignment:
    """Regional staff release a person from a course; the database insists on a reason."""
    assignment = CourseAssignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_open():
        raise ValidationError(_("Only an open assignment can be waived."), code="closed")
    assignment.status = AssignmentStatus.WAIVED
    assignment.waiver_reason = reason.strip()[:300]
    assignment.waived_by = actor
    assignment.closed_on = timezone.localdate()
    return save_or_explain(assignment, fields=["status", "waiver_reason", "waived_by", "closed_on"])


def _apply_completions(
    *, person_ids: Iterable[int] | None = None, platform_user_ids: Iterable[str] | None = None
) -> int:
    """Move open assignments forward from the records of their people; return how many changed.

    A record counts for a person through their platform account only. A completed record
    completes the assignment (the earliest completion wins); otherwise the highest
    progress puts it in progress. Never moves an assignment back.
    """
    accounts = PlatformAccount.objects.all()
    if person_ids is not None:
        accounts = accounts.filter(person_id__in=list(person_ids))
    if platform_user_ids is not None:
        accounts = accounts.filter(platform_user_id__in=list(platform_user_ids))
    person_of = dict(accounts.values_list("platform_user_id", "person_id"))
    if not person_of:
        return 0
    assignments = {
        (a.person_id, a.course_id): a
        for a in CourseAssignment.objects.open().filter(person_id__in=set(person_of.values()))
    }
    if not assignments:
        return 0
    best: dict[tuple[int, int], CompletionRecord] = {}
    records = CompletionRecord.objects.filter(
        platform_user_id__in=list(person_of), course_id__in={course for _person, course in assignments}
    ).only("pk", "platform_user_id", "course_id", "progress", "completed_at")
    for record in records:
        key = (person_of[record.platform_user_id], record.course_id)
        if key not in assignments:
            continue
        current = best.get(key)
        if current is None or _better(record, current):
            best[key] = record
    changed = []
    for key, record in best.items():
        assignment = assignments[key]
        if record.completed_at is not None:
            assignment.status = AssignmentStatus.COMPLETED
            assignment.completed_at = record.completed_at
            assignment.completion_id = record.pk
            assignment.progress = 100
            assignment.closed_on = timezone.localdate()
        elif record.progress > assignment.progress:
            assignment.status = AssignmentStatus.IN_PROGRESS
            assignment.progress = record.progress
        else:
            continue
        changed.append(assignment)
    CourseAssignment.objects.bulk_update(
        changed, ["status", "completed_at", "completion", "progress", "closed_on"], batch_size=5000
    )
    return len(changed)


def _better(record: CompletionRecord, than: CompletionRecord) -> bool:
    if record.completed_at is not None:
        return than.completed_at is None or record.completed_at < than.completed_at
    return than.completed_at is None and record.progress > than.progress


# Completion records -----------------------------------------------------------


@dataclass
class RecordRow:
    """One completion as the platform reports it, checked, before it is stored."""

    platform_user_id: str
    course_id: int
    progress: int
    completed_at: datetime | None
    score: Decimal | None = None
    certificate_code: str = ""
    certificate_url: str = ""
    raw: dict = field(default_factory=dict)
    email: str = ""

    @property
    def key(self) -> tuple:
        return (self.platform_user_id, self.course_id, self.completed_at)


def _records_insert(*, run: SyncRun, rows: Sequence[RecordRow]) -> int:
    """INSERT … ON CONFLICT DO NOTHING; return how many were new (counted by their run)."""
    CompletionRecord.objects.bulk_create(
        [
            CompletionRecord(
                source=run.source,
                platform_user_id=row.platform_user_id,
                course_id=row.course_id,
                progress=row.progress,
                completed_at=row.completed_at,
                score=row.score,
                certificate_code=row.certificate_code,
                certificate_url=row.certificate_url,
                raw=row.raw,
                sync_run=run,
            )
            for row in rows
        ],
        ignore_conflicts=True,
        batch_size=5000,
    )
    return CompletionRecord.objects.filter(sync_run=run).count()


def _finish(run: SyncRun, *, status: str, counts: dict | None = None, errors: list | None = None) -> SyncRun:
    run.status = status
    if counts is not None:
        run.counts = counts
    if errors is not None:
        run.errors = errors
    run.finished_at = timezone.now()
    run.content = b""  # the file is not kept once it is applied or refused for good
    run.save(update_fields=["status", "counts", "errors", "finished_at", "content"])
    return run


@transaction.atomic
def platform_account_link(*, platform_user_id: str, person: Person, actor=None) -> PlatformAccount:
    """Say who a platform user is (staff resolving an unmatched row); their records then apply."""
    account = save_or_explain(
        PlatformAccount(platform_user_id=platform_user_id.strip(), person=person, created_by=actor)
    )
    _apply_completions(platform_user_ids=[account.platform_user_id])
    return account


# Upload -----------------------------------------------------------------------

MAX_REPORTED_ERRORS = 500


@dataclass
class UploadPlan:
    rows: list[RecordRow] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    new_accounts: dict[str, int] = field(default_factory=dict)  # platform user → person, by e-mail
    counts: dict = field(default_factory=dict)


@transaction.atomic
def upload_start(*, actor, region, file_name: str, content: bytes) -> SyncRun:
    """Store an upload and queue its check; the preview appears when every row is checked."""
    from training.tasks import upload_validate

    run = SyncRun.objects.create(
        source=Source.UPLOAD, region=region, created_by=actor, file_name=file_name[:200], content=content
    )
    upload_validate.delay_on_commit(run.pk)
    return run


def upload_validate(*, run: SyncRun) -> SyncRun:
    """Check every row and compare with what is recorded; store the preview or every error."""
    if not SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.PENDING).update(status=SyncRun.Status.VALIDATING):
        return run
    run.refresh_from_db()
    plan = _upload_plan(run)
    run.total_rows = len(plan.rows) + len({e["row"] for e in plan.errors if e["row"]})
    run.counts = plan.counts
    run.errors = plan.errors[:MAX_REPORTED_ERRORS]
    run.status = SyncRun.Status.INVALID if plan.errors else SyncRun.Status.VALIDATED
    run.save(update_fields=["total_rows", "counts", "errors", "status"])
    if plan.errors:
        _finish(run, status=SyncRun.Status.INVALID)
    return run


@transaction.atomic
def upload_confirm(*, run: SyncRun) -> SyncRun:
    """Queue the application of a checked upload (once: a second click changes nothing)."""
    from training.tasks import upload_apply as upload_apply_task

    if not SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.VALIDATED).update(status=SyncRun.Status.APPLYING):
        raise ValidationError(_("This upload is not ready to be applied."), code="not_ready")
    upload_apply_task.delay_on_commit(run.pk)
    run.refresh_from_db()
    return run


def upload_apply(*, run: SyncRun) -> SyncRun:
    """Apply a checked upload all or nothing (the plan is made again inside the transaction)."""
    run = SyncRun.objects.get(pk=run.pk)
    if run.status != SyncRun.Status.APPLYING:
        return run
    try:
        with transaction.atomic():
            plan = _upload_plan(run)
            if plan.errors:
                raise ValidationError(plan.errors[0]["message"])
            for platform_user_id, person_id in plan.new_accounts.items():
                PlatformAccount.objects.create(
                    platform_user_id=platform_user_id, person_id=person_id, created_by=run.created_by
                )
            new = _records_insert(run=run, rows=plan.rows)
            applied = _apply_completions(platform_user_ids={row.platform_user_id for row in plan.rows})
    except ValidationError as error:
        return _finish(run, status=SyncRun.Status.FAILED, errors=[{"row": None, "message": error.messages[0]}])
    return _finish(run, status=SyncRun.Status.DONE, counts=plan.counts | {"new": new, "applied": applied})


def _upload_plan(run: SyncRun) -> UploadPlan:
    plan = UploadPlan()
    try:
        rows = spreadsheets.read_rows(bytes(run.content), run.file_name)
    except spreadsheets.SpreadsheetError as error:
        plan.errors.append({"row": None, "message": str(error)})
        return plan
    courses = _course_lookup()
    seen: set[tuple] = set()
    for number, raw in rows:
        try:
            row = _parse_row(raw, courses)
        except ValidationError as error:
            plan.errors.append({"row": number, "message": error.messages[0]})
            continue
        if row.key in seen:
            continue  # the same line twice in one file is one completion
        seen.add(row.key)
        plan.rows.append(row)
    if not plan.errors:
        _compare(plan, region_id=run.region_id)
    return plan


def _course_lookup() -> dict[str, Course]:
    """A course by its platform id, or by its code (the newest version), as the file names it."""
    lookup: dict[str, Course] = {}
    for course in Course.objects.order_by("code", "version"):
        lookup[course.code.casefold()] = course
        if course.platform_course_id:
            lookup[course.platform_course_id.casefold()] = course
    return lookup


def _parse_row(raw: dict, courses: dict[str, Course]) -> RecordRow:
    user = raw.get("platform_user_id", "").strip()
    if not user:
        raise ValidationError(_("the platform user id is missing"))
    if len(user) > 64:
        raise ValidationError(_("the platform user id is longer than 64 characters"))
    course = courses.get(raw.get("course", "").strip().casefold())
    if course is None:
        raise ValidationError(_("unknown course %(course)s") % {"course": raw.get("course", "") or "—"})
    progress = _percent(raw.get("progress", ""))
    completed_at = _moment(raw.get("completed_at", ""))
    if completed_at is not None:
        progress = 100
    score = None
    if raw.get("score", "").strip():
        try:
            score = Decimal(raw["score"].strip().replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("the score %(value)s is not a number") % {"value": raw["score"]}) from None
        if not Decimal(0) <= score < Decimal(10000):
            raise ValidationError(_("the score %(value)s is out of range") % {"value": raw["score"]})
    url = raw.get("certificate_url", "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(_("the certificate link is not a web address")) from None
    return RecordRow(
        platform_user_id=user,
        course_id=course.pk,
        progress=progress,
        completed_at=completed_at,
        score=score,
        certificate_code=raw.get("certificate_code", "").strip()[:100],
        certificate_url=url[:200],
        raw={key: value for key, value in raw.items() if value},
        email=raw.get("email", "").strip().lower(),
    )


def _percent(text: str) -> int:
    text = text.strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return 0
    try:
        value = float(text)
    except ValueError:
        raise ValidationError(_("the progress %(value)s is not a percentage") % {"value": text}) from None
    if not 0 <= value <= 100:
        raise ValidationError(_("the progress %(value)s is not between 0 and 100") % {"value": text})
    return round(value)


def _moment(text: str) -> datetime | None:
    """A completion time: ISO, "31.12.2025 14:30", a bare date (midnight UTC) or Unix seconds."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in ("%d.%m.%Y %H:%M", "%d.%m.%Y"):
            try:
                moment = datetime.strptime(text, pattern)  # noqa: DTZ007 (made aware below)
                break
            except ValueError:
                continue
    if moment is None:
        raise ValidationError(_("the completion time %(value)s is not a date (use 31.12.2025 14:30)") % {"value": text})
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _compare(plan: UploadPlan, *, region_id: int | None) -> None:
    """Count what applying would do: new records, known ones, accounts to link, unmatched users.

    A region's upload writes only what concerns that region: rows of users linked to
    people with no course in the region are left out (counted as "other regions"), and an
    account is linked by e-mail only to a person with a course in the region. So the staff
    of one region cannot complete another region's courses with a file.
    """
    users = {row.platform_user_id for row in plan.rows}
    accounts = dict(
        PlatformAccount.objects.filter(platform_user_id__in=users).values_list("platform_user_id", "person_id")
    )
    other_regions = 0
    if region_id is not None:
        local_people = set(
            CourseAssignment.objects.filter(region_id=region_id, person_id__in=set(accounts.values())).values_list(
                "person_id", flat=True
            )
        )
        kept = [
            row
            for row in plan.rows
            if accounts.get(row.platform_user_id, -1) in local_people or row.platform_user_id not in accounts
        ]
        other_regions = len(plan.rows) - len(kept)
        plan.rows = kept
    linked = set(accounts)
    emails = {row.email for row in plan.rows if row.email and row.platform_user_id not in linked}
    people = Person.objects.filter(email__in=emails)
    if region_id is not None:
        people = people.filter(course_assignments__region_id=region_id).distinct()
    people_by_email: dict[str, list[int]] = {}
    for person_id, email in people.values_list("pk", "email"):
        people_by_email.setdefault(email, []).append(person_id)
    taken_people = set(
        PlatformAccount.objects.filter(person_id__in=[p for ids in people_by_email.values() for p in ids]).values_list(
            "person_id", flat=True
        )
    )
    for row in plan.rows:
        if row.platform_user_id in linked or row.platform_user_id in plan.new_accounts:
            continue
        candidates = people_by_email.get(row.email, [])
        # One person with exactly this e-mail and no account yet: link them (never by name).
        if len(candidates) == 1 and candidates[0] not in taken_people:
            plan.new_accounts[row.platform_user_id] = candidates[0]
            taken_people.add(candidates[0])
    known = 0
    by_course: dict[int, set] = {}
    for row in plan.rows:
        by_course.setdefault(row.course_id, set()).add(row.platform_user_id)
    existing = set()
    for course_id, course_users in by_course.items():
        existing |= set(
            CompletionRecord.objects.filter(
                source=Source.UPLOAD, course_id=course_id, platform_user_id__in=course_users
            ).values_list("platform_user_id", "course_id", "completed_at")
        )
    known = sum(1 for row in plan.rows if row.key in existing)
    unmatched = {row.platform_user_id for row in plan.rows} - linked - set(plan.new_accounts)
    plan.counts = {
        "rows": len(plan.rows),
        "new": len(plan.rows) - known,
        "known": known,
        "accounts": len(plan.new_accounts),
        "unmatched": len(unmatched),
        "completed": sum(1 for row in plan.rows if row.completed_at is not None),
        "other_regions": other_regions,
    }


# Moodle pull ------------------------------------------------------------------

MOODLE_FUNCTION = "core_completion_get_course_completion_status"


class PlatformError(Exception):
    """The platform is down, slow, or answered something that is not what Moodle answers."""


def moodle_pull(*, limit: int | None = None) -> SyncRun | None:
    """Ask Moodle about every open assignment of a person with a platform account; record the answers.

    Disabled (returns None) while TRAINING_MOODLE_URL or TRAINING_MOODLE_TOKEN is unset.
    Steps: 1. record a running SyncRun; 2. ask every question first, writing nothing;
    3. any error, timeout or malformed answer fails the run with the reason and changes
    nothing (the next beat retries); 4. otherwise insert the records and apply them in one
    transaction.
    """
    base, token = settings.TRAINING_MOODLE_URL, settings.TRAINING_MOODLE_TOKEN
    if not base or not token:
        return None
    run = SyncRun.objects.create(source=Source.MOODLE, status=SyncRun.Status.RUNNING)
    wanted = (
        CourseAssignment.objects.open()
        .exclude(course__platform_course_id="")
        .filter(person__platform_accounts__isnull=False)
        .values_list("person__platform_accounts__platform_user_id", "course_id", "course__platform_course_id")
        .order_by("person_id", "course_id")
        .distinct()
    )
    questions = list(wanted[:limit] if limit else wanted)
    rows: list[RecordRow] = []
    try:
        for platform_user_id, course_id, platform_course_id in questions:
            answer = _moodle_call(base, token, courseid=platform_course_id, userid=platform_user_id)
            rows.append(_moodle_row(answer, platform_user_id=platform_user_id, course_id=course_id))
    except PlatformError as error:
        return _finish(
            run,
            status=SyncRun.Status.FAILED,
            counts={"asked": len(rows)},
            errors=[{"row": None, "message": str(error)}],
        )
    with transaction.atomic():
        new = _records_insert(run=run, rows=rows)
        applied = _apply_completions(platform_user_ids={row.platform_user_id for row in rows})
        return _finish(run, status=SyncRun.Status.DONE, counts={"asked": len(rows), "new": new, "applied": applied})


def _moodle_call(base: str, token: str, **params) -> dict:
    query = urllib.parse.urlencode(
        {"wstoken": token, "wsfunction": MOODLE_FUNCTION, "moodlewsrestformat": "json", **params}
    )
    url = f"{base.rstrip('/')}/webservice/rest/server.php?{query}"
    try:
        with urllib.request.urlopen(url, timeout=settings.TRAINING_MOODLE_TIMEOUT) as response:
            body = response.read(1_000_000)
    except TimeoutError:
        raise PlatformError(_("The platform did not answer in time.")) from None
    except (urllib.error.URLError, OSError) as error:
        raise PlatformError(_("The platform could not be reached: %(error)s") % {"error": error}) from None
    try:
        answer = json.loads(body)
    except ValueError:
        raise PlatformError(_("The platform's answer is not JSON.")) from None
    if not isinstance(answer, dict):
        raise PlatformError(_("The platform's answer is not what Moodle answers."))
    if "exception" in answer or "errorcode" in answer:
        raise PlatformError(
            _("The platform refused: %(message)s")
            % {"message": str(answer.get("message") or answer.get("errorcode"))[:300]}
        )
    return answer


def _moodle_row(answer: dict, *, platform_user_id: str, course_id: int) -> RecordRow:
    """Read Moodle's {"completionstatus": {"completed", "completions": [...]}, "warnings"} answer."""
    status = answer.get("completionstatus")
    if not isinstance(status, dict) or not isinstance(status.get("completions"), list):
        raise PlatformError(_("The platform's answer is not what Moodle answers."))
    criteria = [c for c in status["completions"] if isinstance(c, dict)]
    done = [c for c in criteria if c.get("complete")]
    progress = round(100 * len(done) / len(criteria)) if criteria else 0
    completed_at = None
    if status.get("completed"):
        times = [int(c["timecompleted"]) for c in done if str(c.get("timecompleted") or "").isdigit()]
        completed_at = datetime.fromtimestamp(max(times), tz=UTC) if times else timezone.now().replace(microsecond=0)
        progress = 100
    return RecordRow(
        platform_user_id=platform_user_id,
        course_id=course_id,
        progress=progress,
        completed_at=completed_at,
        raw=answer,
    )


# Push -------------------------------------------------------------------------


def push_signature(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def push_receive(*, body: bytes, signature: str) -> SyncRun:
    """Record what the platform pushed, if the body is signed with the shared secret.

    Raises PermissionError for a missing secret or a wrong signature, ValidationError for a
    body that is not a completion; the same body twice records one completion.
    """
    secret = settings.TRAINING_PUSH_SECRET
    if not secret or not hmac.compare_digest(push_signature(body, secret), signature or ""):
        raise PermissionError("bad signature")
    try:
        payload = json.loads(body)
    except ValueError:
        raise ValidationError(_("The body is not JSON.")) from None
    items = payload if isinstance(payload, list) else [payload]
    courses = _course_lookup()
    rows = []
    for item in items[:1000]:
        if not isinstance(item, dict):
            raise ValidationError(_("Each completion is a JSON object."))
        raw = {key: "" if value is None else str(value) for key, value in item.items()}
        row = _parse_row(raw, courses)
        row.raw = item
        rows.append(row)
    with transaction.atomic():
        run = SyncRun.objects.create(source=Source.PUSH, status=SyncRun.Status.RUNNING)
        new = _records_insert(run=run, rows=rows)
        applied = _apply_completions(platform_user_ids={row.platform_user_id for row in rows})
        return _finish(run, status=SyncRun.Status.DONE, counts={"rows": len(rows), "new": new, "applied": applied})


# Reminders --------------------------------------------------------------------

REMINDER_HOUR = 10  # in the region's time zone
# A reminder whose moment passed this long ago is not planned any more (a late catch-up
# does not flood people with "due in 14 days" about a course due yesterday).
STALE_AFTER = timedelta(days=2)


def reminders_plan(*, region_id: int, today: date | None = None) -> dict[str, int]:
    """Bring the region's training reminders in line with its open assignments (notification_reconcile).

    To the person: on assignment (with the link), 14 days and 1 day before the due date, and
    the day after it; to the secretary of their local branch: the day after it too; to the
    region's staff: a digest on the first of each month. Closed assignments' pending
    reminders are cancelled by the reconcile. Queries: the region, its open assignments,
    the local secretaries, the staff, the digest's counts (three), then the engine's.
    """
    import zoneinfo

    from branches.models import Region, Role
    from notifications.services import NotificationRow, notification_reconcile
    from training import kinds, selectors

    region = Region.objects.get(pk=region_id)
    zone = zoneinfo.ZoneInfo(region.time_zone)
    today = today or region.today()
    now = timezone.now()
    prefix = f"training.{region.pk}."

    def at(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time().replace(hour=REMINDER_HOUR), tzinfo=zone)

    local_secretaries = dict(
        Position.objects.current(today)
        .filter(region=region, role=Role.LOCAL_SECRETARY)
        .values_list("local_branch_id", "person_id")
    )
    rows: list[NotificationRow] = []
    assignments = (
        CourseAssignment.objects.open()
        .filter(region=region)
        .select_related("course", "person", "position__primary_branch", "position__local_branch")
    )
    for a in assignments:
        base = {"course": a.course.title, "due_on": a.due_on.isoformat(), "link": a.course.link}
        key = f"{prefix}{a.pk}."
        wanted = [
            (a.person_id, kinds.ASSIGNED.name, "assigned", a.assigned_on, base),
            (a.person_id, kinds.DUE_SOON.name, "due14", a.due_on - timedelta(days=14), base | {"days": 14}),
            (a.person_id, kinds.DUE_SOON.name, "due1", a.due_on - timedelta(days=1), base | {"days": 1}),
            (a.person_id, kinds.OVERDUE.name, "overdue", a.due_on + timedelta(days=1), base | {"for_person": True}),
        ]
        local_secretary = local_secretaries.get(a.position.local_branch_id) if a.position else None
        if local_secretary is not None and local_secretary != a.person_id:
            branch = str(a.position.primary_branch or a.position.local_branch) if a.position else ""
            context = base | {"person": a.person.full_name, "branch": branch}
            wanted.append((local_secretary, kinds.OVERDUE.name, "overdue_local", a.due_on + timedelta(days=1), context))
        for recipient, kind, what, day, context in wanted:
            due_at = at(max(day, a.assigned_on))
            if due_at < now - STALE_AFTER:
                continue
            rows.append(NotificationRow(recipient, kind, key + what, due_at, context, "/training/"))
    staff = (
        Position.objects.current(today)
        .filter(region=region, role=Role.REGIONAL_STAFF)
        .values_list("person_id", flat=True)
        .distinct()
    )
    course = selectors.main_course()
    if course is not None:
        first = today.replace(day=1)
        next_first = first if today == first else (first + timedelta(days=32)).replace(day=1)
        total = selectors.region_report(region, course, today=today)["total"]
        context = {
            "region": region.name,
            "in_post": total.in_post,
            "completed": total.completed,
            "overdue": total.overdue,
        }
        url = f"/training/regions/{region.pk}/"
        for person_id in staff:
            key = f"{prefix}digest.{next_first:%Y-%m}.{person_id}"
            rows.append(NotificationRow(person_id, kinds.DIGEST.name, key, at(next_first), context, url))
    return notification_reconcile(prefix=prefix, wanted=rows)


def reminders_replan_on_commit(region_ids: Iterable[int | None]) -> None:
    """After assignments change, bring their regions' reminders in line once it is committed."""
    from training.tasks import reminders_plan as plan_task

    for region_id in sorted({r for r in region_ids if r is not None}):
        plan_task.delay_on_commit(region_id)
