import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches.access import get_person_for_user, get_region_for_user, local_branches_visible_to, people_visible_to
from branches.models import LocalBranch, PrimaryBranch, Region
from core.access import forbidden, found, require_admin, viewer_for
from core.pagination import cursor_args, query_without_cursor
from core.shortcuts import render_form
from events import calendars, selectors, services
from events.access import (
    can_check_in,
    can_create_events,
    can_edit_event,
    can_manage_plans,
    can_mark_attendance,
    can_propose_event,
    can_publish_event,
    get_event_for_user,
    get_own_line,
    get_question_for_user,
    local_branches_led_by,
    nominating_local_branches,
)
from events.forms import (
    AnswerForm,
    CancelForm,
    CheckInForm,
    CloseForm,
    ConfirmForm,
    EventForm,
    ExpectedAddForm,
    InvitationForm,
    NominationForm,
    PlanForm,
    QuestionAnswerForm,
    QuestionAssignForm,
    QuestionForm,
    WalkInForm,
)
from events.models import EventKind, EventStatus, InvitationRule, Mark, MeetingInvitation
from events.qr import check_in_qr


@login_required
def event_list(request):
    viewer = viewer_for(request.user)
    past = request.GET.get("past") == "1"
    page = selectors.event_list_page(viewer, past=past, **cursor_args(request))
    context = {
        "page": page,
        "past": past,
        "query": query_without_cursor(request),
        "can_create": can_create_events(viewer),
    }
    return render(request, "events/list.html", context)


@login_required
def event_create(request):
    """Regional staff create a draft of their region; a local branch's leaders a draft to propose."""
    viewer = viewer_for(request.user)
    if not can_create_events(viewer) or viewer.person_id is None:
        forbidden()
    if viewer.staff_region_ids:
        region = Region.objects.get(pk=min(viewer.staff_region_ids))
        local_branches = LocalBranch.objects.filter(region=region, closed_on__isnull=True)
    else:
        local_branches = LocalBranch.objects.filter(pk__in=local_branches_led_by(viewer))
        region = local_branches.select_related("region").first().region
    with timezone.override(zoneinfo.ZoneInfo(region.time_zone)):
        form = EventForm(
            request.POST or None,
            region=region,
            local_branches=local_branches,
            local_required=not viewer.staff_region_ids,
        )
        if request.method == "POST" and form.is_valid():
            data = {name: value for name, value in form.cleaned_data.items() if name != "primary_number"}
            try:
                event = services.event_create(region=region, organiser=request.user.person, **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Draft saved. Publish it when it is ready."))
                return redirect(event)
        intro = _("Times are in the time zone of %(region)s (%(zone)s).") % {"region": region, "zone": region.time_zone}
        return render_form(request, form, title=_("New event"), intro=intro, back_url=reverse("events:list"), wide=True)


@login_required
def event_detail(request, pk):
    event = get_event_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    editor = can_edit_event(viewer, event)
    if editor and event.status == EventStatus.PUBLISHED:
        services.event_expected_reconcile(event=event)
    own = event.expected.active().filter(person_id=viewer.person_id).first() if viewer.person_id else None
    shows_code = own is not None and event.status in (EventStatus.PUBLISHED, EventStatus.HELD)
    context = {
        "event": event,
        "own": own,
        "own_qr": check_in_qr(own.check_in_code) if shows_code else "",
        "counts": selectors.event_counts(event),
        "lines": selectors.event_lines(event) if editor else [],
        "removed": selectors.removed_lines(event) if editor else [],
        "can_edit": editor and event.status in services.EDITABLE_STATUSES,
        "can_manage": editor,
        "can_publish": can_publish_event(viewer, event) and event.status in (EventStatus.DRAFT, EventStatus.PROPOSED),
        "can_propose": can_propose_event(viewer, event) and not can_publish_event(viewer, event),
        "can_mark": can_mark_attendance(viewer, event),
        "zone": event.region.time_zone,
        "questions": selectors.event_questions(event, viewer) if event.kind == EventKind.HEAD_MEETING else None,
    }
    if event.kind == EventKind.HEAD_MEETING:
        if editor:
            assigned = selectors.question_directives(context["questions"])
            for question in context["questions"]:
                question.assignment_url = assigned.get(question.pk, "")
        invitation = MeetingInvitation.objects.filter(event=event).first()
        context["invitation"] = invitation
        context["can_set_invitation"] = editor and event.status in (EventStatus.DRAFT, EventStatus.PROPOSED)
        context["can_nominate"] = (
            invitation is not None
            and invitation.rule == InvitationRule.NOMINATED
            and event.status == EventStatus.PUBLISHED
            and bool(nominating_local_branches(viewer, event))
        )
    return render(request, "events/detail.html", context)


def _event_form(request, form, event, title, **kwargs):
    return render_form(request, form, title=title, back_url=event.get_absolute_url(), **kwargs)


@login_required
def event_edit(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    with timezone.override(zoneinfo.ZoneInfo(event.region.time_zone)):
        form = EventForm(
            request.POST or None, instance=event, region=event.region, local_branches=LocalBranch.objects.none()
        )
        if request.method == "POST" and form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
            event.refresh_from_db()
            try:
                services.event_update(event=event, **changes)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Event saved."))
                return redirect(event)
        return _event_form(request, form, event, _("Edit %(title)s") % {"title": event.title}, wide=True)


def _transition(request, event, *, label, action, done, danger=False):
    form = ConfirmForm(request.POST if request.method == "POST" else None, label=label, danger=danger)
    if request.method == "POST" and form.is_valid():
        try:
            action(event=event)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(event)
    return _event_form(request, form, event, f"{label}: {event.title}")


@login_required
def event_propose(request, pk):
    event = get_event_for_user(request.user, pk)
    if not can_propose_event(viewer_for(request.user), event):
        forbidden()
    return _transition(
        request,
        event,
        label=_("Send for approval"),
        action=services.event_propose,
        done=_("Sent to the regional staff."),
    )


@login_required
def event_publish(request, pk):
    event = get_event_for_user(request.user, pk)
    if not can_publish_event(viewer_for(request.user), event):
        forbidden()
    return _transition(
        request, event, label=_("Publish"), action=services.event_publish, done=_("Published; the expected are told.")
    )


@login_required
def event_cancel(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(event=event, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is cancelled; the expected are told."))
            return redirect(event)
    return _event_form(request, form, event, _("Cancel %(title)s") % {"title": event.title})


@login_required
def answer(request, pk):
    event = get_event_for_user(request.user, pk)
    line = get_own_line(request.user, event)
    initial = {"answer": line.answer, "cannot_reason": line.cannot_reason, "note": line.answer_note}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_give(line=line, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you, your answer is recorded."))
            return redirect(event)
    return _event_form(request, form, event, event.title, intro=_("Will you come to this event?"))


@login_required
def expected_add(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    people = people_visible_to(viewer_for(request.user)).filter(positions__region=event.region).distinct()
    form = ExpectedAddForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.expected_add(event=event, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added to the list."))
            return redirect(event)
    return _event_form(request, form, event, _("Add a person to the list"))


@login_required
def walk_in(request, pk):
    event = get_event_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    if not can_mark_attendance(viewer, event):
        forbidden()
    people = people_visible_to(viewer).filter(positions__region=event.region).distinct()
    form = WalkInForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.walk_in_record(event=event, by=request.user.person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Walk-in recorded."))
            return redirect("events:attendance", pk=event.pk)
    return _event_form(request, form, event, _("Record a walk-in"))


@login_required
def attendance(request, pk):
    """The attendance list, one line per person with three buttons; saved in one request."""
    event = get_event_for_user(request.user, pk)
    if not can_mark_attendance(viewer_for(request.user), event):
        forbidden()
    if request.method == "POST":
        marks = {
            int(key.removeprefix("mark-")): value
            for key, value in request.POST.items()
            if key.startswith("mark-") and key.removeprefix("mark-").isdigit()
        }
        try:
            changed = services.attendance_mark(event=event, marks=marks, by=request.user.person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Attendance saved: %(count)s changed.") % {"count": changed})
        return redirect("events:attendance", pk=event.pk)
    context = {
        "event": event,
        "lines": [line for line in selectors.event_lines(event) if line.person_id or line.name],
        "counts": selectors.event_counts(event),
        "marks": Mark.choices,
        "open": event.status in (EventStatus.PUBLISHED, EventStatus.HELD) and event.starts_at <= timezone.now(),
    }
    return render(request, "events/attendance.html", context)


@login_required
def check_in(request, pk):
    """Check people in at the door by the code shown in their app; the page stays for the next."""
    event = get_event_for_user(request.user, pk)
    if not can_check_in(viewer_for(request.user), event):
        forbidden()
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.check_in(event=event, code=form.cleaned_data["code"], by=request.user.person)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            messages.success(request, _("%(person)s checked in.") % {"person": line.person})
            return redirect("events:check_in", pk=event.pk)
    return _event_form(
        request,
        form,
        event,
        _("Check-in: %(title)s") % {"title": event.title},
        template="events/check_in.html",
        intro=_("Scan the QR code on the person's phone, or type the code under it."),
    )


@login_required
def event_close(request, pk):
    event = get_event_for_user(request.user, pk, write=True)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_close(event=event, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event is closed."))
            return redirect(event)
    counts = selectors.event_counts(event)
    intro = _("%(unmarked)s of %(expected)s expected are not marked yet.") % {
        "unmarked": counts.unmarked,
        "expected": counts.expected,
    }
    return _event_form(request, form, event, _("Close %(title)s") % {"title": event.title}, intro=intro)


@login_required
def event_calendar(request, pk):
    event = get_event_for_user(request.user, pk)
    response = HttpResponse(calendars.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
def region_report(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    rows = selectors.region_attendance(region)
    context = {
        "region": region,
        "rows": rows,
        "chart": selectors.region_attendance_chart(rows),
        "meetings": selectors.head_meetings(region),
        "can_plan": can_manage_plans(viewer_for(request.user), region),
    }
    return render(request, "events/region_report.html", context)


@login_required
def person_duty(request, pk):
    person = get_person_for_user(request.user, pk)
    context = {
        "person": person,
        "duty": selectors.secretary_duty(person.pk),
        "upcoming": selectors.upcoming_for_person(person.pk),
    }
    return render(request, "events/person_duty.html", context)


@login_required
def question_ask(request, pk):
    event = get_event_for_user(request.user, pk)
    line = get_own_line(request.user, event)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_ask(line=line, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your question is sent to the organiser."))
            return redirect(event)
    return _event_form(request, form, event, _("A question to the meeting"))


@login_required
def question_answer(request, pk):
    question = get_question_for_user(request.user, pk, write=True)
    event = question.event
    others = event.questions.exclude(pk=question.pk).filter(duplicate_of__isnull=True)
    initial = {"selected": question.selected, "duplicate_of": question.duplicate_of_id, "answer": question.answer}
    form = QuestionAnswerForm(request.POST or None, initial=initial, others=others)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(question=question, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(event)
    return _event_form(request, form, event, _("Question"), intro=question.text)


@login_required
def invitation(request, pk):
    """Choose a head's meeting's invitation rule (before publication), in the region's zone."""
    event = get_event_for_user(request.user, pk, write=True)
    if event.kind != EventKind.HEAD_MEETING:
        forbidden()
    current = MeetingInvitation.objects.filter(event=event).first()
    initial = {"rule": InvitationRule.BY_HAND}
    if current is not None:
        initial = {name: getattr(current, name) for name in ("rule", "per_local_branch", "nominations_due", "year")}
    with timezone.override(zoneinfo.ZoneInfo(event.region.time_zone)):
        form = InvitationForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.invitation_set(event=event, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The invitation rule is saved."))
                return redirect(event)
        return _event_form(request, form, event, _("Who is invited: %(title)s") % {"title": event.title})


@login_required
def nominate(request, pk):
    """A local branch's secretary nominates activists of its primary branches, up to the quota."""
    event = get_event_for_user(request.user, pk)
    local_ids = nominating_local_branches(viewer_for(request.user), event)
    if not local_ids or event.kind != EventKind.HEAD_MEETING:
        forbidden()
    branches = PrimaryBranch.objects.filter(local_branch_id__in=local_ids, closed_on__isnull=True).order_by("number")
    form = NominationForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_add(event=event, by=request.user.person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activist is nominated."))
            return redirect("events:nominate", pk=event.pk)
    context = {
        "meeting": event,
        "invitation": MeetingInvitation.objects.filter(event=event).first(),
        "nominated": selectors.nominations_of(event, local_ids),
    }
    return _event_form(
        request,
        form,
        event,
        _("Nominate activists: %(title)s") % {"title": event.title},
        template="events/nominate.html",
        **context,
    )


@login_required
def nomination_withdraw(request, pk, line_pk):
    event = get_event_for_user(request.user, pk)
    local_ids = nominating_local_branches(viewer_for(request.user), event)
    line = found(event.expected.active().filter(pk=line_pk, local_branch_id__in=local_ids).first())
    if request.method != "POST":
        return redirect("events:nominate", pk=event.pk)
    try:
        services.nomination_withdraw(line=line)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The nomination is withdrawn."))
    return redirect("events:nominate", pk=event.pk)


@login_required
def head_meeting_plan(request, region_pk):
    """The region's staff set how many head's meetings the region plans in a year."""
    region = get_region_for_user(request.user, region_pk)
    if not can_manage_plans(viewer_for(request.user), region):
        forbidden()
    year = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(region.time_zone)).year
    form = PlanForm(request.POST or None, initial={"year": year, "planned": selectors.planned_meetings(region, year)})
    if request.method == "POST" and form.is_valid():
        try:
            services.head_meeting_plan_set(region=region, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("events:region_report", region_pk=region.pk)
    back = reverse("events:region_report", kwargs={"region_pk": region.pk})
    title = _("Plan of head's meetings: %(region)s") % {"region": region}
    return render_form(request, form, title=title, back_url=back)


@login_required
def question_assign(request, pk):
    """Turn a question into an assignment (owner, due date) through the assignments engine."""
    question = get_question_for_user(request.user, pk, write=True)
    event = question.event
    people = people_visible_to(viewer_for(request.user)).filter(positions__region=event.region).distinct()
    form = QuestionAssignForm(request.POST or None, people=people, initial={"title": question.text[:300]})
    if request.method == "POST" and form.is_valid():
        try:
            directive = services.question_assign(question=question, by=request.user.person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question is now an assignment."))
            return redirect("assignments:assignment", pk=directive.assignments.get().pk)
    return _event_form(request, form, event, _("Make the question an assignment"), intro=question.text)


@login_required
def local_report(request, pk):
    """Attendance per primary branch of a local branch, furthest behind first, with a chart."""
    local_branch = found(
        local_branches_visible_to(viewer_for(request.user)).select_related("region").filter(pk=pk).first()
    )
    rows = selectors.local_branch_attendance(local_branch)
    context = {"local_branch": local_branch, "rows": rows, "chart": selectors.region_attendance_chart(rows)}
    return render(request, "events/local_report.html", context)


@login_required
def national_report(request):
    """The regions and the local branches furthest behind in the country (federal administrators)."""
    require_admin(request.user)
    figures = selectors.national_attendance()
    context = {"figures": figures, "chart": selectors.region_attendance_chart(figures.regions)}
    return render(request, "events/national_report.html", context)
