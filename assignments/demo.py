"""Demo assignments: the directives are issued by the councils' seed (the federal session of the
article); here the measured ones are checked against the seeded data, and every directive's
reminders are planned."""

import random

from django.utils import timezone

from assignments import services
from assignments.models import Directive


def seed(scale_name: str, rng: random.Random) -> dict:
    today = timezone.localdate()
    measured = services.assignments_measure_all(today=today)
    reminders = 0
    if scale_name == "demo":
        for directive in Directive.objects.order_by("pk"):
            reminders += services.directive_reminders_plan(directive=directive, today=today)["planned"]
    return {"measured": measured, "reminders": reminders}
