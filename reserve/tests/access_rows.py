from core.testing import AccessRow

# The reserve is personal data: the staff of the region (and administrators, reading);
# a secretary sees only their own nominations (reserve:mine); another region's pool is a 404.
READERS = frozenset({"staff_a", "admin"})
RUNNERS = frozenset({"staff_a"})
STAFF = frozenset({"staff_a", "staff_b", "admin"})


def _pool_a(cast):
    from reserve.tests.conftest import regional_pool

    return {"pk": regional_pool(cast).pk}


def _nomination_a(cast):
    from reserve.tests.conftest import nominated

    return {"pk": nominated(cast).pk}


def _region_a(cast):
    return {"region_pk": cast.region_a.pk}


ROWS = [
    AccessRow("reserve:list", ok=STAFF),
    AccessRow("reserve:pool_create", ok=STAFF),
    AccessRow("reserve:national", ok=frozenset({"admin"})),
    AccessRow("reserve:mine", ok=frozenset({"staff_a", "staff_b", "secretary", "host", "juror", "admin"})),
    AccessRow("reserve:pool", ok=READERS, denied=404, kwargs=_pool_a),
    AccessRow("reserve:pool_export", ok=READERS, denied=404, kwargs=_pool_a),
    AccessRow("reserve:nominate", ok=RUNNERS, denied=404, kwargs=_pool_a, overrides={"admin": 403}),
    AccessRow("reserve:nomination", ok=READERS, denied=404, kwargs=_nomination_a),
    AccessRow(
        "reserve:decide",
        ok=RUNNERS,
        ok_status=302,
        method="post",
        denied=404,
        kwargs=_nomination_a,
        overrides={"admin": 403},
    ),
    AccessRow("reserve:weights", ok=READERS, denied=404, kwargs=_region_a),
    AccessRow("reserve:demand", ok=READERS, denied=404, kwargs=_region_a),
]
