"""Who sees what: the one access module.

Every view fetches user-supplied ids through a `get_<thing>_for_user` gate here:
an object outside the viewer's reach is a 404 (its existence is not revealed); an
object the viewer may see but not change is a 403 when asked with `write=True`.
Lists start from a `<things>_visible_to(viewer)` queryset.

Roles come from data: the current positions of the person linked to the login
(branches.Position). A term that has ended gives nothing. Django superusers count as
federal administrators (they can do everything in the admin anyway).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404


@dataclass(frozen=True)
class HostTerritory:
    """Where a host position receives secretaries: a whole region, or one local branch."""

    position_id: int
    region_id: int
    local_branch_id: int | None


@dataclass(frozen=True)
class Viewer:
    """What one login may reach today, computed once per request."""

    user_id: int | None = None
    person_id: int | None = None
    is_admin: bool = False
    staff_region_ids: frozenset[int] = frozenset()
    secretary_branch_ids: frozenset[int] = frozenset()
    secretary_local_branch_ids: frozenset[int] = frozenset()
    host_territories: tuple[HostTerritory, ...] = ()
    time_zone: str = field(default_factory=lambda: settings.DEFAULT_VIEWER_TIME_ZONE)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_regional_staff(self) -> bool:
        return bool(self.staff_region_ids)

    @property
    def is_staff_anywhere(self) -> bool:
        """Regional staff or administrator: the people whose sessions time out sooner."""
        return self.is_admin or self.is_regional_staff

    @property
    def is_secretary(self) -> bool:
        return bool(self.secretary_branch_ids)

    @property
    def is_host(self) -> bool:
        return bool(self.host_territories)

    def staffs_region(self, region_id: int) -> bool:
        return self.is_admin or region_id in self.staff_region_ids


ANONYMOUS = Viewer()


def viewer_for(user) -> Viewer:
    """Return (and cache on the user object) what this login may reach: one query."""
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_pervichka_viewer", None)
    if cached is None:
        cached = _build_viewer(user)
        user._pervichka_viewer = cached
    return cached


def _build_viewer(user) -> Viewer:
    from branches.models import HOST_ROLES, Position, Role

    positions = list(
        Position.objects.current()
        .filter(person__user=user)
        .select_related("region")
        .only("id", "role", "person_id", "region_id", "local_branch_id", "primary_branch_id", "region__time_zone")
    )
    roles = {position.role for position in positions}
    time_zone = next((p.region.time_zone for p in positions if p.region is not None), settings.DEFAULT_VIEWER_TIME_ZONE)
    return Viewer(
        user_id=user.pk,
        person_id=positions[0].person_id if positions else _person_id(user),
        is_admin=user.is_superuser or Role.FEDERAL_ADMIN in roles,
        staff_region_ids=frozenset(p.region_id for p in positions if p.role == Role.REGIONAL_STAFF),
        secretary_branch_ids=frozenset(p.primary_branch_id for p in positions if p.role == Role.PRIMARY_SECRETARY),
        secretary_local_branch_ids=frozenset(p.local_branch_id for p in positions if p.role == Role.PRIMARY_SECRETARY),
        host_territories=tuple(
            HostTerritory(p.id, p.region_id, p.local_branch_id) for p in positions if p.role in HOST_ROLES
        ),
        time_zone=time_zone,
    )


def _person_id(user) -> int | None:
    from branches.models import Person

    return Person.objects.filter(user=user).values_list("id", flat=True).first()


def require_admin(user) -> Viewer:
    """Return the viewer if they are a federal administrator, else refuse with 403."""
    viewer = viewer_for(user)
    if not viewer.is_admin:
        raise PermissionDenied
    return viewer


def _not_found():
    raise Http404


# Regions ---------------------------------------------------------------------


def regions_visible_to(viewer: Viewer):
    from branches.models import Region

    if viewer.is_admin:
        return Region.objects.all()
    return Region.objects.filter(pk__in=viewer.staff_region_ids)


def get_region_for_user(user, pk, *, write: bool = False):
    """Regional staff reach (and change) their own region, administrators every region."""
    viewer = viewer_for(user)
    region = regions_visible_to(viewer).filter(pk=pk).first()
    if region is None:
        _not_found()
    if write and not viewer.staffs_region(region.pk):
        raise PermissionDenied
    return region


# Branches --------------------------------------------------------------------


def branches_visible_to(viewer: Viewer):
    from branches.models import PrimaryBranch

    branches = PrimaryBranch.objects.all()
    if viewer.is_admin:
        return branches
    if viewer.staff_region_ids:
        return branches.filter(region_id__in=viewer.staff_region_ids)
    return branches.filter(pk__in=viewer.secretary_branch_ids)


def can_edit_branch(viewer: Viewer, branch) -> bool:
    """Change anything, close, appoint: regional staff of the branch's region."""
    return viewer.staffs_region(branch.region_id)


def can_edit_branch_contacts(viewer: Viewer, branch) -> bool:
    """Settlement and address: the staff, and the branch's own secretary."""
    return can_edit_branch(viewer, branch) or branch.pk in viewer.secretary_branch_ids


def get_branch_for_user(user, pk, *, write: bool = False):
    viewer = viewer_for(user)
    branch = branches_visible_to(viewer).select_related("region", "local_branch").filter(pk=pk).first()
    if branch is None:
        _not_found()
    if write and not can_edit_branch(viewer, branch):
        raise PermissionDenied
    return branch


def local_branches_visible_to(viewer: Viewer):
    from branches.models import LocalBranch

    if viewer.is_admin:
        return LocalBranch.objects.all()
    return LocalBranch.objects.filter(region_id__in=viewer.staff_region_ids)


def get_local_branch_for_user(user, pk, *, write: bool = False):
    viewer = viewer_for(user)
    local_branch = local_branches_visible_to(viewer).select_related("region").filter(pk=pk).first()
    if local_branch is None:
        _not_found()
    return local_branch


# People ----------------------------------------------------------------------


def people_visible_to(viewer: Viewer):
    """Staff reach people who hold or held a position in their region; everyone reaches themselves."""
    from branches.models import Person

    if viewer.is_admin:
        return Person.objects.all()
    if viewer.staff_region_ids:
        return Person.objects.filter(positions__region_id__in=viewer.staff_region_ids).distinct()
    return Person.objects.filter(pk=viewer.person_id) if viewer.person_id else Person.objects.none()


def get_person_for_user(user, pk, *, write: bool = False):
    viewer = viewer_for(user)
    person = people_visible_to(viewer).filter(pk=pk).first()
    if person is None:
        _not_found()
    if write and not (viewer.is_admin or viewer.staff_region_ids):
        raise PermissionDenied
    return person


def get_import_for_user(user, pk):
    """An import is reached by the staff of its region (and administrators)."""
    from branches.models import ImportJob

    viewer = viewer_for(user)
    jobs = ImportJob.objects.select_related("region")
    if not viewer.is_admin:
        jobs = jobs.filter(region_id__in=viewer.staff_region_ids)
    job = jobs.filter(pk=pk).first()
    if job is None:
        _not_found()
    return job


# Receptions --------------------------------------------------------------------


def hosts_visible_to(viewer: Viewer):
    """Current host positions (branches.HOST_ROLES) this viewer reaches.

    A secretary reaches the hosts whose territory covers their branch: regional hosts
    of the branch's region and local hosts of its local branch. Staff reach the hosts
    of their region, a host their own positions, administrators every host.
    """
    from django.db.models import Q

    from branches.models import HOST_ROLES, LocalBranch, Position

    hosts = Position.objects.current().filter(role__in=HOST_ROLES)
    if viewer.is_admin:
        return hosts
    reach = Q(region_id__in=viewer.staff_region_ids) | Q(pk__in=[t.position_id for t in viewer.host_territories])
    if viewer.secretary_local_branch_ids:
        regions = LocalBranch.objects.filter(pk__in=viewer.secretary_local_branch_ids).values("region_id")
        reach |= Q(local_branch_id__in=viewer.secretary_local_branch_ids) | Q(
            local_branch__isnull=True, region_id__in=regions
        )
    return hosts.filter(reach)


def can_manage_host(viewer: Viewer, position) -> bool:
    """Hours, days off, cancelling and outcomes: the host themself, and the staff of their region."""
    return position.person_id == viewer.person_id or viewer.staffs_region(position.region_id)


def get_host_for_user(user, pk, *, write: bool = False):
    """A host position: secretaries of its territory read it (and book); the host and staff manage it."""
    viewer = viewer_for(user)
    position = hosts_visible_to(viewer).select_related("person", "region", "local_branch").filter(pk=pk).first()
    if position is None:
        _not_found()
    if write and not can_manage_host(viewer, position):
        raise PermissionDenied
    return position


def get_schedule_for_user(user, pk, *, write: bool = False):
    from receptions.models import Schedule

    viewer = viewer_for(user)
    schedule = (
        Schedule.objects.filter(position__in=hosts_visible_to(viewer))
        .select_related("position__person", "position__region", "position__local_branch")
        .filter(pk=pk)
        .first()
    )
    if schedule is None:
        _not_found()
    if write and not can_manage_host(viewer, schedule.position):
        raise PermissionDenied
    return schedule


def get_slot_for_user(user, pk, *, write: bool = False):
    """A slot of a host the viewer reaches; booking it (`write`) is for the secretaries the host serves."""
    from receptions.models import Slot

    viewer = viewer_for(user)
    slot = (
        Slot.objects.filter(schedule__position__in=hosts_visible_to(viewer))
        .select_related("schedule__position__person", "schedule__position__region", "host")
        .filter(pk=pk)
        .first()
    )
    if slot is None:
        _not_found()
    if write and not host_serves(viewer, slot.schedule.position):
        raise PermissionDenied
    return slot


def host_serves(viewer: Viewer, position) -> bool:
    """Whether the host position's territory covers a branch of this secretary (who may then book)."""
    if position.person_id == viewer.person_id or not viewer.secretary_local_branch_ids:
        return False
    if position.local_branch_id is not None:
        return position.local_branch_id in viewer.secretary_local_branch_ids
    from branches.models import LocalBranch

    return LocalBranch.objects.filter(pk__in=viewer.secretary_local_branch_ids, region_id=position.region_id).exists()


def bookings_visible_to(viewer: Viewer):
    """A secretary's own bookings, a host's receptions, the staff's region, every booking for administrators."""
    from django.db.models import Q

    from receptions.models import Booking

    if viewer.is_admin:
        return Booking.objects.all()
    reach = Q(branch__region_id__in=viewer.staff_region_ids)
    if viewer.person_id is not None:
        reach |= Q(secretary_id=viewer.person_id) | Q(host_id=viewer.person_id)
    return Booking.objects.filter(reach)


def booking_side(viewer: Viewer, booking) -> str | None:
    """The side the viewer acts on: "secretary" (who booked), "host" (the host or the staff), or None."""
    if booking.secretary_id == viewer.person_id:
        return "secretary"
    if booking.host_id == viewer.person_id or viewer.staffs_region(booking.branch.region_id):
        return "host"
    return None


def get_booking_for_user(user, pk, *, write: bool = False, side: str | None = None):
    """Read: both sides and the region's staff. `write`: the viewer must act on `side`
    ("secretary": who booked; "host": the host and the staff), or on either side when None."""
    viewer = viewer_for(user)
    booking = (
        bookings_visible_to(viewer)
        .select_related("slot__schedule__position__region", "host", "secretary", "branch__region")
        .filter(pk=pk)
        .first()
    )
    if booking is None:
        _not_found()
    if write:
        acting = booking_side(viewer, booking)
        if acting is None or (side is not None and acting != side):
            raise PermissionDenied
    return booking


# Councils --------------------------------------------------------------------


def can_run_council(viewer: Viewer, region_id: int) -> bool:
    """Appoint, reappoint, end terms, change the policy, record meetings: the region's own staff.

    Federal administrators see every council but do not run one.
    """
    return region_id in viewer.staff_region_ids


def get_council_for_user(user, region_pk, *, write: bool = False):
    """A council is addressed by its region (one each): the region's staff and administrators see it."""
    from councils.services import council_for

    viewer = viewer_for(user)
    region = regions_visible_to(viewer).filter(pk=region_pk).first()
    if region is None:
        _not_found()
    if write and not can_run_council(viewer, region.pk):
        raise PermissionDenied
    return council_for(region)


def council_seats_visible_to(viewer: Viewer):
    from councils.models import CouncilSeat

    seats = CouncilSeat.objects.all()
    if viewer.is_admin:
        return seats
    return seats.filter(region_id__in=viewer.staff_region_ids)


def get_council_seat_for_user(user, pk, *, write: bool = False):
    viewer = viewer_for(user)
    seat = (
        council_seats_visible_to(viewer)
        .select_related("council__region", "person", "local_branch", "decision__meeting")
        .filter(pk=pk)
        .first()
    )
    if seat is None:
        _not_found()
    if write and not can_run_council(viewer, seat.region_id):
        raise PermissionDenied
    return seat


def get_council_meeting_for_user(user, pk, *, write: bool = False):
    from councils.models import CouncilMeeting

    viewer = viewer_for(user)
    meetings = CouncilMeeting.objects.select_related("council__region")
    if not viewer.is_admin:
        meetings = meetings.filter(council__region_id__in=viewer.staff_region_ids)
    meeting = meetings.filter(pk=pk).first()
    if meeting is None:
        _not_found()
    if write and not can_run_council(viewer, meeting.council.region_id):
        raise PermissionDenied
    return meeting


# Notifications ---------------------------------------------------------------


def notifications_visible_to(viewer: Viewer):
    """The inbox of the person linked to the login: delivered messages to them, nobody else's."""
    from notifications.models import Notification

    return Notification.objects.for_person(viewer.person_id).delivered()


def get_notification_for_user(user, pk, *, write: bool = False):
    """Only the recipient reaches a notification (reading it or marking it read); others get 404."""
    notification = notifications_visible_to(viewer_for(user)).filter(pk=pk).first()
    if notification is None:
        _not_found()
    return notification


# Contests --------------------------------------------------------------------
#
# Who runs a contest: a federal administrator every contest, regional staff their
# region's regional stage ("an administrator of that level"). Who sees one: its runners;
# once it opens, the secretaries of its region (every secretary for the federal final)
# and its jurors; once its results are published, everyone logged in.


def can_run_contest(viewer: Viewer, contest) -> bool:
    """Take the steps, edit the rubric, assign jurors, see every juror's progress."""
    from contests.models import Level

    return viewer.is_admin or (contest.level == Level.REGIONAL and contest.region_id in viewer.staff_region_ids)


def can_create_contest(viewer: Viewer) -> bool:
    return viewer.is_admin or viewer.is_regional_staff


def contests_visible_to(viewer: Viewer):
    from django.db.models import Q

    from branches.models import LocalBranch
    from contests.models import Contest, Juror, Level, Status

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


def get_contest_for_user(user, pk, *, write: bool = False):
    """Outsiders get 404; with `write`, anyone but the contest's runners gets 403."""
    viewer = viewer_for(user)
    contest = contests_visible_to(viewer).select_related("region").filter(pk=pk).first()
    if contest is None:
        _not_found()
    if write and not can_run_contest(viewer, contest):
        raise PermissionDenied
    return contest


def get_contest_results_for_user(user, pk):
    """Results: everyone who sees the contest once they are published; before that only its runners."""
    viewer = viewer_for(user)
    contest = get_contest_for_user(user, pk)
    if not (contest.results_public or can_run_contest(viewer, contest)):
        raise PermissionDenied
    return contest


def entries_visible_to(viewer: Viewer):
    """Entries on the contest pages: administrators every one, regional staff their region's, a
    secretary their own branch's. Jurors reach entries only through `get_entry_for_juror`,
    which hides what blind judging hides and what a conflict of interest forbids.
    """
    from django.db.models import Q

    from contests.models import Entry

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


def get_entry_for_user(user, pk, *, write: bool = False):
    viewer = viewer_for(user)
    entry = (
        entries_visible_to(viewer)
        .select_related("contest__region", "nomination", "branch__region", "branch__local_branch")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        _not_found()
    if write and not can_edit_entry(viewer, entry):
        raise PermissionDenied
    return entry


def jurors_local_branch_ids(homes_by_person: dict) -> dict[int, set[int]]:
    """Each juror's own local branches: those named on their assignments (`homes_by_person`:
    person id → home local branch ids) and those of their current positions. One query."""
    from branches.models import Position

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
    from contests.models import Juror, Status

    if not viewer.person_id or contest.status == Status.DRAFT:
        return []
    return list(Juror.objects.filter(contest=contest, person_id=viewer.person_id).select_related("nomination"))


def entries_for_juror(viewer: Viewer, contest, assignments=None):
    """What a juror may see and score: submitted entries of their nominations, from judging on,
    never one of their own local branches (conflict of interest)."""
    from contests.models import Entry, EntryStatus, Status

    if assignments is None:
        assignments = juror_assignments_for(viewer, contest)
    if not assignments or contest.status in {Status.DRAFT, Status.ACCEPTING}:
        return Entry.objects.none()
    own = juror_local_branch_ids(viewer.person_id, [a.home_local_branch_id for a in assignments])
    return Entry.objects.filter(
        contest=contest, status=EntryStatus.SUBMITTED, nomination_id__in=[a.nomination_id for a in assignments]
    ).exclude(branch__local_branch_id__in=own)


def get_entry_for_juror(user, contest_pk, pk):
    """Return (assignment, entry) for a juror; anything outside `entries_for_juror` is a 404."""
    viewer = viewer_for(user)
    contest = get_contest_for_user(user, contest_pk)
    assignments = juror_assignments_for(viewer, contest)
    entry = entries_for_juror(viewer, contest, assignments).select_related("nomination").filter(pk=pk).first()
    if entry is None:
        _not_found()
    assignment = next(a for a in assignments if a.nomination_id == entry.nomination_id)
    return contest, assignment, entry


def library_visible_to(viewer: Viewer):
    """The library of best practices: placed entries of published contests, for everyone logged in."""
    from contests.models import Entry, Status

    if not viewer.is_authenticated:
        return Entry.objects.none()
    return Entry.objects.filter(result__place__isnull=False, contest__status__in=[Status.PUBLISHED, Status.ARCHIVED])


def get_practice_for_user(user, pk):
    practice = (
        library_visible_to(viewer_for(user))
        .select_related("contest__region", "nomination", "branch__region", "result")
        .filter(pk=pk)
        .first()
    )
    if practice is None:
        _not_found()
    return practice


def get_attachment_for_user(user, pk):
    """Return (attachment, blind): an attachment is reached by whoever reaches its entry, the
    library's readers for a placed entry, and its jurors (`blind`: without the file's own name)."""
    from contests.models import Attachment

    viewer = viewer_for(user)
    attachment = Attachment.objects.select_related("entry__contest").filter(pk=pk).first()
    if attachment is None or not viewer.is_authenticated:
        _not_found()
    entry = attachment.entry
    if entries_visible_to(viewer).filter(pk=entry.pk).exists():
        return attachment, False
    if library_visible_to(viewer).filter(pk=entry.pk).exists():
        return attachment, False
    if entries_for_juror(viewer, entry.contest).filter(pk=entry.pk).exists():
        return attachment, entry.contest.blind
    _not_found()
