from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.access import regions_visible_to
from contests import selectors, services, spreadsheets
from contests.access import (
    can_create_contest,
    can_run_contest,
    contests_visible_to,
    entries_visible_to,
    get_attachment_for_user,
    get_contest_for_user,
    get_contest_results_for_user,
    get_criterion_for_user,
    get_entry_for_juror,
    get_entry_for_user,
    get_juror_for_user,
    get_nomination_for_user,
    get_practice_for_user,
    juror_assignments_for,
    juror_candidates_visible_to,
    library_visible_to,
)
from contests.forms import (
    AttachmentForm,
    ContestEditForm,
    ContestForm,
    CriterionForm,
    EntryFilterForm,
    EntryForm,
    JurorForm,
    LibraryFilterForm,
    NominationForm,
    ScoreSheetForm,
)
from contests.models import Juror, Level, Status
from core.access import viewer_for
from core.pagination import cursor_args, query_without_cursor
from core.shortcuts import render_form
from core.spreadsheets import spreadsheet_response

# Contests ---------------------------------------------------------------------


@login_required
def contest_list(request):
    viewer = viewer_for(request.user)
    contests = contests_visible_to(viewer).select_related("region").order_by("-year", "-level", "region__code")
    judging = set()
    if viewer.person_id:
        judging = set(Juror.objects.filter(person_id=viewer.person_id).values_list("contest_id", flat=True))
    context = {"contests": contests, "judging": judging, "can_create": can_create_contest(viewer)}
    return render(request, "contests/contest_list.html", context)


@login_required
def contest_create(request):
    viewer = viewer_for(request.user)
    if not can_create_contest(viewer):
        raise PermissionDenied
    form = ContestForm(request.POST or None, regions=regions_visible_to(viewer), federal_allowed=viewer.is_admin)
    if request.method == "POST" and form.is_valid():
        try:
            contest = services.contest_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contest is created as a draft."))
            return redirect(contest)
    intro = _(
        "The contest starts as a draft with the four nominations and a standard rubric; "
        "both can be changed until entries open."
    )
    return render_form(request, form, title=_("New contest"), intro=intro, back_url=reverse("contests:list"), wide=True)


@login_required
def contest_detail(request, pk):
    contest = get_contest_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    runs = can_run_contest(viewer, contest)
    own_entries = entries_visible_to(viewer).filter(contest=contest, branch_id__in=viewer.secretary_branch_ids)
    visible_entries = entries_visible_to(viewer).filter(contest=contest)
    context = {
        "contest": contest,
        "runs": runs,
        "next_status": services.NEXT_STATUS.get(contest.status),
        "step_label": STEP_LABEL.get(contest.status),
        "blocker": selectors.contest_step_blocker(contest) if runs else None,
        "nominations": contest.nominations.all(),
        "criteria": contest.criteria.all(),
        "jurors": contest.jurors.select_related("person", "nomination", "home_local_branch") if runs else [],
        "counts": selectors.entry_counts(visible_entries) if (runs or viewer.is_regional_staff) else None,
        "own_entries": own_entries.select_related("nomination", "branch") if viewer.is_secretary else [],
        "entry_blocker": services.entry_window_blocker(contest),
        "may_enter": viewer.is_secretary and not contest.is_federal,
        "assignments": juror_assignments_for(viewer, contest),
        "may_see_results": contest.results_public or runs,
    }
    return render(request, "contests/contest_detail.html", context)


@login_required
def contest_edit(request, pk):
    contest = get_contest_for_user(request.user, pk, write=True)
    form = ContestEditForm(request.POST or None, instance=contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_update(actor=request.user, contest=contest, **form.changes())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(contest)
    intro = _("At the stage «%(stage)s» the greyed-out settings can no longer change.") % {
        "stage": contest.get_status_display()
    }
    return _form_page(request, form, contest, _("Contest settings"), intro=intro, wide=True)


STEP_DONE = {
    Status.ACCEPTING: gettext_lazy("The contest is open: secretaries can enter their branches."),
    Status.JUDGING: gettext_lazy("Judging has started: jurors can score the entries."),
    Status.PUBLISHED: gettext_lazy("The results are published."),
    Status.ARCHIVED: gettext_lazy("The contest is archived."),
}


STEP_LABEL = {
    Status.DRAFT: gettext_lazy("Open for entries"),
    Status.ACCEPTING: gettext_lazy("Start judging"),
    Status.JUDGING: gettext_lazy("Publish the results"),
    Status.PUBLISHED: gettext_lazy("Archive"),
}


@login_required
def contest_step(request, pk):
    """Ask first (GET: what the step locks and whom it tells), then take the step (POST)."""
    contest = get_contest_for_user(request.user, pk, write=True)
    if request.method != "POST":
        context = {
            "contest": contest,
            "label": STEP_LABEL.get(contest.status),
            "blocker": selectors.contest_step_blocker(contest),
            "consequences": selectors.step_consequences(contest),
        }
        return render(request, "contests/step_confirm.html", context)
    try:
        contest = services.contest_advance(actor=request.user, contest=contest, expected=request.POST.get("stage"))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _step_done(contest))
    return redirect(contest)


def _step_done(contest) -> str:
    """What the step did, with what it carried between the stages."""
    if contest.is_federal and contest.status == Status.ACCEPTING:
        return _("The final is open: %(count)d regional winners were carried into it.") % {
            "count": selectors.carried_to_final(contest)
        }
    if not contest.is_federal and contest.status == Status.PUBLISHED:
        carried = selectors.carried_to_final(contest)
        if carried:
            return _("The results are published; %(count)d winners were carried into the federal final.") % {
                "count": carried
            }
    return str(STEP_DONE[contest.status])


# The rubric and the jury ------------------------------------------------------------


def _form_page(request, form, contest, title, **options):
    """A form about a contest: under the contest in the breadcrumbs, with the way back to it."""
    breadcrumbs = [(reverse("contests:list"), _("Contests")), (contest.get_absolute_url(), contest.name)]
    return render_form(
        request, form, title=title, breadcrumbs=breadcrumbs, back_url=contest.get_absolute_url(), **options
    )


@login_required
def nomination_add(request, pk):
    contest = get_contest_for_user(request.user, pk, write=True)
    form = NominationForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_add(actor=request.user, contest=contest, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(contest)
    return _form_page(request, form, contest, _("New nomination"))


def _remove_confirm(request, obj, *, title: str, consequence: str):
    """Ask before removing a nomination or a criterion: what goes with it (GET); POST removes."""
    context = {"contest": obj.contest, "title": title, "consequence": consequence}
    return render(request, "contests/remove_confirm.html", context)


@login_required
def nomination_remove(request, pk):
    nomination = get_nomination_for_user(request.user, pk, write=True)
    if request.method != "POST":
        title = _("Remove the nomination «%(nomination)s»?") % {"nomination": nomination}
        consequence = _("Secretaries will not be able to enter it; its description is lost.")
        return _remove_confirm(request, nomination, title=title, consequence=consequence)
    try:
        services.nomination_remove(actor=request.user, nomination=nomination)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(nomination.contest)


@login_required
def criterion_add(request, pk):
    contest = get_contest_for_user(request.user, pk, write=True)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_add(actor=request.user, contest=contest, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(contest)
    return _form_page(request, form, contest, _("New criterion"))


@login_required
def criterion_edit(request, pk):
    criterion = get_criterion_for_user(request.user, pk, write=True)
    form = CriterionForm(request.POST or None, instance=criterion)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(actor=request.user, criterion=criterion, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(criterion.contest)
    return _form_page(request, form, criterion.contest, criterion.name)


@login_required
def criterion_remove(request, pk):
    criterion = get_criterion_for_user(request.user, pk, write=True)
    if request.method != "POST":
        title = _("Remove the criterion «%(criterion)s»?") % {"criterion": criterion.name}
        consequence = _("Jurors will not score it; the weights of the other criteria decide the totals.")
        return _remove_confirm(request, criterion, title=title, consequence=consequence)
    try:
        services.criterion_remove(actor=request.user, criterion=criterion)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(criterion.contest)


@login_required
def juror_add(request, pk):
    contest = get_contest_for_user(request.user, pk, write=True)
    people = juror_candidates_visible_to(viewer_for(request.user), contest)
    search_url = f"{reverse('branches:person_search')}?login=1"
    if contest.region_id:
        search_url += f"&region={contest.region_id}"
    form = JurorForm(request.POST or None, contest=contest, people=people, search_url=search_url)
    if request.method == "POST" and form.is_valid():
        try:
            services.juror_assign(actor=request.user, contest=contest, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(person)s is a juror now.") % {"person": form.cleaned_data["person"]})
            return redirect(contest)
    return _form_page(request, form, contest, _("New juror"))


@login_required
@require_POST
def juror_remove(request, pk):
    juror = get_juror_for_user(request.user, pk, write=True)
    try:
        services.juror_remove(actor=request.user, juror=juror)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(juror.contest)


@login_required
def progress(request, pk):
    contest = get_contest_for_user(request.user, pk, write=True)
    rows = selectors.jurors_progress(contest)
    return render(request, "contests/progress.html", {"contest": contest, "rows": rows})


# Entries ----------------------------------------------------------------------


@login_required
def entry_list(request, pk):
    contest = get_contest_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    if not (can_run_contest(viewer, contest) or viewer.is_regional_staff or viewer.is_secretary):
        raise PermissionDenied
    entries = entries_visible_to(viewer).filter(contest=contest)
    form = EntryFilterForm(request.GET or None, contest=contest)
    filters, size = form.filters()
    page = selectors.entry_list_page(
        entries,
        filters,
        size=size,
        **cursor_args(request),
    )
    context = {
        "contest": contest,
        "form": form,
        "page": page,
        "counts": selectors.entry_counts(entries),
        "query": query_without_cursor(request),
    }
    template = "contests/entry_list.html#results" if request.htmx else "contests/entry_list.html"
    return render(request, template, context)


def _secretary_branches(viewer, contest):
    from branches.models import PrimaryBranch

    return PrimaryBranch.objects.open().filter(pk__in=viewer.secretary_branch_ids, region_id=contest.region_id)


@login_required
def entry_create(request, pk):
    contest = get_contest_for_user(request.user, pk)
    branches = _secretary_branches(viewer_for(request.user), contest)
    if not branches:
        raise PermissionDenied
    form = EntryForm(request.POST or None, nominations=contest.nominations.all(), branches=branches)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        branch = data.pop("branch", None) or branches[0]
        try:
            entry = services.entry_create(actor=request.user, contest=contest, branch=branch, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The entry is saved as a draft. Add files, then submit it."))
            return redirect(entry)
    blocker = services.entry_window_blocker(contest)
    title = _("Enter your branch")
    return _form_page(request, form, contest, title, template="contests/entry_form.html", blocker=blocker, wide=True)


@login_required
def entry_detail(request, pk):
    entry = get_entry_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    editable = viewer.is_secretary and entry.branch_id in viewer.secretary_branch_ids and entry.is_live
    blocker = services.entry_window_blocker(entry.contest)
    context = {
        "entry": entry,
        "contest": entry.contest,
        "attachments": entry.attachments.all(),
        "editable": editable and blocker is None,
        "blocker": blocker if editable else None,
        "attachment_form": AttachmentForm(),
    }
    return render(request, "contests/entry_detail.html", context)


@login_required
def entry_edit(request, pk):
    entry = get_entry_for_user(request.user, pk, write=True)
    initial = {name: getattr(entry, name) for name in services.ENTRY_EDITABLE}
    form = EntryForm(request.POST or None, initial=initial, nominations=entry.contest.nominations.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(entry)
    title = _("Edit the entry")
    return _form_page(request, form, entry.contest, title, template="contests/entry_form.html", wide=True)


def _entry_action(request, pk, service, done):
    entry = get_entry_for_user(request.user, pk, write=True)
    try:
        service(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, done)
    return redirect(entry)


@login_required
@require_POST
def entry_submit(request, pk):
    done = _("The entry is submitted. You can still change it until the deadline.")
    return _entry_action(request, pk, services.entry_submit, done)


@login_required
@require_POST
def entry_withdraw(request, pk):
    return _entry_action(request, pk, services.entry_withdraw, _("The entry is withdrawn."))


@login_required
@require_POST
def attachment_add(request, pk):
    entry = get_entry_for_user(request.user, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, entry=entry, upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
    for message in form.errors.get("file", []):
        messages.error(request, message)
    return redirect(entry)


@login_required
def attachment(request, pk):
    attachment, blind = get_attachment_for_user(request.user, pk)
    # Blind judging: the file's own name could name the branch.
    extension = attachment.file.name.rsplit(".", 1)[-1]
    name = f"attachment-{attachment.pk}.{extension}" if blind else attachment.original_name
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, content_type=attachment.content_type, as_attachment=not attachment.is_image, filename=name
    )


@login_required
@require_POST
def attachment_remove(request, pk):
    attachment, _blind = get_attachment_for_user(request.user, pk, write=True)
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(attachment.entry)


# Judging ----------------------------------------------------------------------


@login_required
def judging(request, pk):
    contest = get_contest_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    assignments = juror_assignments_for(viewer, contest)
    if not assignments:
        raise PermissionDenied
    entries, criteria = selectors.juror_worklist(viewer, contest, assignments)
    done = sum(1 for entry in entries if entry.my_scores >= criteria)
    context = {
        "contest": contest,
        "assignments": assignments,
        "entries": entries,
        "criteria": criteria,
        "done": done,
        "blocker": services.scoring_blocker(contest),
    }
    return render(request, "contests/judging.html", context)


@login_required
def score(request, pk, entry_pk):
    contest, juror, entry = get_entry_for_juror(request.user, pk, entry_pk)
    criteria = list(contest.criteria.all())
    scores = {s.criterion_id: s for s in juror.scores.filter(entry=entry)}
    form = ScoreSheetForm(request.POST or None, criteria=criteria, scores=scores)
    blocker = services.scoring_blocker(contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_sheet_save(actor=request.user, juror=juror, entry=entry, scores=form.scores())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Scores saved."))
            return redirect("contests:judging", pk=contest.pk)
    context = {
        "contest": contest,
        "entry": entry,
        "form": form,
        "blocker": blocker,
        "attachments": entry.attachments.all(),
        "blind": contest.blind,
    }
    return render(request, "contests/score.html", context)


# Results ----------------------------------------------------------------------


@login_required
def results(request, pk):
    contest = get_contest_results_for_user(request.user, pk)
    table = selectors.results_table(contest)
    return render(request, "contests/results.html", {"contest": contest, "table": table})


@login_required
def results_print(request, pk):
    contest = get_contest_results_for_user(request.user, pk)
    table = selectors.results_table(contest)
    return render(request, "contests/results_print.html", {"contest": contest, "table": table})


@login_required
def results_export(request, pk):
    contest = get_contest_results_for_user(request.user, pk)
    table = selectors.results_table(contest)
    rows = spreadsheets.results_table(contest, selectors.export_rows(contest, table))
    suffix = "final" if contest.level == Level.FEDERAL else contest.region.code
    return spreadsheet_response(rows, fmt="xlsx", name=f"results-{contest.year}-{suffix}", sheet=_("Results"))


# The library ------------------------------------------------------------------


@login_required
def library(request):
    practices = library_visible_to(viewer_for(request.user))
    form = LibraryFilterForm(request.GET or None, years=selectors.library_years(practices))
    page = selectors.library_page(
        practices,
        form.filters(),
        size=20,
        **cursor_args(request),
    )
    context = {"form": form, "page": page, "query": query_without_cursor(request)}
    template = "contests/library.html#results" if request.htmx else "contests/library.html"
    return render(request, template, context)


@login_required
def practice(request, pk):
    entry = get_practice_for_user(request.user, pk)
    return render(
        request,
        "contests/practice.html",
        {"entry": entry, "contest": entry.contest, "attachments": entry.attachments.all()},
    )
