from celery import shared_task

from contests import services
from contests.models import Contest, Status
from core.queue import enqueue

# Stages whose reminders are planned: drafts before the deadline, unscored entries before judging closes.
ACTIVE = [Status.ACCEPTING, Status.JUDGING]


@shared_task(name="contests.plan_reminders")
def plan_reminders() -> None:
    """Beat: plan (or re-time, or cancel) the reminders of every contest in progress, one task each."""
    for contest_id in Contest.objects.filter(status__in=ACTIVE).values_list("pk", flat=True):
        enqueue(plan_contest_reminders, contest_id)


@shared_task(name="contests.plan_contest_reminders")
def plan_contest_reminders(contest_id: int) -> None:
    contest = Contest.objects.select_related("region").filter(pk=contest_id).first()
    if contest is not None:
        services.contest_reminders_plan(contest=contest)
