"""Checking in at the door with a personal code: a wrong, reused or other event's code is refused."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from events import services
from events.models import Mark
from events.tests.conftest import make_event


@pytest.fixture
def started(cast, event):
    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        yield event


def _code(cast, event):
    return event.expected.get(person=cast.person("secretary")).check_in_code


def test_a_code_checks_its_person_in_once(cast, event, started):
    code = _code(cast, event)
    line = services.check_in(event=event, code=code.lower(), by=cast.person("staff_a"))
    assert (line.person, line.mark) == (cast.person("secretary"), Mark.CAME)
    assert line.mark_records.count() == 1
    with pytest.raises(ValidationError, match="already checked in"):
        services.check_in(event=event, code=code, by=cast.person("staff_a"))


def test_a_wrong_code_is_refused(cast, event, started):
    with pytest.raises(ValidationError, match="No one on this event"):
        services.check_in(event=event, code="WRONG123", by=None)


def test_a_code_of_another_event_is_refused(cast, event, started):
    other = make_event(cast, published=False, title="Другое")
    other = services.event_publish(event=other, now=event.starts_at - timedelta(days=3))
    with pytest.raises(ValidationError, match="No one on this event"):
        services.check_in(event=event, code=_code(cast, other), by=None)


def test_check_in_before_the_start_is_refused(cast, event):
    with pytest.raises(ValidationError, match="started"):
        services.check_in(event=event, code=_code(cast, event), by=None)


def test_the_code_travels_in_the_post_body_and_the_person_sees_theirs(cast, event, client_for):
    page = client_for("secretary").get(event.get_absolute_url()).content.decode()
    code = _code(cast, event)
    assert code in page
    with time_machine.travel(event.starts_at + timedelta(minutes=5), tick=False):
        url = reverse("events:check_in", args=[event.pk])
        assert code not in url
        response = client_for("staff_a").post(url, {"code": code})
    assert response.status_code == 302
    assert event.expected.get(person=cast.person("secretary")).mark == Mark.CAME


def test_the_person_sees_the_qr_image_of_their_code(cast, event, client_for):
    from events.qr import check_in_qr

    page = client_for("secretary").get(event.get_absolute_url()).content.decode()
    image = check_in_qr(_code(cast, event))
    assert image.startswith("data:image/svg+xml")
    assert f'src="{image}"' in page


def test_the_organiser_does_not_see_someone_elses_qr(cast, event, client_for):
    page = client_for("staff_a").get(event.get_absolute_url()).content.decode()
    assert 'data-testid="check-in-qr"' not in page


def test_the_check_in_page_loads_the_vendored_scanner(cast, event, client_for):
    page = client_for("staff_a").get(reverse("events:check_in", args=[event.pk])).content.decode()
    assert "vendor/jsqr/jsQR.js" in page
    assert "js/check-in.js" in page
    assert "data-scanner" in page
