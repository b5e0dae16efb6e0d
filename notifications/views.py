from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.models import Person
from core.access import viewer_for
from core.pagination import cursor_args, query_without_cursor
from notifications import selectors, services
from notifications.access import get_notification_for_user
from notifications.forms import PreferencesForm
from notifications.models import Notification, Preferences


@login_required
def inbox(request):
    viewer = viewer_for(request.user)
    page = selectors.inbox_page(person_id=viewer.person_id, **cursor_args(request))
    failed_emails = None
    if viewer.is_admin:
        failed_emails = Notification.objects.filter(email_status=Notification.EmailStatus.FAILED).count()
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "query": query_without_cursor(request),
            "has_person": viewer.person_id is not None,
            "failed_emails": failed_emails,
        },
    )


@login_required
def detail(request, pk):
    """Show a message and mark it read; with ?go, go straight on to what it is about."""
    notification = get_notification_for_user(request.user, pk)
    was_unread = notification.read_at is None
    services.notification_mark_read(notification=notification)
    if "go" in request.GET and notification.url:
        return redirect(notification.url)
    # The viewer counted the unread messages before this one was read.
    unread = max(viewer_for(request.user).unread_notifications - was_unread, 0)
    return render(request, "notifications/detail.html", {"notification": notification, "unread_notifications": unread})


@login_required
@require_POST
def read(request, pk):
    notification = get_notification_for_user(request.user, pk, write=True)
    services.notification_mark_read(notification=notification)
    if not request.htmx:
        return redirect("notifications:inbox")
    # The row, and the navigation's unread badge swapped out of band.
    unread = Notification.objects.unread().filter(recipient_id=notification.recipient_id).count()
    row = render_to_string("notifications/inbox.html#row", {"notification": notification}, request)
    badge = render_to_string("base.html#unread-badge", {"unread_notifications": unread, "oob": True}, request)
    return HttpResponse(row + badge)


@login_required
@require_POST
def read_all(request):
    count = services.notifications_mark_all_read(person=_person(request))
    if count:
        messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    person = _person(request)
    current = Preferences.objects.filter(person=person).first() or Preferences(person=person)
    form = PreferencesForm(request.POST or None, person=person, preferences=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(person=person, language=form.cleaned_data["language"], email_off=form.email_off())
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


def _person(request) -> Person:
    """The person linked to the login: the only one whose inbox and settings it reaches."""
    person_id = viewer_for(request.user).person_id
    if person_id is None:
        raise Http404
    return Person.objects.get(pk=person_id)
