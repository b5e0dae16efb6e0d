from datetime import timedelta

import pytest
from django.urls import reverse

from branches.models import Person
from notifications import kinds, services
from notifications.models import Notification, Preferences

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(plan):
    """Deliver general messages to a role: `delivered("secretary", "a", "b")` returns them by key."""

    def make(role, *keys, **options):
        for key in keys:
            plan(role, key, subject=f"Тема {key}", **options)
        services.deliver_due()
        return {key: Notification.objects.get(key=key) for key in keys}

    return make


def test_the_inbox_lists_the_viewers_own_messages_newest_first(client_for, delivered):
    delivered("secretary", "first")
    delivered("secretary", "second")
    delivered("host", "not-mine")
    page = client_for("secretary").get(reverse("notifications:inbox")).content.decode()
    assert page.index("Тема second") < page.index("Тема first")
    assert "Тема not-mine" not in page


def test_the_inbox_page_runs_a_fixed_number_of_queries(client_for, delivered, django_assert_num_queries):
    delivered("secretary", *[f"k{n}" for n in range(12)])
    browser = client_for("secretary")
    # 1 session, 2 user, 3 the viewer's positions with the unread count for the badge in the
    # navigation (branches.access.build_viewer), 4 this page of the inbox.
    with django_assert_num_queries(4):
        response = browser.get(reverse("notifications:inbox"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="notification"') == 12


def test_the_inbox_pages_older_messages_with_a_cursor(client_for, delivered, monkeypatch):
    monkeypatch.setattr("notifications.selectors.INBOX_PAGE_SIZE", 2)
    delivered("secretary", "a", "b", "c")
    browser = client_for("secretary")
    first = browser.get(reverse("notifications:inbox"))
    assert [n.key for n in first.context["page"].rows] == ["c", "b"]
    cursor = first.context["page"].next_cursor
    second = browser.get(reverse("notifications:inbox"), {"after": cursor})
    assert [n.key for n in second.context["page"].rows] == ["a"]
    assert second.context["page"].next_cursor is None


def test_a_malformed_cursor_starts_from_the_newest(client_for, delivered):
    delivered("secretary", "a")
    response = client_for("secretary").get(reverse("notifications:inbox"), {"after": "junk-'"})
    assert [n.key for n in response.context["page"].rows] == ["a"]


def test_the_navigation_shows_the_unread_count(client_for, delivered):
    delivered("secretary", "a", "b")
    page = client_for("secretary").get(reverse("desk:home")).content.decode()
    assert 'data-testid="inbox-link"' in page
    badge = page[page.index('id="unread-badge"') :][:200]
    assert "d-none" not in badge
    assert ">\n                      2<" in badge or "2<span" in badge


def test_opening_a_message_marks_it_read(client_for, delivered):
    message = delivered("secretary", "a")["a"]
    response = client_for("secretary").get(reverse("notifications:detail", args=[message.pk]))
    assert response.status_code == 200
    assert "Тема a" in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None


def test_the_badge_counts_the_unread_messages_and_leaves_out_the_one_being_opened(client_for, delivered):
    messages = delivered("secretary", "a", "b", "c")
    browser = client_for("secretary")
    assert browser.get(reverse("notifications:inbox")).context["unread_notifications"] == 3
    response = browser.get(reverse("notifications:detail", args=[messages["a"].pk]))
    assert response.context["unread_notifications"] == 2  # counted with the viewer, before "a" was read
    response = browser.get(reverse("notifications:detail", args=[messages["a"].pk]))
    assert response.context["unread_notifications"] == 2  # read already: nothing to leave out
    assert browser.get(reverse("desk:home")).context["unread_notifications"] == 2


def test_go_marks_read_and_leads_to_what_the_message_is_about(client_for, delivered):
    message = delivered("secretary", "a", url="/password/")["a"]
    response = client_for("secretary").get(reverse("notifications:detail", args=[message.pk]) + "?go")
    assert response.status_code == 302
    assert response["Location"] == "/password/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_mark_as_read_through_htmx_swaps_the_row_and_the_badge(client_for, delivered):
    messages = delivered("secretary", "a", "b")
    response = client_for("secretary").post(
        reverse("notifications:read", args=[messages["a"].pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notification-{messages["a"].pk}"' in body
    assert "Mark as read" not in body and "Отметить прочитанным" not in body
    assert 'hx-swap-oob="true"' in body
    assert Notification.objects.unread().count() == 1


def test_mark_all_as_read_leaves_other_peoples_messages_alone(client_for, delivered):
    delivered("secretary", "a", "b")
    delivered("host", "c")
    client_for("secretary").post(reverse("notifications:read_all"))
    assert list(Notification.objects.unread().values_list("key", flat=True)) == ["c"]


def test_someone_elses_message_is_not_found(client_for, delivered):
    message = delivered("secretary", "a")["a"]
    assert client_for("host").get(reverse("notifications:detail", args=[message.pk])).status_code == 404
    assert client_for("admin").post(reverse("notifications:read", args=[message.pk])).status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_a_message_not_yet_delivered_is_not_in_the_inbox(client_for, plan):
    message = plan("secretary", "later", due_in=timedelta(hours=1))
    browser = client_for("secretary")
    assert browser.get(reverse("notifications:detail", args=[message.pk])).status_code == 404
    assert "later" not in browser.get(reverse("notifications:inbox")).content.decode()


def test_administrators_see_how_many_emails_failed(client_for, delivered):
    message = delivered("secretary", "a")["a"]
    Notification.objects.filter(pk=message.pk).update(email_status=Notification.EmailStatus.FAILED)
    assert 'data-testid="failed-emails"' in client_for("admin").get(reverse("notifications:inbox")).content.decode()
    assert (
        'data-testid="failed-emails"' not in client_for("staff_a").get(reverse("notifications:inbox")).content.decode()
    )


def test_preferences_turn_email_off_per_kind_and_set_the_language(cast, client_for):
    response = client_for("secretary").post(reverse("notifications:preferences"), {"language": "en"})
    assert response.status_code == 302
    preferences = Preferences.objects.get(person=cast.person("secretary"))
    assert Person.objects.get(pk=cast.person("secretary").pk).language == "en"  # the language is the person's
    # Nothing ticked: every registered kind is off (other apps register kinds of their own).
    assert sorted(preferences.email_off) == [kind.name for kind in kinds.all_kinds()]
    client_for("secretary").post(
        reverse("notifications:preferences"), {"language": "ru", "email_kinds": ["general.message"]}
    )
    preferences.refresh_from_db()
    assert Person.objects.get(pk=cast.person("secretary").pk).language == "ru"
    assert "general.message" not in preferences.email_off


def test_the_preferences_form_starts_from_what_is_saved(cast, client_for):
    services.preferences_update(person=cast.person("host"), language="en", email_off=["general.message"])
    form = client_for("host").get(reverse("notifications:preferences")).context["form"]
    assert form.initial["language"] == "en"
    assert "general.message" not in form.initial["email_kinds"]  # other apps' kinds stay on


def test_the_admin_finds_a_notification_by_key_prefix_and_filters_failed_emails(client_for, delivered):
    delivered("secretary", "reception:42:reminder-24h", "council:1:session")
    browser = client_for("admin")
    url = reverse("admin:notifications_notification_changelist")
    found = browser.get(url, {"q": "reception:42:"})
    assert [n.key for n in found.context["cl"].result_list] == ["reception:42:reminder-24h"]
    failed = browser.get(url, {"email_status__exact": "failed"})
    assert failed.status_code == 200
    assert list(failed.context["cl"].result_list) == []
