from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app


def _database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as error:  # report, never raise: this is the health probe
        return False, str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


def _broker_ok() -> tuple[bool, str]:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as error:  # report, never raise: this is the health probe
        return False, str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


@require_GET
@never_cache
def ping(request):
    """Answer without touching the database: a liveness probe, and the benchmark's floor."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def healthz(request):
    """Report the database and the broker; 503 when either is down."""
    db_ok, db_detail = _database_ok()
    broker_ok, broker_detail = _broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": db_detail,
            "broker": broker_detail,
        },
        status=200 if healthy else 503,
    )
