from celery import shared_task

from receptions import services


@shared_task
def slots_generate() -> int:
    """Produce the slots of every host's hours for the coming weeks (idempotent)."""
    return services.slots_generate()
