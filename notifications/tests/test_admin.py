"""The notifications admin: read only, its one write an action that calls the service."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Notification, Preferences

pytestmark = pytest.mark.django_db


def test_staff_queue_failed_emails_again_from_the_read_only_list(client_for, plan):
    plan("secretary", "k")
    services.deliver_due()
    Notification.objects.filter(key="k").update(email_status=Notification.EmailStatus.FAILED, email_attempts=5)
    notification = Notification.objects.get(key="k")
    response = client_for("admin").post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry_email", "_selected_action": [notification.pk]},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (Notification.EmailStatus.QUEUED, 0)


def test_preferences_saved_in_the_admin_go_through_the_service(client_for, cast):
    response = client_for("admin").post(
        reverse("admin:notifications_preferences_add"),
        {"person": cast.person("host").pk, "language": "en", "email_off": "general.message,no.such.kind"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    preferences = Preferences.objects.select_related("person").get(person=cast.person("host"))
    assert (preferences.person.language, preferences.email_off) == ("en", ["general.message"])
