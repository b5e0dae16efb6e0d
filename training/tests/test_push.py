"""The platform's signed push: HMAC of the body with the shared secret, idempotent."""

import json

import pytest
from django.urls import reverse

from training.models import AssignmentStatus, CompletionRecord
from training.services import push_signature
from training.tests.factories import PLATFORM_COURSE_ID, link, secretary_assignment

pytestmark = pytest.mark.django_db

SECRET = "shared-secret"
BODY = json.dumps(
    {"platform_user_id": "u-100", "course": PLATFORM_COURSE_ID, "completed_at": "2026-09-10T12:00:00+00:00"}
).encode()


def _push(client, body=BODY, signature=None):
    return client.post(
        reverse("training:push"),
        data=body,
        content_type="application/json",
        headers={"X-Signature": signature if signature is not None else push_signature(body, SECRET)},
    )


def test_a_signed_push_completes_the_course_and_twice_changes_nothing(cast, client, settings):
    settings.TRAINING_PUSH_SECRET = SECRET
    assignment = secretary_assignment(cast)
    link(cast)
    first = _push(client)
    assert first.status_code == 200 and first.json()["new"] == 1
    again = _push(client)
    assert again.status_code == 200 and again.json()["new"] == 0
    assert CompletionRecord.objects.count() == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED


def test_a_wrong_signature_is_refused(cast, client, settings):
    settings.TRAINING_PUSH_SECRET = SECRET
    assert _push(client, signature="sha256=00").status_code == 403
    assert _push(client, signature=push_signature(BODY, "another")).status_code == 403
    assert not CompletionRecord.objects.exists()


def test_pushes_are_refused_while_no_secret_is_set(cast, client, settings):
    settings.TRAINING_PUSH_SECRET = ""
    assert _push(client, signature=push_signature(BODY, "")).status_code == 403


def test_a_signed_body_that_is_no_completion_is_a_400(cast, client, settings):
    settings.TRAINING_PUSH_SECRET = SECRET
    body = json.dumps({"platform_user_id": "u-1", "course": "unknown"}).encode()
    response = _push(client, body=body)
    assert response.status_code == 400
    assert "неизвестный курс" in response.json()["error"]
