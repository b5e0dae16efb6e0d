from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assignments.forms import DirectiveForm as DecisionAssignForm
from assignments.selectors import directives_of_source
from assignments.services import Addressees, directive_issue
from branches.access import people_visible_to
from branches.models import LocalBranch, Person, Role
from core.access import require_admin, viewer_for
from core.shortcuts import render_form
from core.spreadsheets import spreadsheet_response
from councils import selectors, services, spreadsheets
from councils.access import (
    can_run_council,
    get_council_decision_for_user,
    get_council_for_user,
    get_council_meeting_for_user,
    get_council_seat_for_user,
    get_federal_council_for_user,
)
from councils.forms import (
    AgendaItemFormSet,
    AttendanceForm,
    DecisionForm,
    MeetingForm,
    MemberAppointForm,
    MinutesForm,
    PolicyForm,
    SeatAppointForm,
    SeatEndForm,
    SeatReappointForm,
)
from councils.models import CouncilDecision, CouncilSeat, SeatRole, quorum_reached


def _decisions(council):
    return CouncilDecision.objects.filter(council=council).select_related("meeting").order_by("-meeting__held_on", "pk")


@login_required
def council_detail(request, region_pk):
    council = get_council_for_user(request.user, region_pk)
    today = timezone.localdate()
    composition = selectors.council_composition(council, today)
    context = {
        "council": council,
        "region": council.region,
        "composition": composition,
        "chart": selectors.timeline_chart(composition),
        "policy": selectors.policy_on(council, today),
        "meetings": selectors.recent_meetings(council),
        "can_run": can_run_council(viewer_for(request.user), council.region_id),
    }
    return render(request, "councils/council_detail.html", context)


@login_required
def seat_appoint(request, region_pk):
    council = get_council_for_user(request.user, region_pk, write=True)
    region = council.region
    local_branches = LocalBranch.objects.filter(region=region, closed_on__isnull=True).order_by("name")
    people = people_visible_to(viewer_for(request.user)).filter(positions__region=region)
    initial = {"role": request.GET.get("role", SeatRole.REPRESENTATIVE)}
    if request.GET.get("local_branch", "").isdigit():
        initial["local_branch"] = request.GET["local_branch"]
    form = SeatAppointForm(
        request.POST or None,
        initial=initial,
        local_branches=local_branches,
        people=people,
        decisions=_decisions(council),
        search_url=f"{reverse('branches:person_search')}?region={region.pk}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.seat_appoint_with_person(council=council, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = {"person": seat.person.full_name, "place": seat.place}
            messages.success(request, _("%(person)s appointed: %(place)s.") % done)
            return redirect(council)
    return _form_page(request, form, council, _("Appoint to a seat"))


@login_required
def seat_detail(request, pk):
    seat = get_council_seat_for_user(request.user, pk)
    context = {
        "seat": seat,
        "council": seat.council,
        "history": selectors.place_history(seat),
        "can_run": can_run_council(viewer_for(request.user), seat.region_id),
        "today": timezone.localdate(),
    }
    return render(request, "councils/seat_detail.html", context)


@login_required
def seat_reappoint(request, pk):
    seat = get_council_seat_for_user(request.user, pk, write=True)
    form = SeatReappointForm(request.POST or None, seat=seat, decisions=_decisions(seat.council))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.seat_reappoint(seat=seat, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(person)s reappointed until %(date)s.") % _term(new))
            return redirect(new)
    title = _("Reappoint %(person)s") % {"person": seat.person.full_name}
    return _form_page(request, form, seat.council, title, seat=seat)


def _form_page(request, form, council, title, *, seat=None, template="councils/form.html", **context):
    """A form about a council (or one of its seats): the council in the breadcrumbs, the way back to it."""
    back_url = (seat or council).get_absolute_url()
    context |= {"council": council, "seat": seat}
    return render_form(request, form, title=title, back_url=back_url, wide=True, template=template, **context)


def _term(seat: CouncilSeat) -> dict:
    return {"person": seat.person.full_name, "date": formats.date_format(seat.ends_on, "SHORT_DATE_FORMAT")}


@login_required
def seat_end(request, pk):
    seat = get_council_seat_for_user(request.user, pk, write=True)
    form = SeatEndForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        try:
            ended = services.seat_end(seat=seat, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The term of %(person)s ends on %(date)s.") % _term(ended))
            return redirect(seat.council)
    title = _("End the term of %(person)s early") % {"person": seat.person.full_name}
    return _form_page(request, form, seat.council, title, seat=seat)


@login_required
def policy_edit(request, region_pk):
    council = get_council_for_user(request.user, region_pk, write=True)
    current = selectors.policy_on(council, timezone.localdate())
    form = PolicyForm(request.POST or None, policy=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(council=council, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The term policy is saved."))
            return redirect(council)
    return _form_page(request, form, council, _("Term policy"), policies=council.policies.order_by("-applies_from"))


@login_required
def meeting_list(request, region_pk):
    council = get_council_for_user(request.user, region_pk)
    meetings = council.meetings.annotate(
        present=Count("attendance", distinct=True), decided=Count("decisions", distinct=True)
    ).order_by("-held_on", "-pk")
    context = {
        "council": council,
        "meetings": meetings,
        "can_run": can_run_council(viewer_for(request.user), council.region_id),
    }
    return render(request, "councils/meeting_list.html", context)


@login_required
def meeting_create(request, region_pk):
    council = get_council_for_user(request.user, region_pk, write=True)
    return _meeting_form_page(request, council, _("New meeting"))


def _meeting_form_page(request, council, title):
    """A new session of a council: its date, place and agenda, and its agenda items (a formset)."""
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data)
    # A post without the items' management form (a session with no items) is a session without items.
    items = AgendaItemFormSet(data if data is not None and "items-TOTAL_FORMS" in data else None, prefix="items")
    if data is not None and form.is_valid() and (not items.is_bound or items.is_valid()):
        try:
            rows = items.items() if items.is_bound else []
            meeting = services.meeting_create(council=council, items=rows, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(meeting)
    return _form_page(request, form, council, title, items=items, template="councils/meeting_form.html")


def _meeting_context(request, meeting, *, attendance_form=None, decision_form=None) -> dict:
    seats = services.expected_seats(meeting)
    seats = seats.select_related("person", "local_branch", "region").order_by(
        "role", "region__code", "local_branch__name"
    )
    present = list(meeting.attendance.select_related("seat__person", "seat__local_branch").order_by("seat__role"))
    can_run = can_run_council(viewer_for(request.user), meeting.council.region_id)
    decisions = list(meeting.decisions.order_by("pk"))
    for decision in decisions:
        decision.directives = directives_of_source(f"councils.decision.{decision.pk}")
    if attendance_form is None and can_run and not decisions:
        initial = {"present": [row.seat_id for row in present]}
        attendance_form = AttendanceForm(meeting=meeting, seats=seats, initial=initial)
    if decision_form is None and can_run and meeting.seats_filled is not None:
        decision_form = DecisionForm(meeting=meeting)
    return {
        "meeting": meeting,
        "council": meeting.council,
        "present": present,
        "has_quorum": quorum_reached(present=len(present), seats_filled=meeting.seats_filled),
        "items": list(meeting.items.order_by("position")),
        "decisions": decisions,
        "attendance_form": attendance_form,
        "decision_form": decision_form,
        "can_run": can_run,
    }


@login_required
def meeting_detail(request, pk):
    meeting = get_council_meeting_for_user(request.user, pk)
    return render(request, "councils/meeting_detail.html", _meeting_context(request, meeting))


@login_required
def meeting_attendance(request, pk):
    meeting = get_council_meeting_for_user(request.user, pk, write=True)
    seats = services.expected_seats(meeting).select_related("person", "local_branch", "region")
    form = AttendanceForm(request.POST or None, meeting=meeting, seats=seats)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(meeting=meeting, present=list(form.cleaned_data["present"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The attendance is recorded."))
            return redirect(meeting)
    context = _meeting_context(request, meeting, attendance_form=form)
    return render(request, "councils/meeting_detail.html", context)


@login_required
def decision_create(request, pk):
    meeting = get_council_meeting_for_user(request.user, pk, write=True)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(meeting)
    context = _meeting_context(request, meeting, decision_form=form)
    return render(request, "councils/meeting_detail.html", context)


@login_required
def overview(request):
    require_admin(request.user)
    sort = request.GET.get("sort", "code")
    rows = selectors.federal_overview(timezone.localdate(), sort=sort)
    columns = [
        ("code", _("Code"), False),
        ("region", _("Region"), False),
        ("filled", _("Representatives"), True),
        ("vacant", _("Vacant"), True),
        ("chair", _("Chair's term until"), False),
        ("expiring", _("Expiring within 60 days"), True),
    ]
    context = {"rows": rows, "sort": sort, "columns": columns, "today": timezone.localdate()}
    return render(request, "councils/overview.html", context)


@login_required
def overview_export(request):
    require_admin(request.user)
    rows = selectors.federal_overview(timezone.localdate(), sort=request.GET.get("sort", "code"))
    name = f"councils-{timezone.localdate().isoformat()}"
    return spreadsheet_response(spreadsheets.overview_table(rows), fmt="xlsx", name=name, sheet=_("Councils"))


# The federal council -----------------------------------------------------------


@login_required
def federal_detail(request):
    council = get_federal_council_for_user(request.user)
    today = timezone.localdate()
    context = {
        "council": council,
        "composition": selectors.federal_composition(council, today),
        "meetings": selectors.recent_meetings(council),
        "can_run": viewer_for(request.user).is_admin,
        "today": today,
    }
    return render(request, "councils/federal_detail.html", context)


@login_required
def federal_sessions(request):
    council = get_federal_council_for_user(request.user)
    meetings = council.meetings.annotate(
        present=Count("attendance", distinct=True), decided=Count("decisions", distinct=True)
    ).order_by("-held_on", "-pk")
    context = {"council": council, "meetings": meetings, "can_run": viewer_for(request.user).is_admin}
    return render(request, "councils/meeting_list.html", context)


@login_required
def federal_session_create(request):
    council = get_federal_council_for_user(request.user, write=True)
    return _meeting_form_page(request, council, _("New session"))


@login_required
def federal_member_appoint(request):
    council = get_federal_council_for_user(request.user, write=True)
    people = people_visible_to(viewer_for(request.user))  # an administrator's: the country
    form = MemberAppointForm(request.POST or None, people=people, search_url=reverse("branches:person_search"))
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_appoint(council=council, role=SeatRole.MEMBER, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The member is appointed."))
            return redirect(council)
    return _form_page(request, form, council, _("Appoint a member of the federal council"))


@login_required
def decision_assign(request, pk):
    """Turn a decision into an assignment: to every region (federal) or every local branch (regional)."""
    decision = get_council_decision_for_user(request.user, pk, write=True)
    meeting = decision.meeting
    council = meeting.council
    form = DecisionAssignForm(
        request.POST or None,
        federal=council.is_federal,
        action=reverse("councils:decision_assign", kwargs={"pk": decision.pk}),
        initial={"title": decision.text[:300]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["to"] == DecisionAssignForm.TO_ALL_REGIONS:
            to = Addressees(all_regions=True)
        elif data["to"] == DecisionAssignForm.TO_REGIONAL_SECRETARIES:
            to = Addressees(post=Role.REGIONAL_SECRETARY)
        else:
            to = Addressees(local_branches_of=(council.region,))
        viewer = viewer_for(request.user)
        try:
            directive = directive_issue(
                source_key=f"councils.decision.{decision.pk}",
                source_label=f"{council}: {decision}",
                source_url=meeting.get_absolute_url(),
                title=data["title"],
                text=data["text"],
                issued_on=meeting.held_on,
                due_on=data["due_on"],
                to=to,
                issued_by=Person(pk=viewer.person_id) if viewer.person_id else None,
                figure=data["figure"].pk if data["figure"] else "",
                target=data["target"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The assignment is issued to %(n)s addressees.") % {"n": directive.assignments.count()}
            )
            return redirect(meeting)
    return _form_page(request, form, council, _("Assign: %(decision)s") % {"decision": decision})


@login_required
def meeting_minutes(request, pk):
    meeting = get_council_meeting_for_user(request.user, pk, write=True)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        services.meeting_minutes_update(meeting=meeting, minutes=form.cleaned_data["minutes"])
        messages.success(request, _("The minutes are saved."))
        return redirect(meeting)
    return _form_page(request, form, meeting.council, _("Minutes: %(meeting)s") % {"meeting": meeting})
