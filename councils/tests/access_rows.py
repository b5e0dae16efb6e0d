from core.testing import AccessRow

# Administrators see every council; only the region's own staff run it (403 for them).
READERS = frozenset({"staff_a", "admin"})
RUNNERS = frozenset({"staff_a"})


def _region_a(cast):
    return {"region_pk": cast.region_a.pk}


def _seat_a(cast):
    from datetime import date

    from councils import services
    from councils.models import SeatRole

    council = services.council_for(cast.region_a)
    seat = services.seat_appoint(
        council=council,
        role=SeatRole.REPRESENTATIVE,
        local_branch=cast.local_a1,
        person=cast.person("secretary"),
        starts_on=date(2025, 1, 1),
    )
    return {"pk": seat.pk}


def _meeting_a(cast):
    from datetime import date

    from councils import services

    meeting = services.meeting_create(
        council=services.council_for(cast.region_a), held_on=date(2025, 3, 1), agenda="Отчёт"
    )
    return {"pk": meeting.pk}


def _federal_decision(cast):
    from datetime import date

    from councils import services
    from councils.models import SeatRole

    council = services.federal_council()
    seat = services.seat_appoint(
        council=council,
        role=SeatRole.MEMBER,
        person=cast.person("admin"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2031, 1, 1),
    )
    meeting = services.meeting_create(council=council, held_on=date(2026, 9, 1), agenda="Итоги года")
    services.attendance_record(meeting=meeting, present=[seat])
    decision = services.decision_record(meeting=meeting, number="", text="Проводить приёмы")
    return {"pk": decision.pk}


FEDERAL_READERS = frozenset({"staff_a", "staff_b", "admin"})

ROWS = [
    # The federal council: administrators run it, regional staff read it.
    AccessRow("councils:federal", ok=FEDERAL_READERS),
    AccessRow("councils:federal_sessions", ok=FEDERAL_READERS),
    AccessRow("councils:federal_session_create", ok=frozenset({"admin"})),
    AccessRow("councils:federal_member_appoint", ok=frozenset({"admin"})),
    AccessRow(
        "councils:decision_assign",
        ok=frozenset({"admin"}),
        denied=404,
        kwargs=_federal_decision,
        overrides={"staff_a": 403, "staff_b": 403},
    ),
    AccessRow("councils:overview", ok=frozenset({"admin"})),
    AccessRow("councils:overview_export", ok=frozenset({"admin"})),
    # Another region's council is not found; administrators read it.
    AccessRow("councils:council", ok=READERS, denied=404, kwargs=_region_a),
    AccessRow("councils:meetings", ok=READERS, denied=404, kwargs=_region_a),
    AccessRow("councils:seat", ok=READERS, denied=404, kwargs=_seat_a),
    AccessRow("councils:meeting", ok=READERS, denied=404, kwargs=_meeting_a),
    # Running the council: the region's staff only; administrators see it, so they get 403.
    AccessRow("councils:seat_appoint", ok=RUNNERS, denied=404, kwargs=_region_a, overrides={"admin": 403}),
    AccessRow("councils:policy", ok=RUNNERS, denied=404, kwargs=_region_a, overrides={"admin": 403}),
    AccessRow("councils:meeting_create", ok=RUNNERS, denied=404, kwargs=_region_a, overrides={"admin": 403}),
    AccessRow("councils:seat_reappoint", ok=RUNNERS, denied=404, kwargs=_seat_a, overrides={"admin": 403}),
    AccessRow("councils:seat_end", ok=RUNNERS, denied=404, kwargs=_seat_a, overrides={"admin": 403}),
    AccessRow("councils:meeting_attendance", ok=RUNNERS, denied=404, kwargs=_meeting_a, overrides={"admin": 403}),
    AccessRow("councils:decision_create", ok=RUNNERS, denied=404, kwargs=_meeting_a, overrides={"admin": 403}),
    AccessRow("councils:meeting_minutes", ok=RUNNERS, denied=404, kwargs=_meeting_a, overrides={"admin": 403}),
]
