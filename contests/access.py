"""Gates of contests: contests, their rubric and jury, entries, attachments and the library.

Who runs a contest: a federal administrator every contest, regional staff their
region's regional stage ("an administrator of that level"). Who sees one: its runners;
once it opens, the secretaries of its region (every secretary for the federal final)
and its jurors; once its results are published, everyone logged in. A juror never sees
an entry of their own local branch, and under blind judging not who wrote it.
"""

from __future__ import annotations

from django.db.models import Q

from branches.models import LocalBranch, Person, Position
from contests.models import Attachment, Contest, Criterion, Entry, EntryStatus, Juror, Level, Nomination, Status
from core.access import Viewer, forbidden, found, not_found, viewer_for

# Contests --------------------------------------------------------------------


def can_run_contest(viewer: Viewer, contest) -> bool:
    """Take the steps, edit the rubric, assign jurors, see every juror's progress."""
    return viewer.is_admin or (contest.level == Level.REGIONAL and contest.region_id in viewer.staff_region_ids)


def can_create_contest(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.is_regional_staff


def contests_visible_to(viewer: Viewer):
    contests = Contest.objects.all()
    if viewer.is_admin:
        return contests
    if not viewer.is_authenticated:
        return contests.none()
    opened = ~Q(status=Status.DRAFT)
    visible = Q(status__in=[Status.PUBLISHED, Status.ARCHIVED])
    if viewer.staff_region_ids:
        visible |= Q(level=Level.REGIONAL, region_id__in=viewer.staff_region_ids) | (Q(level=Level.FEDERAL) & opened)
    if viewer.secretary_local_branch_ids:
        regions = LocalBranch.objects.filter(pk__in=viewer.secretary_local_branch_ids).values("region_id")
        visible |= (Q(level=Level.FEDERAL) | Q(region_id__in=regions)) & opened
    if viewer.person_id:
        visible |= Q(pk__in=Juror.objects.filter(person_id=viewer.person_id).values("contest_id")) & opened
    return contests.filter(visible)


def get_contest_for_user(user, pk, *, write: bool = False) -> Contest:
    """Outsiders get 404; with `write`, anyone but the contest's runners gets 403."""
    viewer = viewer_for(user)
    contest = found(contests_visible_to(viewer).select_related("region").filter(pk=pk).first())
    if write and not can_run_contest(viewer, contest):
        forbidden()
    return contest


def get_contest_results_for_user(user, pk) -> Contest:
    """Results: everyone who sees the contest once they are published; before that only its runners."""
    viewer = viewer_for(user)
    contest = get_contest_for_user(user, pk)
    if not (contest.results_public or can_run_contest(viewer, contest)):
        forbidden()
    return contest


def _get_rubric_or_jury_object(model, user, pk, *, write: bool):
    """A nomination, criterion or juror of a contest the viewer sees (runners only with `write`)."""
    obj = found(model.objects.filter(pk=pk).first())
    obj.contest = get_contest_for_user(user, obj.contest_id, write=write)
    return obj


def get_nomination_for_user(user, pk, *, write: bool = False) -> Nomination:
    return _get_rubric_or_jury_object(Nomination, user, pk, write=write)


def get_criterion_for_user(user, pk, *, write: bool = False) -> Criterion:
    return _get_rubric_or_jury_object(Criterion, user, pk, write=write)


def get_juror_for_user(user, pk, *, write: bool = False) -> Juror:
    return _get_rubric_or_jury_object(Juror, user, pk, write=write)


def juror_candidates_visible_to(viewer: Viewer, contest: Contest):
    """Whom the runners of a contest may make a juror: people with a login (jurors score here).

    A regional stage picks from its region's people (those holding or about to hold a
    position in the region); the federal final, run by administrators, from anyone.
    Nobody else is offered, so a list of the country's people is never shown to a region.
    """
    if not can_run_contest(viewer, contest):
        return Person.objects.none()
    people = Person.objects.filter(user__isnull=False, user__is_active=True)
    if contest.region_id is None:
        return people
    in_region = Position.objects.current_or_future().filter(region_id=contest.region_id).values("person_id")
    return people.filter(pk__in=in_region)


def entries_visible_to(viewer: Viewer):
    """Entries on the contest pages: administrators every one, regional staff their region's, a
    secretary their own branch's. Jurors reach entries only through `get_entry_for_juror`,
    which hides what blind judging hides and what a conflict of interest forbids.
    """
    entries = Entry.objects.all()
    if viewer.is_admin:
        return entries
    condition = Q(pk__in=[])
    if viewer.staff_region_ids:
        condition |= Q(branch__region_id__in=viewer.staff_region_ids)
    if viewer.secretary_branch_ids:
        condition |= Q(branch_id__in=viewer.secretary_branch_ids)
    return entries.filter(condition)


def can_edit_entry(viewer: Viewer, entry) -> bool:
    """An entry is its branch's: only the branch's current secretary changes it."""
    return entry.branch_id in viewer.secretary_branch_ids


def get_entry_for_user(user, pk, *, write: bool = False) -> Entry:
    viewer = viewer_for(user)
    entry = found(
        entries_visible_to(viewer)
        .select_related("contest__region", "nomination", "branch__region", "branch__local_branch")
        .filter(pk=pk)
        .first()
    )
    if write and not can_edit_entry(viewer, entry):
        forbidden()
    return entry


def jurors_local_branch_ids(homes_by_person: dict) -> dict[int, set[int]]:
    """Each juror's own local branches: those named on their assignments (`homes_by_person`:
    person id → home local branch ids) and those of their current positions. One query."""
    own = {person_id: {pk for pk in homes if pk} for person_id, homes in homes_by_person.items()}
    positions = (
        Position.objects.current()
        .filter(person_id__in=list(own), local_branch__isnull=False)
        .values_list("person_id", "local_branch_id")
    )
    for person_id, local_branch_id in positions:
        own[person_id].add(local_branch_id)
    return own


def juror_local_branch_ids(person_id: int | None, home_local_branch_ids=()) -> set[int]:
    """One juror's own local branches (see `jurors_local_branch_ids`): never shown, never scored."""
    if not person_id:
        return set()
    return jurors_local_branch_ids({person_id: list(home_local_branch_ids)})[person_id]


def juror_assignments_for(viewer: Viewer, contest) -> list:
    """The viewer's assignments (one per nomination) in a contest; none before the contest opens."""
    if not viewer.person_id or contest.status == Status.DRAFT:
        return []
    return list(Juror.objects.filter(contest=contest, person_id=viewer.person_id).select_related("nomination"))


def entries_for_juror(viewer: Viewer, contest, assignments=None):
    """What a juror may see and score: submitted entries of their nominations, from judging on,
    never one of their own local branches (conflict of interest)."""
    if assignments is None:
        assignments = juror_assignments_for(viewer, contest)
    if not assignments or contest.status in {Status.DRAFT, Status.ACCEPTING}:
        return Entry.objects.none()
    own = juror_local_branch_ids(viewer.person_id, [a.home_local_branch_id for a in assignments])
    return Entry.objects.filter(
        contest=contest, status=EntryStatus.SUBMITTED, nomination_id__in=[a.nomination_id for a in assignments]
    ).exclude(branch__local_branch_id__in=own)


def get_entry_for_juror(user, contest_pk, pk) -> tuple[Contest, Juror, Entry]:
    """Return (contest, assignment, entry) for a juror; anything outside `entries_for_juror` is a 404."""
    viewer = viewer_for(user)
    contest = get_contest_for_user(user, contest_pk)
    assignments = juror_assignments_for(viewer, contest)
    entry = found(
        entries_for_juror(viewer, contest, assignments)
        .select_related("nomination", "branch__local_branch")  # the score page names them (not blind)
        .filter(pk=pk)
        .first()
    )
    assignment = next(a for a in assignments if a.nomination_id == entry.nomination_id)
    return contest, assignment, entry


def library_visible_to(viewer: Viewer):
    """The library of best practices: placed entries of published contests, for everyone logged in."""
    if not viewer.is_authenticated:
        return Entry.objects.none()
    return Entry.objects.filter(result__place__isnull=False, contest__status__in=[Status.PUBLISHED, Status.ARCHIVED])


def get_practice_for_user(user, pk) -> Entry:
    return found(
        library_visible_to(viewer_for(user))
        .select_related("contest__region", "nomination", "branch__region", "result")
        .filter(pk=pk)
        .first()
    )


def get_attachment_for_user(user, pk, *, write: bool = False) -> tuple[Attachment, bool]:
    """Return (attachment, blind): an attachment is reached by whoever reaches its entry, the
    library's readers for a placed entry, and its jurors (`blind`: without the file's own name).
    Removing it (`write`) is for whoever may change its entry: its branch's secretary."""
    viewer = viewer_for(user)
    attachment = Attachment.objects.select_related("entry__contest").filter(pk=pk).first()
    if attachment is None or not viewer.is_authenticated:
        not_found()
    entry = attachment.entry
    if entries_visible_to(viewer).filter(pk=entry.pk).exists():
        if write and not can_edit_entry(viewer, entry):
            forbidden()
        return attachment, False
    if write:
        not_found()
    if library_visible_to(viewer).filter(pk=entry.pk).exists():
        return attachment, False
    if entries_for_juror(viewer, entry.contest).filter(pk=entry.pk).exists():
        return attachment, entry.contest.blind
    not_found()
