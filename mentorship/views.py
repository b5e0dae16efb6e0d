from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.access import people_visible_to, regions_visible_to
from branches.models import Person, PrimaryBranch
from core.access import forbidden, found, require_admin, viewer_for
from core.shortcuts import render_form
from mentorship import selectors, services
from mentorship.access import (
    can_create_programme,
    can_run_pair,
    can_run_programme,
    can_work_on_pair,
    get_pair_for_user,
    get_programme_for_user,
    pairs_visible_to,
    programmes_visible_to,
)
from mentorship.forms import (
    CheckInForm,
    GoalForm,
    PairEndForm,
    PairForm,
    ProgrammeForm,
    SuggestionForm,
    YoungCadreForm,
)
from mentorship.models import GoalStatus, PairStatus, YoungCadre


def _branches(programme):
    branches = PrimaryBranch.objects.open().select_related("region").order_by("region__code", "number")
    return branches.filter(region_id=programme.region_id) if programme.region_id else branches.none()


@login_required
def programme_list(request):
    """Staff: the programmes they reach. A secretary: their own pairs."""
    viewer = viewer_for(request.user)
    if not (viewer.is_admin or viewer.is_regional_staff or viewer.is_secretary):
        raise PermissionDenied
    programmes = programmes_visible_to(viewer).select_related("region").order_by("-year", "region__code")
    rows = []
    if viewer.is_secretary:
        mine = pairs_visible_to(viewer).filter(mentor_branch_id__in=viewer.secretary_branch_ids) | pairs_visible_to(
            viewer
        ).filter(mentee_branch_id__in=viewer.secretary_branch_ids)
        rows = selectors.pair_rows(mine, timezone.localdate())
    context = {
        "programmes": programmes,
        "rows": rows,
        "can_create": can_create_programme(viewer),
        "is_admin": viewer.is_admin,
    }
    return render(request, "mentorship/programme_list.html", context)


@login_required
def programme_create(request):
    viewer = viewer_for(request.user)
    if not can_create_programme(viewer):
        raise PermissionDenied
    regions = regions_visible_to(viewer)
    if viewer.is_admin:
        regions = regions.filter(pk__in=viewer.staff_region_ids)
    form = ProgrammeForm(request.POST or None, regions=regions, allow_federal=viewer.is_admin)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme is created as a draft."))
            return redirect(programme)
    return render_form(request, form, title=_("New mentoring programme"), back_url="/mentoring/")


@login_required
def programme_detail(request, pk):
    programme = get_programme_for_user(request.user, pk)
    today = timezone.localdate()
    rows = selectors.pair_rows(programme.pairs.all(), today)
    context = {
        "programme": programme,
        "rows": rows,
        "summary": selectors.health_summary(rows),
        "can_run": can_run_programme(viewer_for(request.user), programme),
        "cadres": YoungCadre.objects.filter(branch__region_id=programme.region_id).select_related("person", "branch")
        if programme.region_id
        else [],
    }
    return render(request, "mentorship/programme_detail.html", context)


@login_required
@require_POST
def programme_advance(request, pk):
    programme = get_programme_for_user(request.user, pk, write=True)
    try:
        programme = services.programme_advance(programme=programme)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The programme is now %(status)s.") % {"status": programme.get_status_display()})
    return redirect(programme)


@login_required
def pair_create(request, pk):
    programme = get_programme_for_user(request.user, pk, write=True)
    branches = _branches(programme)
    cadres = YoungCadre.objects.filter(branch__in=branches).select_related("person")
    form = PairForm(request.POST or None, branches=branches, cadres=cadres, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.pair_propose(programme=programme, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pair is proposed."))
            return redirect(pair)
    return render_form(
        request, form, title=_("Propose a pair"), back_url=programme.get_absolute_url(), breadcrumbs=_crumbs(programme)
    )


def _crumbs(programme):
    return [(programme.get_absolute_url(), str(programme))]


@login_required
def suggestions(request, pk):
    """Pick a mentee branch, see the mentor branches the evidence suggests, take one."""
    programme = get_programme_for_user(request.user, pk, write=True)
    branches = _branches(programme)
    mentee = None
    if request.GET.get("mentee", "").isdigit():
        mentee = found(branches.filter(pk=request.GET["mentee"]).select_related("local_branch").first())
    today = timezone.localdate()
    found_suggestions = selectors.suggestions_for(programme, mentee, today) if mentee else []
    form = SuggestionForm(request.POST or None, initial={"starts_on": today, "focus": "other"})
    if request.method == "POST" and mentee is not None and form.is_valid():
        chosen = {s.branch.pk: s for s in found_suggestions}.get(form.cleaned_data["mentor_branch"])
        if chosen is None:
            forbidden()
        try:
            pair = services.pair_propose(
                programme=programme,
                mentor_branch=chosen.branch,
                mentee_branch=mentee,
                focus=form.cleaned_data["focus"],
                starts_on=form.cleaned_data["starts_on"],
                reasons=chosen.reasons_text,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The pair is proposed."))
            return redirect(pair)
    context = {
        "programme": programme,
        "branches": branches.only("id", "number", "name", "region_id"),
        "mentee": mentee,
        "suggestions": found_suggestions,
        "form": form,
    }
    return render(request, "mentorship/suggestions.html", context)


@login_required
def pair_detail(request, pk):
    pair = get_pair_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    today = timezone.localdate()
    check_ins = list(pair.check_ins.select_related("recorded_by"))
    row = selectors.pair_row(pair, check_ins, today)
    context = {
        "pair": pair,
        "row": row,
        "next_check_in": selectors.next_check_in(pair, row.last_check_in),
        "check_ins": check_ins,
        "goals": pair.goals.all(),
        "history": selectors.pair_history(pair, check_ins),
        "results": selectors.results_for(pair, today),
        "can_run": can_run_pair(viewer, pair),
        "can_work": can_work_on_pair(viewer, pair) and pair.status == PairStatus.ACTIVE,
    }
    return render(request, "mentorship/pair_detail.html", context)


@login_required
@require_POST
def pair_status(request, pk):
    """Accept, decline or complete a pair (whoever runs the programme)."""
    pair = get_pair_for_user(request.user, pk)
    if not can_run_pair(viewer_for(request.user), pair):
        forbidden()
    action = {
        "accept": services.pair_accept,
        "decline": services.pair_decline,
        "complete": services.pair_complete,
    }.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose what to do with the pair."))
        return redirect(pair)
    try:
        pair = action(pair=pair)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The pair is %(status)s.") % {"status": pair.get_status_display()})
    return redirect(pair)


@login_required
def pair_end(request, pk):
    pair = get_pair_for_user(request.user, pk)
    if not can_run_pair(viewer_for(request.user), pair):
        forbidden()
    form = PairEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pair = services.pair_end_early(pair=pair, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(pair)
    return render_form(request, form, title=_("End the pair early"), back_url=pair.get_absolute_url())


@login_required
def check_in_create(request, pk):
    pair = get_pair_for_user(request.user, pk, write=True)
    form = CheckInForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        recorder = Person.objects.filter(pk=viewer_for(request.user).person_id).first()
        try:
            services.check_in_record(pair=pair, recorded_by=recorder, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The check-in is recorded."))
            return redirect(pair)
    return render_form(request, form, title=_("Record a check-in"), back_url=pair.get_absolute_url())


@login_required
def goal_create(request, pk):
    pair = get_pair_for_user(request.user, pk, write=True)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(pair=pair, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(pair)
    return render_form(request, form, title=_("Add a goal"), back_url=pair.get_absolute_url())


@login_required
@require_POST
def goal_status(request, pk, goal_pk):
    """Mark a goal of the pair met or dropped (either side, or staff)."""
    pair = get_pair_for_user(request.user, pk, write=True)
    goal = found(pair.goals.filter(pk=goal_pk).first())
    status = request.POST.get("status", "")
    if status not in GoalStatus.values:
        messages.error(request, _("Choose what to do with the goal."))
    else:
        services.goal_set_status(goal=goal, status=status)
    return redirect(pair)


@login_required
def young_cadre_mark(request, pk):
    programme = get_programme_for_user(request.user, pk, write=True)
    branches = _branches(programme)
    people = people_visible_to(viewer_for(request.user)).filter(positions__region_id=programme.region_id).distinct()
    form = YoungCadreForm(request.POST or None, people=people, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            services.young_cadre_mark(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(programme)
    return render_form(request, form, title=_("Mark a young activist"), back_url=programme.get_absolute_url())


@login_required
def national(request):
    require_admin(request.user)
    rows = selectors.national_summary(timezone.localdate())
    return render(request, "mentorship/national.html", {"rows": rows})
