from core.testing import ALL_LOGGED_IN, AccessRow

STAFF_A = frozenset({"staff_a", "admin"})
BRANCH_A_READERS = STAFF_A | {"secretary"}


def _branch_a(cast):
    return {"pk": cast.branch_a.pk}


def _region_a(cast):
    return {"region_pk": cast.region_a.pk}


def _post_a(cast):
    from branches.models import POST_ROLES, Position

    return {"pk": Position.objects.filter(person=cast.person("host"), role__in=POST_ROLES).earliest("pk").pk}


def _import_a(cast):
    from branches.models import ImportJob

    job = ImportJob.objects.create(
        region=cast.region_a, created_by=cast.user("staff_a"), file_name="x.csv", content=b""
    )
    return {"pk": job.pk}


ROWS = [
    # A list, not an object: each sees their own scope (the content is tested in test_branch_list).
    AccessRow("branches:list", ok=BRANCH_A_READERS | {"staff_b"}),
    # Another region's branch is not found; the secretary may read their own.
    AccessRow("branches:branch", ok=BRANCH_A_READERS, denied=404, kwargs=_branch_a),
    # The secretary gets the contacts form; full editing is the staff's.
    AccessRow("branches:branch_edit", ok=BRANCH_A_READERS, denied=404, kwargs=_branch_a),
    # The secretary sees the branch, so changing it is refused (403), not hidden.
    AccessRow("branches:branch_close", ok=STAFF_A, denied=404, kwargs=_branch_a, overrides={"secretary": 403}),
    AccessRow("branches:secretary_appoint", ok=STAFF_A, denied=404, kwargs=_branch_a, overrides={"secretary": 403}),
    AccessRow("branches:secretary_end", ok=STAFF_A, denied=404, kwargs=_branch_a, overrides={"secretary": 403}),
    AccessRow("branches:national", ok=frozenset({"admin"})),
    # The personal-data log: each reader sees their own scope (tested in test_data_log_page).
    AccessRow("branches:data_log", ok=STAFF_A | {"staff_b"}),
    # The person picker's answers: for those who appoint people (scope tested in test_person_picker).
    AccessRow("branches:person_search", ok=STAFF_A | {"staff_b"}),
    # Everyone's own preferences (each cast member has a person).
    AccessRow("branches:preferences", ok=ALL_LOGGED_IN),
    AccessRow("branches:region", ok=STAFF_A, denied=404, kwargs=lambda cast: {"pk": cast.region_a.pk}),
    AccessRow("branches:branch_create", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("branches:local_branch_create", ok=STAFF_A, denied=404, kwargs=_region_a),
    # The region's posts: its staff read and change them (regional staff posts: administrators only).
    AccessRow("branches:posts", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("branches:post_appoint", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("branches:post_end", ok=STAFF_A, denied=404, kwargs=_post_a),
    AccessRow("branches:export", ok=STAFF_A, denied=404, kwargs=lambda cast: {**_region_a(cast), "fmt": "csv"}),
    AccessRow("branches:import", ok=STAFF_A, denied=404, kwargs=_region_a),
    AccessRow("branches:import_detail", ok=STAFF_A, denied=404, kwargs=_import_a),
    # People: staff of a region where the person holds a position, and the person themself.
    AccessRow(
        "branches:person", ok=BRANCH_A_READERS, denied=404, kwargs=lambda cast: {"pk": cast.person("secretary").pk}
    ),
    # The secretary reads their own record; changing it is the staff's.
    AccessRow(
        "branches:person_edit",
        ok=STAFF_A,
        denied=404,
        kwargs=lambda cast: {"pk": cast.person("secretary").pk},
        overrides={"secretary": 403},
    ),
]
