"""A person who moved away: the old region's staff no longer see or change them; the new region's do.

Staff reach a person while the person holds, or is about to hold, a position in their region
(branches.access.people_visible_to); past holders stay in the branch's history by name only.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Position

pytestmark = pytest.mark.django_db


def _move_to_karelia(cast, *, on):
    """The Amur secretary ends her Amur post and becomes secretary of №80 in Karelia on `on`."""
    person = cast.person("secretary")
    amur = Position.objects.secretaries().current().get(person=person)
    services.position_end(position=amur, ends_on=on, reason="Переезд")
    services.secretary_appoint(branch=cast.branch_b, person=person, starts_on=on)
    return person


def test_the_old_region_loses_the_person_who_moved_and_the_new_one_gains_her(client_for, cast):
    person = _move_to_karelia(cast, on=timezone.localdate())
    amur, karelia = client_for("staff_a"), client_for("staff_b")
    page, edit = reverse("branches:person", args=[person.pk]), reverse("branches:person_edit", args=[person.pk])

    assert amur.get(page).status_code == 404
    assert amur.get(edit).status_code == 404
    data = {"last_name": "Изменённая", "first_name": person.first_name, "email": "x@example.org"}
    assert amur.post(edit, data).status_code == 404
    person.refresh_from_db()
    assert person.last_name == "Секретарёва"

    response = karelia.get(page)
    assert response.status_code == 200
    assert "Голиковка" in response.content.decode()

    # Amur's branch keeps her in its history, by name, without a way to her page.
    history = amur.get(cast.branch_a.get_absolute_url()).content.decode()
    assert person.full_name in history
    assert page not in history


def test_a_person_about_to_move_is_seen_by_both_regions_until_the_day(client_for, cast, settings):
    day = timezone.localdate() + timedelta(days=10)
    person = _move_to_karelia(cast, on=day)
    page = reverse("branches:person", args=[person.pk])
    assert client_for("staff_a").get(page).status_code == 200  # still holds the Amur post
    assert client_for("staff_b").get(page).status_code == 200  # about to hold the Karelian one
    assert client_for("secretary").get(page).status_code == 200  # everyone reaches themselves
