from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from branches.models import Person
from core import charts
from core.access import viewer_for
from core.shortcuts import render_form
from core.spreadsheets import spreadsheet_response
from training import selectors, services
from training.access import (
    get_assignment_for_user,
    get_region_for_user,
    get_run_for_user,
    require_admin_viewer,
    runs_visible_to,
)
from training.forms import ResolveForm, UploadForm, WaiveForm
from training.models import CourseAssignment, Source


@login_required
def mine(request):
    viewer = viewer_for(request.user)
    assignments = selectors.person_assignments(viewer.person_id) if viewer.person_id else []
    context = {"assignments": assignments, "as_of": selectors.data_as_of()}
    return render(request, "training/mine.html", context)


@login_required
def region(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    course = selectors.main_course(request.GET.get("course"))
    context = {"region": region, "course": course, "as_of": selectors.data_as_of()}
    if course is not None:
        report = selectors.region_report(region, course)
        context |= {
            **report,
            "overdue": selectors.overdue_list(region, course),
            "quarters": selectors.trained_in_time_by_quarter(course, region=region),
            "chart": _chart([row.unit.name for row in report["rows"]], report["rows"]),
        }
    return render(request, "training/region.html", context)


def _chart(labels, rows) -> dict:
    return charts.chart(
        labels,
        charts.Series(_("completed"), [row.completed for row in rows], charts.GREEN),
        charts.Series(_("in progress"), [row.in_progress + row.assigned for row in rows], charts.BLUE),
        charts.Series(_("overdue"), [row.overdue for row in rows], charts.RED),
    )


@login_required
def region_xlsx(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    course = selectors.main_course(request.GET.get("course"))
    header = [_("Local branch"), _("In post"), _("Completed"), _("In progress"), _("Overdue"), _("Share trained, %")]
    rows: list[list] = [header]
    if course is not None:
        report = selectors.region_report(region, course)
        for row in [*report["rows"], report["total"]]:
            name = row.unit.name if row.unit else _("Total")
            rows.append(
                [name, row.in_post, row.completed, row.in_progress + row.assigned, row.overdue, round(100 * row.share)]
            )
    return spreadsheet_response(rows, fmt="xlsx", name=f"training-{region.code}", sheet=_("Training"))


@login_required
def national(request):
    require_admin_viewer(request.user)
    course = selectors.main_course(request.GET.get("course"))
    context = {"course": course, "as_of": selectors.data_as_of()}
    if course is not None:
        context |= {**selectors.national_report(course), "quarters": selectors.trained_in_time_by_quarter(course)}
    return render(request, "training/national.html", context)


@login_required
def upload(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        run = services.upload_start(actor=request.user, region=region, file_name=file.name, content=file.read())
        return redirect(run)
    runs = runs_visible_to(viewer_for(request.user)).filter(region=region).defer("content")[:10]
    return render(request, "training/upload.html", {"form": form, "region": region, "runs": runs})


@login_required
def run_detail(request, pk):
    run = get_run_for_user(request.user, pk)
    if request.method == "POST":
        try:
            services.upload_confirm(run=run)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(run)
    template = "training/run_detail.html#status" if request.htmx else "training/run_detail.html"
    return render(request, template, {"run": run})


@login_required
def unmatched(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    people = Person.objects.filter(
        pk__in=CourseAssignment.objects.open().filter(region=region).values("person_id"),
        platform_accounts__isnull=True,
    ).order_by("last_name", "first_name", "pk")
    if request.method == "POST":
        form = ResolveForm(request.POST, people=people)
        if form.is_valid():
            try:
                services.platform_account_link(
                    platform_user_id=form.cleaned_data["platform_user_id"],
                    person=form.cleaned_data["person"],
                    actor=request.user,
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(request, _("The platform user is linked; their records now count."))
            return redirect("training:unmatched", region_pk=region.pk)
    rows = [
        (row, ResolveForm(initial={"platform_user_id": row["platform_user_id"]}, people=people))
        for row in selectors.unmatched_users(region=region)
    ]
    return render(request, "training/unmatched.html", {"region": region, "rows": rows})


@login_required
def waive(request, pk):
    assignment = get_assignment_for_user(request.user, pk, write=True)
    form = WaiveForm(request.POST or None)
    back = reverse("training:region", kwargs={"region_pk": assignment.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_waive(assignment=assignment, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The course is waived for %(person)s.") % {"person": assignment.person})
            return redirect("training:region", region_pk=assignment.region_id)
    title = _("Waive %(course)s for %(person)s") % {"course": assignment.course.title, "person": assignment.person}
    return render_form(request, form, title=title, back_url=back)


@csrf_exempt
def push(request):
    """The platform's signed push: X-Signature: sha256=<HMAC-SHA256 of the body with TRAINING_PUSH_SECRET>."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        run = services.push_receive(body=request.body, signature=request.headers.get("X-Signature", ""))
    except PermissionError:
        return HttpResponse(status=403)
    except ValidationError as error:
        return JsonResponse({"error": error.messages[0]}, status=400)
    return JsonResponse({"run": run.pk, "source": Source.PUSH, **run.counts})
