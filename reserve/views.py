from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches import services as branch_services
from branches.access import people_visible_to, regions_visible_to
from branches.models import Person, PersonalDataAccess
from core import records
from core.access import found, require_admin, viewer_for
from core.shortcuts import render_form
from core.spreadsheets import spreadsheet_response
from reserve import selectors, services
from reserve.access import (
    can_create_pool,
    can_run_pool,
    get_nomination_for_user,
    get_pool_for_user,
    get_weights_region_for_user,
    pools_visible_to,
)
from reserve.forms import DecisionForm, NominationForm, PoolForm, WeightsForm
from reserve.models import ACTIVE_STATUSES


def _person(viewer) -> Person | None:
    return Person.objects.filter(pk=viewer.person_id).first() if viewer.person_id else None


def _staff(request):
    viewer = viewer_for(request.user)
    if not (viewer.is_admin or viewer.is_regional_staff):
        raise PermissionDenied
    return viewer


@login_required
def pool_list(request):
    viewer = _staff(request)
    pools = pools_visible_to(viewer).select_related("region", "local_branch", "owner").order_by("-year", "title")
    regions = sorted(viewer.staff_region_ids)
    context = {"pools": pools, "can_create": can_create_pool(viewer), "regions": regions, "is_admin": viewer.is_admin}
    return render(request, "reserve/pool_list.html", context)


@login_required
def pool_create(request):
    viewer = _staff(request)
    regions = regions_visible_to(viewer).filter(pk__in=viewer.staff_region_ids)
    form = PoolForm(request.POST or None, regions=regions, allow_federal=viewer.is_admin)
    if request.method == "POST" and form.is_valid():
        try:
            pool = services.pool_create(owner=found(_person(viewer)), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pool is created."))
            return redirect(pool)
    return render_form(request, form, title=_("New reserve pool"), back_url="/reserve/")


@login_required
def pool_detail(request, pk):
    pool = get_pool_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    sort = request.GET.get("sort", "score")
    nominations = selectors.pool_nominations(pool)
    rows, weights = selectors.pool_ranking(
        pool, sort=sort if sort in selectors.SORTS else "score", nominations=nominations
    )
    total = len(rows)
    if request.GET.get("all") != "1":
        rows = rows[: selectors.RANKING_SHOWN]  # the whole pool is ranked; the first rows of the sort are shown
    branch_services.personal_data_log_many(
        viewer=request.user,
        action=PersonalDataAccess.Action.VIEW,
        person_ids=[row.nomination.person_id for row in rows],
        region=pool.region_id,
        detail=f"reserve pool {pool.pk}",
    )
    context = {
        "pool": pool,
        "rows": rows,
        "total": total,
        "parts": selectors.PARTS,
        "weights": weights,
        "formula": selectors.formula(weights),
        "sort": sort,
        "demand": selectors.pool_demand(pool),
        "can_run": can_run_pool(viewer, pool),
        "closed": [n for n in nominations if n.status not in ACTIVE_STATUSES],
    }
    return render(request, "reserve/pool_detail.html", context)


@login_required
def pool_export(request, pk):
    pool = get_pool_for_user(request.user, pk)
    rows, weights = selectors.pool_ranking(pool)
    branch_services.personal_data_log(
        viewer=request.user,
        action=PersonalDataAccess.Action.EXPORT,
        region=pool.region,
        detail=f"reserve pool {pool.pk}",
    )
    header = [_("Rank"), _("Person"), _("Readiness"), _("Status"), _("Score")]
    header += [f"{part.label} (× {weights[part.key]})" for part in selectors.PARTS]
    lines = [
        [
            row.rank,
            row.nomination.name,
            row.nomination.get_readiness_display(),
            row.nomination.get_status_display(),
            row.score,
            *[row.parts[key] for key in selectors.PART_KEYS],
        ]
        for row in rows
    ]
    return spreadsheet_response([header, *lines], fmt="xlsx", name=f"reserve-{pool.pk}", sheet=_("Reserve"))


@login_required
def nominate(request, pk):
    pool = get_pool_for_user(request.user, pk, write=True)
    viewer = viewer_for(request.user)
    people = people_visible_to(viewer)
    search_url = reverse("branches:person_search")
    if pool.region_id is not None:
        people = people.filter(positions__region_id=pool.region_id).distinct()
        search_url += f"?region={pool.region_id}"
    form = NominationForm(request.POST or None, people=people, search_url=search_url)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(pool=pool, nominated_by=found(_person(viewer)), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(person)s is nominated.") % {"person": nomination.person})
            return redirect(nomination)
    return render_form(
        request, form, title=_("Nominate to %(pool)s") % {"pool": pool}, back_url=pool.get_absolute_url()
    )


@login_required
def nomination_detail(request, pk):
    nomination = get_nomination_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    snapshots = list(nomination.snapshots.select_related("decided_by").order_by("-version"))
    chosen = snapshots[0]
    if request.GET.get("version", "").isdigit():
        chosen = found(next((s for s in snapshots if s.version == int(request.GET["version"])), None))
    branch_services.personal_data_log(
        viewer=request.user,
        action=PersonalDataAccess.Action.VIEW,
        person=nomination.person,
        region=nomination.pool.region_id,
        detail=f"reserve nomination {nomination.pk} v{chosen.version}",
    )
    live = records.person_records([nomination.person_id], timezone.localdate()).get(nomination.person_id, {})
    context = {
        "nomination": nomination,
        "snapshots": snapshots,
        "chosen": chosen,
        "record": _record_groups(viewer, nomination, live, chosen.record),
        "frozen": _record_groups(viewer, nomination, chosen.record, None),
        "parts_live": selectors.parts_of(live),
        "parts_frozen": selectors.parts_of(chosen.record),
        "parts": selectors.PARTS,
        "form": DecisionForm(nomination=nomination) if can_run_pool(viewer, nomination.pool) else None,
    }
    return render(request, "reserve/nomination_detail.html", context)


def _record_groups(viewer, nomination, record, frozen):
    """The record's rows in the presentation the person page uses (desk/ lends it through core.records)."""
    return records.present(
        record, viewer=viewer, person_id=nomination.person_id, region_id=nomination.pool.region_id, frozen=frozen
    )


@login_required
@require_POST
def nomination_decide(request, pk):
    nomination = get_nomination_for_user(request.user, pk, write=True)
    viewer = viewer_for(request.user)
    form = DecisionForm(request.POST, nomination=nomination)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.nomination_decide(
                nomination=nomination,
                version=data["version"],
                status=data["status"],
                by=_person(viewer),
                decision_ref=data["decision_ref"],
                reason=data["reason"],
                readiness=data["readiness"] or None,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The decision is recorded and the record frozen."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(nomination)


@login_required
def weights(request, region_pk):
    region = get_weights_region_for_user(request.user, region_pk, write=request.method == "POST")
    current = selectors.weights_for(region.pk)
    form = WeightsForm(request.POST or None, weights=current)
    if request.method == "POST" and form.is_valid():
        services.weights_set(region=region, weights=form.cleaned_data)
        messages.success(request, _("The weights are saved."))
        return redirect("reserve:weights", region_pk=region.pk)
    intro = _("Each part of the record is scaled to 0–10; the score is their weighted mean.")
    return render_form(
        request,
        form,
        title=_("Ranking weights: %(region)s") % {"region": region.name},
        intro=intro,
        back_url="/reserve/",
    )


@login_required
def demand(request, region_pk):
    region = get_weights_region_for_user(request.user, region_pk)
    rows = selectors.region_demand(region)
    return render(request, "reserve/demand.html", {"region": region, "rows": rows})


@login_required
def national(request):
    require_admin(request.user)
    return render(request, "reserve/national.html", {"rows": selectors.national_coverage()})


@login_required
def mine(request):
    """A person's own nominations: whether they are nominated and where, nothing of anyone else."""
    viewer = viewer_for(request.user)
    if viewer.person_id is None:
        raise PermissionDenied
    context = {"nominations": selectors.own_nominations(viewer.person_id), "person_id": viewer.person_id}
    return render(request, "reserve/mine.html", context)
