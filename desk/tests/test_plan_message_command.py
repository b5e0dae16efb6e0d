from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from branches.models import Person
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_it_plans_a_general_message_for_a_login_a_minute_ahead(cast):
    out = StringIO()
    call_command("plan_message", username="secretary", minutes=1, subject="Проверка", stdout=out)
    notification = Notification.objects.get()
    assert notification.recipient == cast.person("secretary")
    assert notification.kind == "general.message"
    assert notification.context["subject"] == "Проверка"
    assert timedelta(seconds=50) < notification.due_at - timezone.now() <= timedelta(minutes=1)
    assert notification.key in out.getvalue()


def test_each_run_plans_a_new_message(cast):
    for _ in range(2):
        call_command("plan_message", person=cast.person("host").pk, minutes=0, stdout=StringIO())
    assert Notification.objects.count() == 2


def test_a_login_without_a_person_gets_one(django_user_model):
    user = django_user_model.objects.create_user(username="demo", first_name="Анна", last_name="Федорова")
    out = StringIO()
    call_command("plan_message", username="demo", stdout=out)
    assert Person.objects.get(user=user).full_name == "Федорова Анна"
    assert "had no person" in out.getvalue()


def test_an_unknown_person_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No person with id 999"):
        call_command("plan_message", person=999)


def test_an_address_can_be_given_to_a_person_without_one(cast, django_user_model):
    user = django_user_model.objects.create_user(username="demo")
    out = StringIO()
    call_command("plan_message", username="demo", email="demo@example.org", stdout=out)
    assert Person.objects.get(user=user).email == "demo@example.org"
    assert "inbox only" not in out.getvalue()
