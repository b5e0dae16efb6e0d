from celery import shared_task

from training import services
from training.models import SyncRun


@shared_task(name="training.upload_validate")
def upload_validate(run_id: int) -> None:
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is not None:
        services.upload_validate(run=run)


@shared_task(name="training.upload_apply")
def upload_apply(run_id: int) -> None:
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is not None:
        services.upload_apply(run=run)


@shared_task(name="training.moodle_pull")
def moodle_pull() -> None:
    """The nightly pull (nothing while the platform's URL and token are unset)."""
    services.moodle_pull()


@shared_task(name="training.assignments_sync")
def assignments_sync() -> dict:
    """The nightly catch-up: new holders of required posts assigned, ended posts closed."""
    return services.assignments_sync()


@shared_task(name="training.reminders_plan")
def reminders_plan(region_id: int) -> dict:
    return services.reminders_plan(region_id=region_id)


@shared_task(name="training.reminders_plan_all")
def reminders_plan_all() -> int:
    """Queue the planning of every region's training reminders (one task each)."""
    from branches.models import Region

    region_ids = list(Region.objects.values_list("pk", flat=True))
    for region_id in region_ids:
        reminders_plan.delay(region_id)
    return len(region_ids)
