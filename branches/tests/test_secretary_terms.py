"""A secretary's term: ended without a successor, withdrawn when the branch closes that day, a second post confirmed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Position, Role
from core.testing import run_concurrently

pytestmark = pytest.mark.django_db


def _secretary(branch):
    return Position.objects.secretaries().current().filter(primary_branch=branch).first()


def test_closing_a_branch_the_day_its_secretary_was_appointed_withdraws_the_appointment(client_for, cast):
    today = timezone.localdate()
    newcomer = services.person_create(last_name="Однодневкин", first_name="Олег")
    services.secretary_appoint(branch=cast.branch_a2, person=newcomer, starts_on=today)
    response = client_for("staff_a").post(
        reverse("branches:branch_close", args=[cast.branch_a2.pk]), {"closed_on": today.isoformat()}, follow=True
    )
    assert "закрыто" in response.content.decode()
    position = Position.objects.get(person=newcomer)
    assert position.ends_on == position.starts_on == today  # held no day
    assert position.end_reason.startswith("назначение отменено")
    assert _secretary(cast.branch_a2) is None


def test_closing_a_branch_withdraws_an_appointment_that_had_not_started(cast):
    today = timezone.localdate()
    later = services.person_create(last_name="Будущий", first_name="Борис")
    services.secretary_appoint(branch=cast.branch_a, person=later, starts_on=today + timedelta(days=10))
    services.branch_close(branch=cast.branch_a, closed_on=today + timedelta(days=3))
    terms = {p.person.last_name: p for p in Position.objects.filter(primary_branch=cast.branch_a)}
    assert terms["Секретарёва"].ends_on == today + timedelta(days=3)
    assert terms["Будущий"].ends_on == terms["Будущий"].starts_on


def test_a_term_of_no_days_needs_a_reason_in_the_database(cast):
    position = _secretary(cast.branch_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.filter(pk=position.pk).update(ends_on=position.starts_on, end_reason="")


def test_staff_end_a_term_without_a_successor_and_the_branch_becomes_vacant(client_for, cast):
    client = client_for("staff_a")
    url = reverse("branches:secretary_end", args=[cast.branch_a.pk])
    page = client.get(url).content.decode()
    assert "станет вакантным" in page
    current = _secretary(cast.branch_a)
    today = timezone.localdate()
    response = client.post(
        url,
        {"ends_on": today.isoformat(), "reason": "illness", "details": "по заявлению", "position": current.pk},
        follow=True,
    )
    assert "вакантно с" in response.content.decode()
    current.refresh_from_db()
    assert (current.ends_on, current.end_reason) == (today, "болезнь: по заявлению")
    assert _secretary(cast.branch_a) is None
    # The page it came from is stale now: a second submission says so instead of ending anything.
    again = client.post(url, {"ends_on": today.isoformat(), "reason": "other", "position": current.pk}, follow=True)
    assert "Должность вакантна." in again.content.decode()
    assert Position.objects.get(pk=current.pk).end_reason == "болезнь: по заявлению"


def test_ending_a_term_that_someone_just_replaced_is_refused(cast):
    seen = _secretary(cast.branch_a)
    successor = services.person_create(last_name="Преемников", first_name="Пётр")
    services.secretary_appoint(branch=cast.branch_a, person=successor, starts_on=timezone.localdate())
    seen.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.secretary_end(branch=cast.branch_a, position=seen, ends_on=timezone.localdate(), reason="resignation")
    assert error.value.code == "stale"


@pytest.mark.django_db(transaction=True)
def test_an_end_and_an_appointment_at_once_leave_one_consistent_answer(cast):
    """The branch lock orders them: the end, then the appointment (or the reverse, and the end is stale)."""
    seen = _secretary(cast.branch_a)
    successor = services.person_create(last_name="Одновременный", first_name="Олег")
    day = timezone.localdate()

    def act(what):
        if what == "end":
            return services.secretary_end(branch=cast.branch_a, position=seen, ends_on=day, reason="resignation")
        return services.secretary_appoint(branch=cast.branch_a, person=successor, starts_on=day, replacing=seen)

    outcomes = run_concurrently(act, ["end", "appoint"], expected_errors=(ValidationError,))
    codes = sorted(getattr(outcome, "code", "ok") for outcome in outcomes)
    assert codes in (["ok", "ok"], ["ok", "stale"]), outcomes
    secretaries = Position.objects.secretaries().filter(primary_branch=cast.branch_a)
    assert secretaries.current(day).count() <= 1
    assert secretaries.get(pk=seen.pk).ends_on == day


def test_appointing_a_secretary_of_another_branch_asks_for_confirmation(client_for, cast):
    other = cast.person("secretary")  # the secretary of branch A (№1)
    url = reverse("branches:secretary_appoint", args=[cast.branch_a2.pk])
    data = {"person": other.pk, "starts_on": timezone.localdate().isoformat(), "replacing": ""}
    client = client_for("staff_a")
    warned = client.post(url, data).content.decode()
    assert "уже секретарь" in warned and "№1 «Центральная»" in warned
    assert 'type="checkbox" name="other_posts_confirmed"' in warned
    assert not Position.objects.filter(person=other, primary_branch=cast.branch_a2).exists()

    response = client.post(url, {**data, "other_posts_confirmed": "on"})
    assert response.status_code == 302
    assert Position.objects.secretaries().current().filter(person=other).count() == 2
    assert Position.objects.filter(person=other, role=Role.PRIMARY_SECRETARY).count() == 2
