from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assignments import selectors, services, spreadsheets
from assignments.access import (
    assignments_visible_to,
    can_pass_down,
    can_report,
    can_review,
    get_assignment_for_user,
    get_directive_for_user,
    get_report_file_for_user,
    local_ids_for,
)
from assignments.forms import PassDownForm, ReportForm, ReviewForm, StaffDirectiveForm
from branches.access import get_person_for_user, get_region_for_user
from branches.models import LocalBranch, Person
from core.access import forbidden, viewer_for
from core.pagination import cursor_args, query_without_cursor
from core.shortcuts import private_download, render_form
from core.spreadsheets import spreadsheet_response


def _me(request) -> Person | None:
    person_id = viewer_for(request.user).person_id
    return Person(pk=person_id) if person_id else None


@login_required
def mine(request):
    viewer = viewer_for(request.user)
    local_ids = local_ids_for(viewer)
    assignments = assignments_visible_to(viewer, local_ids=local_ids)
    if viewer.is_admin:
        assignments = assignments.filter(parent__isnull=True, local_branch__isnull=True, person__isnull=True)
    page = selectors.assignment_list_page(assignments, **cursor_args(request))
    context = {
        "page": page,
        "query": query_without_cursor(request),
        "today": timezone.localdate(),
        "title": _("Assignments"),
    }
    return render(request, "assignments/list.html", context)


@login_required
def person(request, person_pk):
    """A person's list: what is addressed to them, as far as the viewer sees it (the person,
    their region's staff, administrators); open ones first, overdue first."""
    person = get_person_for_user(request.user, person_pk)
    assignments = assignments_visible_to(viewer_for(request.user)).filter(person=person)
    page = selectors.assignment_list_page(assignments, **cursor_args(request))
    context = {
        "page": page,
        "query": query_without_cursor(request),
        "today": timezone.localdate(),
        "title": _("Assignments of %(person)s") % {"person": person.full_name},
    }
    return render(request, "assignments/list.html", context)


@login_required
def region(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    assignments = assignments_visible_to(viewer_for(request.user)).filter(region=region)
    page = selectors.assignment_list_page(assignments, **cursor_args(request))
    context = {
        "page": page,
        "query": query_without_cursor(request),
        "today": timezone.localdate(),
        "region": region,
        "title": _("Assignments of %(region)s") % {"region": region.name},
        "can_issue": viewer_for(request.user).staffs_region(region.pk),
    }
    return render(request, "assignments/list.html", context)


@login_required
def staff_directive(request, region_pk):
    """An assignment written by the region's staff without a council decision, fanned out at once."""
    region = get_region_for_user(request.user, region_pk)
    if not viewer_for(request.user).staffs_region(region.pk):
        forbidden()
    form = StaffDirectiveForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to = {
            StaffDirectiveForm.TO_EVERY_LOCAL: services.Addressees(local_branches_of=(region,)),
            StaffDirectiveForm.TO_LOCAL: services.Addressees(local_branches=tuple(data["local_branches"])),
            StaffDirectiveForm.TO_POST: services.Addressees(post=data["post"], post_region=region),
            StaffDirectiveForm.TO_PERSON: services.Addressees(people=(data["person"],), people_region=region),
        }[data["to"]]
        today = timezone.localdate()
        try:
            directive = services.directive_issue(
                source_key=f"regional.{region.pk}",
                source_label=_("Regional staff, %(region)s") % {"region": region.name},
                source_url=reverse("assignments:region", kwargs={"region_pk": region.pk}),
                title=data["title"],
                text=data["text"],
                issued_on=today,
                due_on=data["due_on"],
                to=to,
                issued_by=_me(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = directive.assignments.count()
            messages.success(request, _("The assignment is issued to %(n)s addressees.") % {"n": count})
            return redirect("assignments:region", region_pk=region.pk)
    back_url = reverse("assignments:region", kwargs={"region_pk": region.pk})
    title = _("New assignment: %(region)s") % {"region": region.name}
    return render_form(request, form, title=title, back_url=back_url)


def _detail(request, assignment, **forms):
    viewer = viewer_for(request.user)
    local_ids = assignment._local_ids
    context = {
        "assignment": assignment,
        "directive": assignment.directive,
        "history": selectors.history_with_files(assignment),
        "children": selectors.with_progress(assignment.children.select_related("local_branch")).order_by("pk"),
        "today": timezone.localdate(),
    }
    reportable = assignment.state in ("open", "returned") and not assignment.directive.is_measured
    if reportable and can_report(viewer, assignment, local_ids):
        context["report_form"] = forms.get("report_form") or ReportForm(assignment=assignment)
    if can_review(viewer, assignment) and assignment.state in ("reported", "accepted"):
        context["review_form"] = forms.get("review_form") or ReviewForm(assignment=assignment)
    if can_pass_down(viewer, assignment) and not assignment.is_finished:
        context["pass_down_form"] = forms.get("pass_down_form") or _pass_down_form(assignment)
    return render(request, "assignments/detail.html", context)


def _pass_down_form(assignment, data=None):
    taken = assignment.children.values("local_branch_id")
    local_branches = LocalBranch.objects.filter(region_id=assignment.region_id, closed_on__isnull=True).exclude(
        pk__in=taken
    )
    return PassDownForm(data, assignment=assignment, local_branches=local_branches.order_by("name"))


@login_required
def assignment_detail(request, pk):
    return _detail(request, get_assignment_for_user(request.user, pk))


@login_required
@require_POST
def report(request, pk):
    assignment = get_assignment_for_user(request.user, pk, write=True)
    if not can_report(viewer_for(request.user), assignment, assignment._local_ids):
        forbidden()
    form = ReportForm(request.POST, request.FILES, assignment=assignment)
    if form.is_valid():
        try:
            services.assignment_report(
                assignment=assignment,
                by=_me(request),
                report=form.cleaned_data["report"],
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is sent."))
            return redirect(assignment)
    return _detail(request, assignment, report_form=form)


@login_required
@require_POST
def review(request, pk):
    assignment = get_assignment_for_user(request.user, pk, write=True)
    if not can_review(viewer_for(request.user), assignment):
        forbidden()
    form = ReviewForm(request.POST, assignment=assignment)
    if form.is_valid():
        try:
            if "return" in request.POST:
                services.assignment_return(assignment=assignment, by=_me(request), note=form.cleaned_data["note"])
            else:
                services.assignment_accept(assignment=assignment, by=_me(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The assignment is updated."))
            return redirect(assignment)
    return _detail(request, assignment, review_form=form)


@login_required
@require_POST
def pass_down(request, pk):
    assignment = get_assignment_for_user(request.user, pk, write=True)
    if not can_pass_down(viewer_for(request.user), assignment):
        forbidden()
    form = _pass_down_form(assignment, request.POST)
    if form.is_valid():
        try:
            services.assignment_pass_down(
                assignment=assignment,
                local_branches=list(form.cleaned_data["local_branches"]),
                due_on=form.cleaned_data["due_on"],
                by=_me(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The assignment is passed down."))
            return redirect(assignment)
    return _detail(request, assignment, pass_down_form=form)


@login_required
def directive(request, pk):
    directive = get_directive_for_user(request.user, pk)
    context = {"directive": directive, "today": timezone.localdate()}
    context |= selectors.directive_dashboard(directive, timezone.localdate())
    return render(request, "assignments/directive.html", context)


@login_required
def directive_export(request, pk):
    directive = get_directive_for_user(request.user, pk)
    board = selectors.directive_dashboard(directive, timezone.localdate())
    return spreadsheet_response(
        spreadsheets.dashboard_table(board["rows"]), fmt="xlsx", name=f"directive-{directive.pk}", sheet=_("Execution")
    )


@login_required
@private_download
def report_file(request, pk):
    """A file of a report, for whoever may see its assignment (nobody sees another region's reports)."""
    item = get_report_file_for_user(request.user, pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type=item.content_type, as_attachment=not item.is_image, filename=item.original_name
    )
