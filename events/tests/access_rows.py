from core.testing import ALL_LOGGED_IN, AccessRow

# An event of region A: its staff run it; administrators read it; the secretary of a branch
# in it reads it once published and answers; everyone else (region B, the host, the juror)
# gets 404.
READERS = frozenset({"staff_a", "secretary", "admin"})
RUNNERS = frozenset({"staff_a"})
READ_ONLY = {"secretary": 403, "admin": 403}


def _event(cast):
    from events.tests.conftest import make_event

    return {"pk": make_event(cast).pk}


def _draft(cast):
    from events.tests.conftest import make_event

    return {"pk": make_event(cast, published=False).pk}


def _head_meeting(cast):
    from events.tests.conftest import make_event

    return {"pk": make_event(cast, kind="head_meeting").pk}


def _question(cast):
    from events.tests.conftest import make_question

    return {"pk": make_question(cast).pk}


def _head_meeting_draft(cast):
    from events.tests.conftest import make_event

    return {"pk": make_event(cast, published=False, kind="head_meeting").pk}


def _nominating_meeting(cast):
    from events.tests.conftest import make_nominating_meeting

    return {"pk": make_nominating_meeting(cast).pk}


def _nomination(cast):
    """A nomination by a local branch's secretary outside the cast: no role of the cast may withdraw it."""
    from events import services
    from events.tests.conftest import local_secretary, make_nominating_meeting

    event = make_nominating_meeting(cast)
    line = services.nomination_add(
        event=event,
        primary_branch=cast.branch_a,
        by=local_secretary(cast, cast.local_a1),
        last_name="Активистова",
        first_name="Ася",
    )
    return {"pk": event.pk, "line_pk": line.pk}


def _region_a(cast):
    return {"region_pk": cast.region_a.pk}


def _secretary(cast):
    return {"pk": cast.person("secretary").pk}


ROWS = [
    AccessRow("events:list", ok=ALL_LOGGED_IN),
    # Regional staff create; a local branch's leaders would propose (none in the cast).
    AccessRow("events:create", ok=frozenset({"staff_a", "staff_b"})),
    AccessRow("events:detail", ok=READERS, denied=404, kwargs=_event),
    AccessRow("events:ics", ok=READERS, denied=404, kwargs=_event),
    AccessRow("events:edit", ok=RUNNERS, denied=404, kwargs=_event, overrides=READ_ONLY),
    AccessRow("events:cancel", ok=RUNNERS, denied=404, kwargs=_event, overrides=READ_ONLY),
    AccessRow("events:expected_add", ok=RUNNERS, denied=404, kwargs=_event, overrides=READ_ONLY),
    AccessRow("events:close", ok=RUNNERS, denied=404, kwargs=_event, overrides=READ_ONLY),
    # Door duty: a permission of its own (today the staff and the organiser).
    AccessRow("events:attendance", ok=RUNNERS, denied=404, kwargs=_event, overrides=READ_ONLY),
    AccessRow("events:check_in", ok=RUNNERS, denied=404, kwargs=_event, overrides=READ_ONLY),
    AccessRow("events:walk_in", ok=RUNNERS, denied=404, kwargs=_event, overrides=READ_ONLY),
    # Only the people on the list answer.
    AccessRow(
        "events:answer",
        ok=frozenset({"secretary"}),
        denied=404,
        kwargs=_event,
        overrides={"staff_a": 403, "admin": 403},
    ),
    # A head's meeting: the branches on the list ask; its staff and organiser answer.
    AccessRow(
        "events:question_ask",
        ok=frozenset({"secretary"}),
        denied=404,
        kwargs=_head_meeting,
        overrides={"staff_a": 403, "admin": 403},
    ),
    AccessRow("events:question_answer", ok=RUNNERS, denied=404, kwargs=_question, overrides=READ_ONLY),
    AccessRow("events:question_assign", ok=RUNNERS, denied=404, kwargs=_question, overrides=READ_ONLY),
    # A draft is seen by its region's staff (and administrators) only.
    AccessRow("events:propose", ok=RUNNERS, denied=404, kwargs=_draft, overrides={"admin": 403}),
    AccessRow("events:publish", ok=RUNNERS, denied=404, kwargs=_draft, overrides={"admin": 403}),
    # Heads' meetings: the rule is the editors' (before publication); nominations are the
    # local branches' secretaries' (none in the cast: everyone who sees the meeting gets 403).
    AccessRow("events:invitation", ok=RUNNERS, denied=404, kwargs=_head_meeting_draft, overrides={"admin": 403}),
    AccessRow(
        "events:nominate",
        ok=frozenset(),
        denied=404,
        kwargs=_nominating_meeting,
        overrides={"staff_a": 403, "secretary": 403, "admin": 403},
    ),
    AccessRow("events:nomination_withdraw", ok=frozenset(), denied=404, kwargs=_nomination),
    AccessRow("events:head_meeting_plan", ok=RUNNERS, denied=404, kwargs=_region_a, overrides={"admin": 403}),
    AccessRow("events:region_report", ok=frozenset({"staff_a", "admin"}), denied=404, kwargs=_region_a),
    AccessRow(
        "events:local_report",
        ok=frozenset({"staff_a", "admin"}),
        denied=404,
        kwargs=lambda cast: {"pk": cast.local_a1.pk},
    ),
    AccessRow("events:national_report", ok=frozenset({"admin"})),
    AccessRow("events:person_duty", ok=READERS, denied=404, kwargs=_secretary),
]
