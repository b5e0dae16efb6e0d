from core.testing import ALL_LOGGED_IN, AccessRow

STAFF_A = frozenset({"staff_a", "admin"})


def _region_a(cast):
    return {"region_pk": cast.region_a.pk}


def _assignment(cast):
    from training.tests.factories import secretary_assignment

    return {"pk": secretary_assignment(cast).pk}


def _run(cast):
    from training import services
    from training.tests.factories import course, export_csv

    course()
    run = services.upload_start(
        actor=cast.user("staff_a"), region=cast.region_a, file_name="export.csv", content=export_csv([])
    )
    return {"pk": run.pk}


ROWS = [
    # Everyone logged in has a "my courses" page (empty without a person or a course).
    AccessRow("training:mine", ok=ALL_LOGGED_IN),
    # A region's report, export, uploads and unmatched users: its staff and administrators; others 404.
    AccessRow("training:region", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("training:region_xlsx", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("training:upload", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("training:unmatched", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("training:import_detail", ok=STAFF_A, denied=404, kwargs=_run),
    # Waiving: the region's staff; the secretary sees their own assignment but may not waive it.
    AccessRow("training:waive", ok=STAFF_A, denied=404, kwargs=_assignment, overrides={"secretary": 403}),
    AccessRow("training:national", ok=frozenset({"admin"})),
    # The platform's push: POST only, signed (tested in test_push); a GET is refused to all.
    AccessRow("training:push", ok=ALL_LOGGED_IN | {"anonymous"}, ok_status=405),
]
