"""Each person's desk: what needs them now, gathered from the apps, or plainly nothing."""

from django.urls import reverse

from notifications import services
from notifications.kinds import GENERAL_MESSAGE


def test_a_person_with_nothing_to_do_is_told_so(client_for):
    response = client_for("juror").get(reverse("desk:home"))
    assert response.context["items"] == []
    assert "Сейчас от вас ничего не требуется." in response.content.decode()


def test_unread_messages_are_on_the_desk_with_their_count(client_for, cast, django_capture_on_commit_callbacks):
    from django.utils import timezone

    for number in range(2):
        services.notification_plan(
            recipient=cast.person("secretary"),
            kind=GENERAL_MESSAGE.name,
            key=f"desk-test:{number}",
            due_at=timezone.now(),
            context={"subject": "Тема", "body": "Текст"},
        )
    services.deliver_due()
    response = client_for("secretary").get(reverse("desk:home"))
    (item,) = response.context["items"]
    assert (item.title, item.count, item.url) == ("Непрочитанные сообщения", 2, reverse("notifications:inbox"))
