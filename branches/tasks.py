from celery import shared_task

from branches import services
from branches.models import ImportJob


@shared_task(name="branches.import_validate")
def import_validate(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        services.import_validate(job=job)


@shared_task(name="branches.import_apply")
def import_apply(job_id: int) -> None:
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        services.import_apply(job=job)


@shared_task(name="branches.person_time_zones_refresh")
def person_time_zones_refresh() -> int:
    """Bring everyone's time zone in line with the positions held today (the daily sweep)."""
    return services.person_time_zones_refresh()


@shared_task(name="branches.imports_resume")
def imports_resume() -> int:
    """Beat: queue again the imports whose task was lost while the broker was down."""
    return services.imports_resume()
