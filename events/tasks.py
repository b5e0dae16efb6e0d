from celery import shared_task

from events import services
from events.models import Event


@shared_task(name="events.event_expected_reconcile")
def event_expected_reconcile(event_id: int) -> None:
    """Bring one upcoming event's expected list in line with the tree (and its reminders)."""
    event = Event.objects.filter(pk=event_id).first()
    if event is not None:
        services.event_expected_reconcile(event=event)


@shared_task(name="events.expected_reconcile_upcoming")
def expected_reconcile_upcoming() -> None:
    """Fan out: one reconciling task per upcoming published event (the beat runs this)."""
    services.events_expected_reconcile_upcoming()


@shared_task(name="events.events_hold_ended")
def events_hold_ended() -> None:
    """Move published events that have ended to held (the beat runs this)."""
    services.events_hold_ended()
