from celery import shared_task

from receptions import services


@shared_task(name="receptions.slots_generate")
def slots_generate() -> int:
    """Produce the slots of every host's hours for the coming weeks (idempotent)."""
    return services.slots_generate()


@shared_task(name="receptions.reminders_plan")
def reminders_plan() -> int:
    """Plan the 24- and 2-hour reminders of bookings starting within two days (idempotent)."""
    return services.reminders_plan()


@shared_task(name="receptions.behind_norm_remind")
def behind_norm_remind() -> int:
    """Remind hosts behind their region's norm, once a month each (idempotent)."""
    return services.behind_norm_remind()
