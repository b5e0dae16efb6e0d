from celery import shared_task

from mentorship import services
from mentorship.models import Programme


@shared_task(name="mentorship.programme_reminders_plan")
def programme_reminders_plan(programme_id: int) -> None:
    """Plan, re-time and cancel one programme's reminders (after a change, and daily)."""
    programme = Programme.objects.select_related("region").filter(pk=programme_id).first()
    if programme is not None:
        services.programme_reminders_plan(programme=programme)


@shared_task(name="mentorship.programme_reminders_plan_all")
def programme_reminders_plan_all() -> None:
    """Fan out: one planning task per open or running programme (the beat runs this)."""
    services.programme_reminders_plan_all()
