"""Gates of events.

Who sees an event: the staff of its region (and administrators, who read everything and
run nothing); its organiser; the secretaries and heads of a local branch for that
branch's events; and, once it is published, everyone on its list and the secretaries
whose territory it covers (an event of their branch, their local branch or their
region). Who changes it: the region's staff and the organiser. Who approves (publishes):
the region's staff only. Marking attendance is a permission of its own
(`can_mark_attendance`), today the staff and the organiser, so that door duty can be
given without the right to edit the event.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from branches.models import Position, PrimaryBranch, Role
from core.access import Viewer, forbidden, found, viewer_for
from events.models import Event, EventStatus, ExpectedPerson, Question


def local_branches_led_by(viewer: Viewer) -> set[int]:
    """The local branches whose secretary or executive head the viewer is."""
    return {t.local_branch_id for t in viewer.host_territories if t.local_branch_id is not None}


def events_visible_to(viewer: Viewer):
    events = Event.objects.all()
    if viewer.is_admin:
        return events
    if not viewer.is_authenticated:
        return events.none()
    seen = Q(region_id__in=viewer.staff_region_ids) | Q(local_branch_id__in=local_branches_led_by(viewer))
    led_regions = {t.region_id for t in viewer.host_territories if t.local_branch_id is not None}
    if led_regions:
        # A local branch's leaders see their region's published region-wide events (a head's
        # meeting asks them for nominations).
        seen |= Q(region_id__in=led_regions, local_branch__isnull=True) & ~Q(
            status__in=[EventStatus.DRAFT, EventStatus.PROPOSED]
        )
    if viewer.person_id is not None:
        seen |= Q(organiser_id=viewer.person_id)
        published = ~Q(status__in=[EventStatus.DRAFT, EventStatus.PROPOSED])
        on_list = Exists(
            ExpectedPerson.objects.filter(event=OuterRef("pk"), person_id=viewer.person_id, removed_at__isnull=True)
        )
        territory: Q = Q(primary_branch_id__in=viewer.secretary_branch_ids) | Q(
            primary_branch__isnull=True, local_branch_id__in=viewer.secretary_local_branch_ids
        )
        if viewer.secretary_branch_ids:
            regions = PrimaryBranch.objects.filter(pk__in=viewer.secretary_branch_ids).values("region_id")
            territory |= Q(local_branch__isnull=True, region_id__in=regions)
        seen |= published & (territory | Q(on_list))
    return events.filter(seen)


def can_edit_event(viewer: Viewer, event: Event) -> bool:
    """Change the event, its list, cancel or close it: the region's staff and the organiser."""
    return event.region_id in viewer.staff_region_ids or (
        viewer.person_id is not None and event.organiser_id == viewer.person_id
    )


def can_publish_event(viewer: Viewer, event: Event) -> bool:
    """Publish a draft, approve a local branch's proposal: the region's staff."""
    return event.region_id in viewer.staff_region_ids


def can_propose_event(viewer: Viewer, event: Event) -> bool:
    """Send a local branch's draft for approval: its organiser or the local branch's leaders."""
    return event.status == EventStatus.DRAFT and (
        can_edit_event(viewer, event) or event.local_branch_id in local_branches_led_by(viewer)
    )


def can_mark_attendance(viewer: Viewer, event: Event) -> bool:
    """Mark attendance and record walk-ins (door duty): the region's staff and the organiser."""
    return event.region_id in viewer.staff_region_ids or (
        viewer.person_id is not None and event.organiser_id == viewer.person_id
    )


def can_check_in(viewer: Viewer, event: Event) -> bool:
    """Check people in at the door by their code: a permission of its own, separate from editing.

    Today it is given by the same facts as marking attendance (the region's staff, the
    organiser); a door-duty role would widen this function only.
    """
    return can_mark_attendance(viewer, event)


def nominating_local_branches(viewer: Viewer, event: Event) -> set[int]:
    """The local branches inside the event's unit whose secretary (or executive head) the viewer is.

    They nominate their activists to a head's meeting. A municipal deputy also receives a
    local branch's secretaries (a host territory) but does not nominate: one query on
    the viewer's own host positions, run only when there are any.
    """
    positions = [
        t.position_id
        for t in viewer.host_territories
        if t.local_branch_id is not None
        and t.region_id == event.region_id
        and event.local_branch_id in (None, t.local_branch_id)
    ]
    if not positions:
        return set()
    leaders = Position.objects.filter(pk__in=positions, role__in=[Role.LOCAL_SECRETARY, Role.LOCAL_HEAD])
    return set(leaders.values_list("local_branch_id", flat=True))


def can_manage_plans(viewer: Viewer, region) -> bool:
    """Set a region's yearly plan of head's meetings: the region's staff."""
    return region.pk in viewer.staff_region_ids


def can_create_events(viewer: Viewer) -> bool:
    """Regional staff create events of their region; local branch leaders propose their branch's."""
    return bool(viewer.staff_region_ids) or bool(local_branches_led_by(viewer))


def get_event_for_user(user, pk, *, write: bool = False) -> Event:
    viewer = viewer_for(user)
    event = found(
        events_visible_to(viewer)
        .select_related("region", "local_branch", "primary_branch", "organiser")
        .filter(pk=pk)
        .first()
    )
    if write and not can_edit_event(viewer, event):
        forbidden()
    return event


def get_own_line(user, event: Event) -> ExpectedPerson:
    """The viewer's own line on an event they may see; 403 when they are not on its list."""
    viewer = viewer_for(user)
    if viewer.person_id is None:
        forbidden()
    line = event.expected.active().filter(person_id=viewer.person_id).first()
    if line is None:
        forbidden()
    return line


def get_question_for_user(user, pk, *, write: bool = False) -> Question:
    """A question, through its event's gate: answering it is editing the event."""
    question = found(Question.objects.filter(pk=pk).first())
    event = get_event_for_user(user, question.event_id, write=write)
    question.event = event
    return question
