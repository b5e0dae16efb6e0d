"""A person chooses the time zone of their pages and messages; the default is their newest post's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Person, Role

pytestmark = pytest.mark.django_db


def _zone(person) -> str:
    return Person.objects.get(pk=person.pk).time_zone


def test_a_chosen_zone_wins_over_the_posts_and_survives_a_new_post(client_for, cast):
    person = cast.person("staff_a")  # Amur staff: Asia/Yakutsk by their post
    client = client_for("staff_a")
    page = client.get(reverse("branches:preferences")).content.decode()
    assert "По моей последней должности (сейчас МСК+6 (UTC+9))" in page
    response = client.post(reverse("branches:preferences"), {"chosen_time_zone": "Europe/Moscow", "language": ""})
    assert response.status_code == 302
    assert _zone(person) == "Europe/Moscow"
    # A new post in Karelia would change the zone by posts; the choice stays.
    services.position_create(
        person=person, role=Role.REGIONAL_STAFF, region=cast.region_b, starts_on=timezone.localdate()
    )
    assert _zone(person) == "Europe/Moscow"
    # Pages show it: the menu names the zone in use.
    home = client.get(reverse("branches:preferences")).content.decode()
    assert "время: московское время (UTC+3)" in home


def test_going_back_to_the_default_follows_the_newest_post_again(client_for, cast):
    person = cast.person("secretary")
    services.person_preferences_update(person=person, chosen_time_zone="Europe/Moscow", language="")
    assert _zone(person) == "Europe/Moscow"
    services.person_preferences_update(person=person, chosen_time_zone="", language="en")
    assert _zone(person) == "Asia/Yakutsk"
    assert Person.objects.get(pk=person.pk).language == "en"


def test_an_unknown_zone_is_refused(client_for, cast):
    response = client_for("secretary").post(reverse("branches:preferences"), {"chosen_time_zone": "Mars/Olympus"})
    assert "chosen_time_zone" in response.context["form"].errors
    assert _zone(cast.person("secretary")) == "Asia/Yakutsk"
