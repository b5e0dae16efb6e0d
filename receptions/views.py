import zoneinfo
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from assignments.selectors import assignment_list_page
from branches.access import get_region_for_user
from core import charts
from core.access import require_admin, viewer_for
from core.calendar_feed import entries_for as calendar_entries_for
from core.pagination import cursor_args, query_without_cursor
from core.shortcuts import private_download, render_form
from receptions import calendars, selectors, services
from receptions.access import (
    booking_side,
    get_booking_for_user,
    get_calendar_feed_by_token,
    get_day_off_for_user,
    get_host_for_user,
    get_schedule_for_user,
    get_slot_for_user,
    host_serves,
)
from receptions.forms import (
    BookingCancelForm,
    BookingForm,
    BookingMoveForm,
    DayOffForm,
    FollowUpFormSet,
    OutcomeForm,
    PolicyForm,
    ScheduleEndForm,
    ScheduleForm,
)
from receptions.models import NOTICE, Booking, CalendarFeed, DayOff

# Secretaries -------------------------------------------------------------------------


@login_required
def hosts(request):
    viewer = viewer_for(request.user)
    if not viewer.is_secretary:
        raise PermissionDenied
    context = {
        "hosts": selectors.hosts_for_secretary(viewer),
        "bookings": selectors.secretary_bookings(viewer.person_id),
    }
    return render(request, "receptions/hosts.html", context)


@login_required
def host_slots(request, pk):
    position = get_host_for_user(request.user, pk)
    viewer = viewer_for(request.user)
    can_book = host_serves(viewer, position)
    active = (
        Booking.objects.active().filter(secretary_id=viewer.person_id, host_id=position.person_id).first()
        if can_book
        else None
    )
    context = {
        "position": position,
        "days": selectors.by_local_day(selectors.free_slots(position)),
        "can_book": can_book,
        "active": active,
        "host_zone": position.region.time_zone,
    }
    return render(request, "receptions/host_slots.html", context)


@login_required
def slot_book(request, pk):
    slot = get_slot_for_user(request.user, pk, write=True)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(slot=slot, secretary=request.user.person, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reception is booked. The host has been told."))
            return redirect(booking)
    context = {"slot": slot, "position": slot.schedule.position, "form": form}
    return render(request, "receptions/slot_book.html", context)


# Bookings ------------------------------------------------------------------------


@login_required
def booking_detail(request, pk):
    booking = get_booking_for_user(request.user, pk)
    side = booking_side(viewer_for(request.user), booking)
    now = timezone.now()
    active = booking.status == Booking.Status.BOOKED
    context = {
        "booking": booking,
        "side": side,
        "follow_ups": selectors.follow_ups(booking),
        "host_zone": booking.slot.schedule.position.region.time_zone,
        "can_change": side == "secretary" and active and booking.slot.starts_at - now >= NOTICE,
        "can_cancel_as_host": side == "host" and active and booking.slot.starts_at > now,
        "can_record": side == "host" and booking.status != Booking.Status.CANCELLED and booking.slot.starts_at <= now,
    }
    return render(request, "receptions/booking_detail.html", context)


@login_required
def booking_cancel(request, pk):
    booking = get_booking_for_user(request.user, pk, write=True)
    side = booking_side(viewer_for(request.user), booking)
    form = BookingCancelForm(request.POST or None, reason_required=side == "host")
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_cancel(booking=booking, by=side, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reception is cancelled. The other side has been told."))
            return redirect(booking)
    return render_form(request, form, title=_("Cancel the reception"), back_url=booking.get_absolute_url())


@login_required
def booking_move(request, pk):
    booking = get_booking_for_user(request.user, pk, write=True, side="secretary")
    slots = selectors.bookable_slots(booking.slot.schedule.position).exclude(pk=booking.slot_id)
    form = BookingMoveForm(request.POST or None, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            services.booking_move(booking=booking, slot=form.cleaned_data["slot"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reception is moved. The host has been told."))
            return redirect(booking)
    intro = _("Times are shown in your time zone. Only the free times of the same host are offered.")
    return render_form(request, form, title=_("Move the reception"), back_url=booking.get_absolute_url(), intro=intro)


@login_required
def booking_outcome(request, pk):
    booking = get_booking_for_user(request.user, pk, write=True, side="host")
    initial = [
        {"id": item.id, "kind": item.kind, "text": item.text, "owner": item.owner, "due_on": item.due_on,
         "status": item.status}
        for item in selectors.follow_ups(booking)
    ]  # fmt: skip
    data = request.POST if request.method == "POST" else None
    form = OutcomeForm(data, initial={"status": booking.status, "outcome": booking.outcome})
    formset = FollowUpFormSet(data, initial=initial, prefix="follow_ups")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.booking_outcome_record(booking=booking, follow_ups=formset.inputs(), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outcome is saved. The secretary can see it."))
            return redirect(booking)
    context = {"booking": booking, "form": form, "formset": formset}
    return render(request, "receptions/booking_outcome.html", context)


@login_required
@private_download
def booking_ics(request, pk):
    booking = get_booking_for_user(request.user, pk)
    response = HttpResponse(calendars.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    day = timezone.localtime(booking.slot.starts_at).date()
    response["Content-Disposition"] = f'attachment; filename="reception-{day:%Y-%m-%d}.ics"'
    return response


# Hosts -----------------------------------------------------------------------------


@login_required
def host_manage(request, pk):
    position = get_host_for_user(request.user, pk, write=True)
    zone = zoneinfo.ZoneInfo(position.region.time_zone)
    today = timezone.now().astimezone(zone).date()
    context = {
        "position": position,
        "host_zone": position.region.time_zone,
        "today": today,
        "schedules": selectors.host_schedules(position),
        "days_off": list(DayOff.objects.filter(host_id=position.person_id, date__gte=today)),
        **selectors.host_bookings(position.person),
    }
    return render(request, "receptions/host_manage.html", context)


@login_required
def host_follow_ups(request, pk):
    """A host's follow-ups of their receptions in the region: open ones first, overdue first (one query a page)."""
    position = get_host_for_user(request.user, pk, write=True)
    follow_ups = selectors.host_follow_ups(position.person_id, position.region_id)
    if request.GET.get("all") != "1":
        follow_ups = follow_ups.unfinished()
    zone = zoneinfo.ZoneInfo(position.region.time_zone)
    context = {
        "page": assignment_list_page(follow_ups, **cursor_args(request)),
        "query": query_without_cursor(request),
        "today": timezone.now().astimezone(zone).date(),
        "title": _("Follow-ups of receptions: %(host)s") % {"host": position.person.full_name},
        "back_url": reverse("receptions:host_manage", kwargs={"pk": position.pk}),
        "show_all_url": "?all=1" if request.GET.get("all") != "1" else "?",
        "show_owner": True,
    }
    return render(request, "assignments/list.html", context)


@login_required
def region_follow_ups(request, region_pk):
    """A region's follow-ups of receptions, every host's: open ones first, overdue first (one query a page)."""
    region = get_region_for_user(request.user, region_pk)
    follow_ups = selectors.region_follow_ups(region.pk)
    if request.GET.get("all") != "1":
        follow_ups = follow_ups.unfinished()
    context = {
        "page": assignment_list_page(follow_ups, **cursor_args(request)),
        "query": query_without_cursor(request),
        "today": region.today(),
        "title": _("Voters' requests and follow-ups of receptions: %(region)s") % {"region": region.name},
        "back_url": reverse("receptions:report", kwargs={"region_pk": region.pk}),
        "show_all_url": "?all=1" if request.GET.get("all") != "1" else "?",
        "show_owner": True,
    }
    return render(request, "assignments/list.html", context)


@login_required
def host_day(request, pk, day):
    position = get_host_for_user(request.user, pk, write=True)
    zone = zoneinfo.ZoneInfo(position.region.time_zone)
    context = {
        "position": position,
        "host_zone": position.region.time_zone,
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "slots": selectors.host_day(position.person, day, zone),
    }
    return render(request, "receptions/host_day.html", context)


@login_required
def schedule_create(request, pk):
    position = get_host_for_user(request.user, pk, write=True)
    form = ScheduleForm(request.POST or None, zone_name=position.region.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_create(position=position, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The hours are published; secretaries can book them."))
            return redirect("receptions:host_manage", pk=position.pk)
    return render_form(request, form, title=_("New reception hours"), back_url=_manage_url(position.pk))


@login_required
def schedule_end(request, pk):
    schedule = get_schedule_for_user(request.user, pk, write=True)
    form = ScheduleEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_end(schedule=schedule, last_day=form.cleaned_data["last_day"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The hours end on that day. Booked receptions stay."))
            return redirect("receptions:host_manage", pk=schedule.position_id)
    title = _("End the hours: %(hours)s") % {"hours": schedule.describe()}
    return render_form(request, form, title=title, back_url=_manage_url(schedule.position_id))


@login_required
def day_off_create(request, pk):
    position = get_host_for_user(request.user, pk, write=True)
    form = DayOffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.day_off_create(position=position, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The day is marked. Its bookings are cancelled and the secretaries told."))
            return redirect("receptions:host_manage", pk=position.pk)
    intro = _("Bookings of that day are cancelled; each secretary is told and offered the next free times.")
    return render_form(
        request, form, title=_("A day without receptions"), back_url=_manage_url(position.pk), intro=intro
    )


@login_required
def day_off_remove(request, pk, day_off_pk):
    position, day_off = get_day_off_for_user(request.user, pk, day_off_pk, write=True)
    if request.method == "POST":
        services.day_off_remove(day_off=day_off)
        messages.success(
            request, _("Receptions on %(date)s are open again.") % {"date": formats.date_format(day_off.date)}
        )
        return redirect("receptions:host_manage", pk=position.pk)
    return render(request, "receptions/day_off_remove.html", {"position": position, "day_off": day_off})


# Calendars -----------------------------------------------------------------------


@login_required
def calendar(request):
    viewer = viewer_for(request.user)
    if viewer.person_id is None or not (viewer.is_secretary or viewer.is_host):
        raise PermissionDenied
    person = request.user.person
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(person=person)
            messages.success(request, _("The calendar address no longer works."))
        else:
            _feed, token = services.calendar_feed_create(person=person)
            request.session["calendar_token"] = token  # shown once, on the next page
        return redirect("receptions:calendar")
    token = request.session.pop("calendar_token", None)
    context = {
        "feed": CalendarFeed.objects.filter(person=person, revoked_at__isnull=True).first(),
        "feed_url": request.build_absolute_uri(reverse("receptions:calendar_feed", args=[token])) if token else "",
    }
    return render(request, "receptions/calendar.html", context)


@private_download
def calendar_feed(request, token):
    """A private feed, reached without logging in: the secret token in the address is the key."""
    feed = get_calendar_feed_by_token(token)
    bookings = selectors.feed_bookings(feed.person)
    body = calendars.feed_ics(
        bookings,
        name=_("Receptions: %(person)s") % {"person": feed.person.full_name},
        extra=calendar_entries_for(feed.person),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# Regularity --------------------------------------------------------------------------


@login_required
def report(request, region_pk):
    region = get_region_for_user(request.user, region_pk)
    first = selectors.month_start(request.GET.get("month"), zoneinfo.ZoneInfo(region.time_zone))
    data = selectors.regularity_report(region, first)
    status = request.GET.get("status", "")
    shown = [row for row in data["hosts"] if row.status == status] if status in data["by_status"] else data["hosts"]
    per_local = data["per_local"]
    chart = charts.chart(
        [row["local_branch__name"] for row in per_local],
        charts.Series(_("received in the last quarter"), [row["received"] for row in per_local], charts.GREEN),
        charts.Series(_("not received"), [row["total"] - row["received"] for row in per_local], charts.RED),
    )
    context = {
        "region": region,
        **data,
        "shown": shown,
        "status": status,
        "chart": chart,
        "previous": selectors.previous_month(first),
        "next": selectors.next_month(first),
        "can_edit": viewer_for(request.user).staffs_region(region.pk),
    }
    return render(request, "receptions/report.html", context)


@login_required
def policy_edit(request, region_pk):
    region = get_region_for_user(request.user, region_pk, write=True)
    policy = selectors.policy_for(region)
    initial = {"held_per_month": policy.held_per_month, "bookings_per_month": policy.bookings_per_month}
    form = PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(region=region, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The norm is saved."))
            return redirect("receptions:report", region_pk=region.pk)
    title = _("Reception norm: %(region)s") % {"region": region}
    return render_form(request, form, title=title, back_url=reverse("receptions:report", args=[region.pk]))


@login_required
def national_report(request):
    require_admin(request.user)
    first = selectors.month_start(request.GET.get("month"), zoneinfo.ZoneInfo("Europe/Moscow"))
    rows = selectors.national_regularity(first)
    context = {
        "rows": rows,
        "month": first,
        "previous": selectors.previous_month(first),
        "next": selectors.next_month(first),
        "totals": {
            name: sum(getattr(row, name) for row in rows)
            for name in ("hosts", "behind", "held", "missed", "open", "secretaries", "not_received")
        },
    }
    return render(request, "receptions/national_report.html", context)


def _manage_url(position_pk: int) -> str:
    return reverse("receptions:host_manage", args=[position_pk])
