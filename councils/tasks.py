from celery import shared_task

from councils import services
from councils.models import Council


@shared_task(name="councils.council_reminders_plan")
def council_reminders_plan(council_id: int) -> None:
    """Plan, re-time and cancel one council's reminders (after a change, and hourly)."""
    council = Council.objects.select_related("region").filter(pk=council_id).first()
    if council is not None:
        services.council_reminders_plan(council=council)


@shared_task(name="councils.council_reminders_plan_all")
def council_reminders_plan_all() -> None:
    """Fan out: one planning task per council (the beat runs this)."""
    services.council_reminders_plan_all()
