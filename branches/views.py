from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from branches import hooks, selectors, services, spreadsheets
from branches.access import (
    branches_visible_to,
    can_edit_branch,
    can_edit_branch_contacts,
    get_branch_for_user,
    get_import_for_user,
    get_person_for_user,
    get_post_for_user,
    get_region_for_user,
    local_branches_visible_to,
    people_visible_to,
    regions_visible_to,
    roles_appointable_by,
)
from branches.forms import (
    BranchCloseForm,
    BranchContactsForm,
    BranchFilterForm,
    BranchForm,
    DataLogFilterForm,
    ImportConfirmForm,
    ImportForm,
    LocalBranchForm,
    PersonForm,
    PostAppointForm,
    PreferencesForm,
    SecretaryAppointForm,
    SecretaryEndForm,
)
from branches.models import (
    LOCAL_ROLES,
    SINGLE_HOLDER_ROLES,
    ImportChange,
    ImportJob,
    Person,
    PersonalDataAccess,
    Position,
    Role,
)
from core import charts
from core.access import found, require_admin, viewer_for
from core.pagination import cursor_args, query_without_cursor
from core.shortcuts import render_form
from core.spreadsheets import CONTENT_TYPES, spreadsheet_response
from core.timezones import zone_label


@login_required
def branch_list(request):
    viewer = viewer_for(request.user)
    if not (viewer.is_admin or viewer.is_regional_staff or viewer.is_secretary):
        raise PermissionDenied
    regions = regions_visible_to(viewer)
    local_branches = local_branches_visible_to(viewer).filter(closed_on__isnull=True)
    region_id = request.GET.get("region", "")
    if region_id.isdigit():
        local_branches = local_branches.filter(region_id=region_id)
    elif viewer.is_admin:
        local_branches = local_branches.none()  # 2,600 choices: pick a region first
    form = BranchFilterForm(
        request.GET or None,
        regions=regions,
        local_branches=local_branches,
        show_region=viewer.is_admin or len(viewer.staff_region_ids) > 1,
        region_choices=selectors.region_choices(None if viewer.is_admin else viewer.staff_region_ids),
    )
    filters, size = form.filters()
    page, total = selectors.branch_list_page(
        branches_visible_to(viewer),
        filters,
        size=size,
        **cursor_args(request),
    )
    # Creating, exporting and importing work on one region: the one in view.
    scope_region_id = filters.region.pk if filters.region else None
    if scope_region_id is None and len(viewer.staff_region_ids) == 1 and not viewer.is_admin:
        (scope_region_id,) = viewer.staff_region_ids
    context = {
        "form": form,
        "page": page,
        "total": total,
        "total_capped": total > selectors.COUNT_CAP,
        "count_cap": selectors.COUNT_CAP,
        "query": query_without_cursor(request),
        "scope_region_id": scope_region_id if scope_region_id and viewer.staffs_region(scope_region_id) else None,
    }
    template = "branches/branch_list.html#results" if request.htmx else "branches/branch_list.html"
    return render(request, template, context)


@login_required
def branch_detail(request, pk):
    branch = get_branch_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    secretaries = selectors.branch_positions(branch)
    current = next((p for p in secretaries if p.is_current()), None)
    if current is not None:
        services.personal_data_log(
            viewer=request.user,
            action=PersonalDataAccess.Action.VIEW,
            person=current.person,
            region=branch.region,
            detail=str(branch),
        )
    context = {
        "branch": branch,
        "current": current,
        "secretaries": secretaries,
        "history": selectors.branch_history(branch) if can_edit_branch(viewer, branch) else [],
        "can_edit": can_edit_branch(viewer, branch),
        "can_edit_contacts": can_edit_branch_contacts(viewer, branch),
        "sections": hooks.branch_sections(viewer, branch),
    }
    return render(request, "branches/branch_detail.html", context)


@login_required
def branch_create(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    form = BranchForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            branch = services.branch_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Branch %(branch)s created.") % {"branch": branch})
            return redirect(branch)
    title = _("New primary branch in %(region)s") % {"region": region.name}
    return render_form(request, form, title=title, back_url=region.get_absolute_url())


@login_required
def branch_edit(request, pk):
    branch = get_branch_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    if can_edit_branch(viewer, branch):
        form = BranchForm(request.POST or None, instance=branch, region=branch.region)
    elif can_edit_branch_contacts(viewer, branch):
        form = BranchContactsForm(request.POST or None, instance=branch)
    else:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            services.branch_update(branch=branch, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(branch)
    return render_form(
        request, form, title=_("Edit %(branch)s") % {"branch": branch}, back_url=branch.get_absolute_url()
    )


@login_required
def branch_close(request, pk):
    branch = get_branch_for_user(request.user, pk, write=True)
    form = BranchCloseForm(request.POST or None, branch=branch)
    if request.method == "POST" and form.is_valid():
        try:
            services.branch_close(branch=branch, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Branch %(branch)s closed.") % {"branch": branch})
            return redirect(branch)
    intro = _(
        "A closed branch leaves the active lists and keeps its history. Its secretary's term ends on the closing day."
    )
    title = _("Close %(branch)s") % {"branch": branch}
    return render_form(request, form, title=title, intro=intro, back_url=branch.get_absolute_url())


@login_required
def secretary_appoint(request, pk):
    branch = get_branch_for_user(request.user, pk, write=True)
    current = Position.objects.secretaries().current().filter(primary_branch=branch).select_related("person").first()
    people = people_visible_to(viewer_for(request.user)).filter(positions__region=branch.region)
    search_url = f"{reverse('branches:person_search')}?region={branch.region_id}"
    form = SecretaryAppointForm(request.POST or None, people=people, current=current, search_url=search_url)
    if request.method == "POST" and form.is_valid():
        try:
            position = services.secretary_appoint_with_person(branch=branch, **form.cleaned_data)
        except ValidationError as error:
            if error.code == "other_post":
                form.ask_to_confirm_other_posts(error)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("%(person)s is now the secretary.") % {"person": position.person})
            return redirect(branch)
    if current is None:
        intro = _("The post is vacant.")
    else:
        intro = _(
            "The current secretary is %(person)s (since %(date)s); their term ends on the day the new one starts."
        ) % {"person": current.person.full_name, "date": formats.date_format(current.starts_on)}
    title = _("Appoint a secretary of %(branch)s") % {"branch": branch}
    return render_form(request, form, title=title, intro=intro, back_url=branch.get_absolute_url(), wide=True)


@login_required
def secretary_end(request, pk):
    branch = get_branch_for_user(request.user, pk, write=True)
    current = Position.objects.secretaries().current().filter(primary_branch=branch).select_related("person").first()
    if current is None or branch.closed_on is not None:
        messages.info(request, _("The post is vacant."))
        return redirect(branch)
    form = SecretaryEndForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seen = Position.objects.secretaries().filter(primary_branch=branch, pk=data["position"]).first()
        try:
            if seen is None or seen.pk != current.pk:
                raise ValidationError(
                    _("Someone has just changed the secretary of this branch. Reload the page and check.")
                )
            services.secretary_end(
                branch=branch, position=seen, ends_on=data["ends_on"], reason=data["reason"], details=data["details"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The term of %(person)s has ended; the branch is vacant from %(date)s.")
                % {"person": current.person.full_name, "date": formats.date_format(data["ends_on"])},
            )
            return redirect(branch)
    intro = _(
        "%(person)s is the secretary since %(date)s. With nobody appointed in their place, the branch becomes "
        "vacant from the end of term: it shows among the branches without a secretary until someone is appointed."
    ) % {"person": current.person.full_name, "date": formats.date_format(current.starts_on)}
    title = _("End the term of the secretary of %(branch)s") % {"branch": branch}
    return render_form(request, form, title=title, intro=intro, back_url=branch.get_absolute_url())


@login_required
def posts(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    viewer = viewer_for(request.user)
    context = {
        "region": region,
        "units": selectors.region_posts(region),
        "appointable": set(roles_appointable_by(viewer, region.pk)),
    }
    return render(request, "branches/posts.html", context)


@login_required
def post_appoint(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    viewer = viewer_for(request.user)
    roles = roles_appointable_by(viewer, region.pk)
    local_branches = region.local_branches.filter(closed_on__isnull=True).order_by("name")
    post, current = None, None
    role = request.GET.get("role", "")
    if role in SINGLE_HOLDER_ROLES and role in roles:
        # The page of one secretary's post: the unit is fixed, the holder it replaces named.
        local = None
        if role in LOCAL_ROLES:
            local = found(local_branches.filter(pk=request.GET.get("local_branch", "") or 0).first())
        post = (role, local)
        holders = Position.objects.filter(role=role, **({"local_branch": local} if local else {"region": region}))
        current = holders.current().select_related("person").first()
    people = people_visible_to(viewer).filter(positions__region=region)
    search_url = f"{reverse('branches:person_search')}?region={region.pk}"
    form = PostAppointForm(
        request.POST or None,
        people=people,
        current=current,
        search_url=search_url,
        roles=roles,
        local_branches=local_branches,
        post=post,
        initial={"local_branch": request.GET.get("local_branch") or None},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "other_posts_confirmed"}
        if post is None:
            data.pop("replacing")  # several holders: nobody is replaced
        try:
            position = services.post_appoint(region=region, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(person)s: %(post)s from %(date)s.")
                % {
                    "person": position.person.full_name,
                    "post": position.get_role_display(),
                    "date": formats.date_format(position.starts_on),
                },
            )
            return redirect("branches:posts", region_pk=region.pk)
    back_url = reverse("branches:posts", kwargs={"region_pk": region.pk})
    if post is None:
        title = _("New post in %(region)s") % {"region": region.name}
        intro = _("Secretaries of the regional and local branches are appointed from the row of their post.")
    else:
        unit = post[1].name if post[1] else region.name
        title = _("Appoint: %(post)s, %(unit)s") % {"post": Role(post[0]).label, "unit": unit}
        if current is None:
            intro = _("The post is vacant.")
        else:
            intro = _(
                "The current holder is %(person)s (since %(date)s); their term ends on the day the new one starts."
            ) % {"person": current.person.full_name, "date": formats.date_format(current.starts_on)}
    return render_form(request, form, title=title, intro=intro, back_url=back_url, wide=True)


@login_required
def post_end(request, pk):
    post = get_post_for_user(request.user, pk, write=True)
    back_url = reverse("branches:posts", kwargs={"region_pk": post.region_id})
    if post.ends_on is not None and post.ends_on <= timezone.localdate():
        messages.info(request, _("This term has already ended."))
        return redirect(back_url)
    form = SecretaryEndForm(request.POST or None, current=post)
    form.fields["ends_on"].help_text = _("The first day the person no longer holds the post.")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_end(position=post, ends_on=data["ends_on"], reason=data["reason"], details=data["details"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The term of %(person)s as %(post)s ends on %(date)s.")
                % {
                    "person": post.person.full_name,
                    "post": post.get_role_display(),
                    "date": formats.date_format(data["ends_on"]),
                },
            )
            return redirect(back_url)
    unit = post.local_branch.name if post.local_branch else post.region.name
    title = _("End a term: %(post)s, %(unit)s") % {"post": post.get_role_display(), "unit": unit}
    intro = _("%(person)s holds the post since %(date)s.") % {
        "person": post.person.full_name,
        "date": formats.date_format(post.starts_on),
    }
    return render_form(request, form, title=title, intro=intro, back_url=back_url)


@login_required
def person_detail(request, pk):
    person = get_person_for_user(request.user, pk)
    positions = person.positions.select_related("region", "local_branch", "primary_branch").order_by("-starts_on")
    viewer = viewer_for(request.user)
    # Logged under the region where this viewer reached the person (else the newest post's).
    regions = [p.region_id for p in positions if p.region_id]
    region_id = next((r for r in regions if r in viewer.staff_region_ids), regions[0] if regions else None)
    services.personal_data_log(
        viewer=request.user, action=PersonalDataAccess.Action.VIEW, person=person, region=region_id
    )
    return render(
        request,
        "branches/person_detail.html",
        {
            "person": person,
            "positions": positions,
            "can_edit": viewer.is_admin or viewer.is_regional_staff,
            "sections": hooks.person_sections(viewer, person),
        },
    )


@login_required
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk, write=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(person)
    return render_form(request, form, title=person.full_name, back_url=person.get_absolute_url())


@login_required
def region_detail(request, pk):
    region = get_region_for_user(request.user, pk)
    # The trunk's figures and every app's section in one statement (branches.hooks.region_sections).
    sections, rows = hooks.region_sections(
        viewer_for(request.user), region, also=selectors.region_dashboard_queries(region)
    )
    dashboard = selectors.region_dashboard_from(rows)
    chart = _secretary_chart(
        [local.name for local in dashboard["per_local"]],
        [local.open_branches - local.without_secretary for local in dashboard["per_local"]],
        [local.without_secretary for local in dashboard["per_local"]],
    )
    context = {
        "region": region,
        **dashboard,
        "cards": selectors.totals_cards(dashboard["totals"]),
        "chart": chart,
        "sections": sections,
    }
    return render(request, "branches/region_detail.html", context)


@login_required
def local_branch_create(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    form = LocalBranchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            local_branch = services.local_branch_create(region=region, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Local branch %(name)s created.") % {"name": local_branch.name})
            return redirect(region)
    title = _("New local branch in %(region)s") % {"region": region.name}
    return render_form(request, form, title=title, back_url=region.get_absolute_url())


@login_required
def national(request):
    require_admin(request.user)
    dashboard = selectors.national_dashboard()
    chart = _secretary_chart(
        [row.region.code for row in dashboard["regions"]],
        [row.primary_branches - row.without_secretary for row in dashboard["regions"]],
        [row.without_secretary for row in dashboard["regions"]],
    )
    context = {**dashboard, "cards": selectors.totals_cards(dashboard["totals"]), "chart": chart}
    return render(request, "branches/national.html", context)


def _secretary_chart(labels, with_secretary, without_secretary) -> dict:
    return charts.chart(
        labels,
        charts.Series(_("with a secretary"), with_secretary, charts.BLUE),
        charts.Series(_("without a secretary"), without_secretary, charts.RED),
    )


@login_required
def export(request, region_pk, fmt):
    region = get_region_for_user(request.user, region_pk, write=True)
    if fmt not in CONTENT_TYPES:
        raise Http404
    services.personal_data_log(
        viewer=request.user, action=PersonalDataAccess.Action.EXPORT, region=region, detail=f"branches.{fmt}"
    )
    rows = spreadsheets.table(selectors.export_rows(region))
    return spreadsheet_response(rows, fmt=fmt, name=f"branches-{region.code}", sheet=spreadsheets.SHEET)


@login_required
def import_upload(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.import_start(actor=request.user, region=region, file_name=upload.name, content=upload.read())
        return redirect(job)
    jobs = region.import_jobs.defer("content").select_related("created_by")[:10]
    return render(request, "branches/import_upload.html", {"form": form, "region": region, "jobs": jobs})


@login_required
def import_detail(request, pk):
    job = get_import_for_user(request.user, pk)
    if request.method == "POST":
        form = ImportConfirmForm(request.POST)
        form.is_valid()
        try:
            services.import_confirm(job=job, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect(job)
    kind = request.GET.get("kind", "")
    kind = kind if kind in ImportChange.Kind.values else ""
    context = {"job": job, "kind": kind, "kinds": _import_kinds(job, kind), "query": query_without_cursor(request)}
    if job.status in {ImportJob.Status.VALIDATED, ImportJob.Status.APPLYING, ImportJob.Status.DONE}:
        context["page"] = selectors.import_changes_page(job, kind=kind, **cursor_args(request))
    template = "branches/import_detail.html#status" if request.htmx else "branches/import_detail.html"
    return render(request, template, context)


def _import_kinds(job, selected: str) -> list[dict]:
    """The preview's filters: every kind of change with its count (from the summary), all first."""
    summary = job.summary or {}
    counts = {
        ImportChange.Kind.CREATE: summary.get("create", 0),
        ImportChange.Kind.UPDATE: summary.get("update", 0),
        ImportChange.Kind.CLOSE: summary.get("close", 0),
        ImportChange.Kind.SECRETARY: summary.get("secretaries", 0),
        ImportChange.Kind.CONTACTS: summary.get("contacts", 0),
        ImportChange.Kind.LOCAL_BRANCH: summary.get("local_branches", 0),
    }
    kinds = [{"value": "", "label": _("all changes"), "count": sum(counts.values()), "selected": not selected}]
    kinds += [
        {"value": kind.value, "label": kind.label, "count": count, "selected": kind.value == selected}
        for kind, count in counts.items()
        if count
    ]
    return kinds


@login_required
def data_log(request):
    viewer = viewer_for(request.user)
    if not (viewer.is_admin or viewer.is_regional_staff):
        raise PermissionDenied
    form = DataLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.data_log_page(viewer, filters, **cursor_args(request))
    context = {"form": form, "page": page, "query": query_without_cursor(request)}
    return render(request, "branches/data_log.html", context)


@login_required
def person_search(request):
    """The answers of a person picker: people the viewer may choose (in `region`, when given), or by exact contact.

    `login=1` keeps to people with an active login (a jury scores here), by name and by contact alike.
    """
    viewer = viewer_for(request.user)
    if not (viewer.is_admin or viewer.is_regional_staff):
        raise PermissionDenied
    people = people_visible_to(viewer)
    region_id = request.GET.get("region", "")
    if region_id.isdigit():
        # A subquery, not a join: a person with two posts in the region is one answer.
        people = people.filter(pk__in=Position.objects.filter(region_id=int(region_id)).values("person_id"))
    among = None
    if request.GET.get("login") == "1":
        among = Person.objects.filter(user__is_active=True)
        people = people.filter(user__is_active=True)
    query = next((value for key, value in request.GET.items() if key.endswith("_q") or key == "q"), "")
    found, contact = selectors.person_search(people, query, among=among)
    context = {"people": found, "contact": contact, "query": query}
    return render(request, "branches/person_search.html", context)


@login_required
def preferences(request):
    """The zone and language a person chose for their pages and messages."""
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        raise Http404
    by_posts = Position.objects.current().filter(person=person, region__isnull=False).order_by("-starts_on", "-pk")
    default_zone = by_posts.values_list("region__time_zone", flat=True).first() or settings.DEFAULT_VIEWER_TIME_ZONE
    initial = {"chosen_time_zone": person.chosen_time_zone, "language": person.language}
    form = PreferencesForm(request.POST or None, initial=initial, default_zone_label=zone_label(default_zone))
    if request.method == "POST" and form.is_valid():
        person = services.person_preferences_update(person=person, **form.cleaned_data)
        zone = person.time_zone or settings.DEFAULT_VIEWER_TIME_ZONE
        messages.success(request, _("Saved. Times are now shown in %(zone)s.") % {"zone": zone_label(zone)})
        return redirect("branches:preferences")
    intro = _("Pages and messages show times in %(zone)s.") % {
        "zone": zone_label(person.time_zone or settings.DEFAULT_VIEWER_TIME_ZONE)
    }
    return render_form(request, form, title=_("Time zone and language"), intro=intro)
