from celery import shared_task

from assignments import services
from assignments.models import Directive


@shared_task(name="assignments.directive_reminders_plan")
def directive_reminders_plan(directive_id: int) -> None:
    """Plan, re-time and cancel one directive's reminders (after every change)."""
    directive = Directive.objects.filter(pk=directive_id).first()
    if directive is not None:
        services.directive_reminders_plan(directive=directive)


@shared_task(name="assignments.assignments_measure_all")
def assignments_measure_all() -> None:
    """Recompute every measured assignment's figure (the beat runs this daily)."""
    services.assignments_measure_all()


@shared_task(name="assignments.weekly_digest_plan")
def weekly_digest_plan() -> None:
    """Plan the weekly digest of overdue assignments to each region's staff (the beat runs this on Mondays)."""
    services.weekly_digest_plan()
