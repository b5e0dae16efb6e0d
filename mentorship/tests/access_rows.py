from core.testing import AccessRow

# A region's programmes: its staff run them; administrators read them (403 on a change).
READERS = frozenset({"staff_a", "admin"})
RUNNERS = frozenset({"staff_a"})
# A pair: staff of the region, administrators, and the secretaries of its two branches.
PAIR_READERS = frozenset({"staff_a", "admin", "secretary"})
PAIR_WORKERS = frozenset({"staff_a", "secretary"})


def _programme_a(cast):
    from mentorship.tests.conftest import running_programme

    return {"pk": running_programme(cast.region_a).pk}


def _goal_a(cast):
    from mentorship import services
    from mentorship.models import Pair

    pair = Pair.objects.get(pk=_pair_a(cast)["pk"])
    goal = services.goal_add(pair=pair, text="Провести приём")
    return {"pk": pair.pk, "goal_pk": goal.pk}


def _pair_a(cast):
    """An active pair of region A in which the cast secretary's branch (№1) mentors №2."""
    from mentorship.tests.conftest import PAIR_START, active_pair, running_programme

    pair = active_pair(running_programme(cast.region_a), cast.branch_a, cast.branch_a2, starts_on=PAIR_START)
    return {"pk": pair.pk}


ROWS = [
    AccessRow("mentorship:list", ok=frozenset({"staff_a", "staff_b", "secretary", "admin"})),
    AccessRow("mentorship:programme_create", ok=frozenset({"staff_a", "staff_b", "admin"})),
    AccessRow("mentorship:national", ok=frozenset({"admin"})),
    # Another region's programme is not found.
    AccessRow("mentorship:programme", ok=READERS, denied=404, kwargs=_programme_a),
    AccessRow(
        "mentorship:programme_advance",
        ok=RUNNERS,
        ok_status=302,
        method="post",
        denied=404,
        kwargs=_programme_a,
        overrides={"admin": 403},
    ),
    AccessRow("mentorship:pair_create", ok=RUNNERS, denied=404, kwargs=_programme_a, overrides={"admin": 403}),
    AccessRow("mentorship:suggestions", ok=RUNNERS, denied=404, kwargs=_programme_a, overrides={"admin": 403}),
    AccessRow("mentorship:young_cadre_mark", ok=RUNNERS, denied=404, kwargs=_programme_a, overrides={"admin": 403}),
    # A pair: its two secretaries see it and work on it; only the region's staff change its status.
    AccessRow("mentorship:pair", ok=PAIR_READERS, denied=404, kwargs=_pair_a),
    AccessRow(
        "mentorship:pair_status",
        ok=RUNNERS,
        ok_status=302,
        method="post",
        denied=404,
        kwargs=_pair_a,
        overrides={"admin": 403, "secretary": 403},
    ),
    AccessRow(
        "mentorship:pair_end", ok=RUNNERS, denied=404, kwargs=_pair_a, overrides={"admin": 403, "secretary": 403}
    ),
    AccessRow("mentorship:check_in_create", ok=PAIR_WORKERS, denied=404, kwargs=_pair_a, overrides={"admin": 403}),
    AccessRow("mentorship:goal_create", ok=PAIR_WORKERS, denied=404, kwargs=_pair_a, overrides={"admin": 403}),
    AccessRow(
        "mentorship:goal_status",
        ok=PAIR_WORKERS,
        ok_status=302,
        method="post",
        denied=404,
        kwargs=_goal_a,
        overrides={"admin": 403},
    ),
]
