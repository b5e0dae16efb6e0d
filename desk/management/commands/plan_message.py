"""Plan a general message for one person N minutes ahead: the notifications engine's demo under `make run`.

It lives on the top floor because it joins two apps: it finds the person of a login
(creating one for a login without one, giving an address to a person without one)
through the branches services, and plans through the engine's public service. The
engine stays free of the domain (it names only `branches.Person`), and the trunk does
not import the engine.
"""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from branches import services as branch_services
from branches.models import Person
from notifications import services
from notifications.kinds import GENERAL_MESSAGE


class Command(BaseCommand):
    help = "Plan a message (kind general.message) for a person, due N minutes from now."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--person", type=int, help="id of the person")
        who.add_argument("--username", help="login whose person gets it (a person is created for a login without one)")
        parser.add_argument("--email", default="", help="give the person this e-mail address if they have none")
        parser.add_argument("--minutes", type=float, default=1.0)
        parser.add_argument("--subject", default="Проверка уведомлений")
        parser.add_argument("--body", default="Это сообщение запланировано командой plan_message.")
        parser.add_argument("--url", default="", help="in-app path the message links to, e.g. /")

    def handle(self, *args, person, username, email, minutes, subject, body, url, **options):
        recipient = self._recipient(person, username)
        if email and not recipient.email:
            recipient = branch_services.person_update(person=recipient, email=email)
        if not recipient.email:
            self.stdout.write(f"{recipient} has no e-mail address: the message goes to the inbox only (see --email).")
        due_at = timezone.now() + timedelta(minutes=minutes)
        notification = services.notification_plan(
            recipient=recipient,
            kind=GENERAL_MESSAGE.name,
            key=f"general:manual:{uuid.uuid4()}",
            due_at=due_at,
            context={"subject": subject, "body": body},
            url=url,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Planned {notification.key} for {recipient} (person {recipient.pk}), "
                f"due {timezone.localtime(due_at):%Y-%m-%d %H:%M:%S %Z}."
            )
        )

    def _recipient(self, person_id, username) -> Person:
        if person_id is not None:
            recipient = Person.objects.filter(pk=person_id).first()
            if recipient is None:
                raise CommandError(f"No person with id {person_id}.")
            return recipient
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No login named {username!r}.")
        recipient = Person.objects.filter(user=user).first()
        if recipient is None:
            recipient = branch_services.person_create(
                last_name=user.last_name or user.username,
                first_name=user.first_name or user.username,
                email=user.email,
                user=user,
            )
            self.stdout.write(f"Login {username!r} had no person: created {recipient} (person {recipient.pk}).")
        return recipient
