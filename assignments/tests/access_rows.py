from core.testing import AccessRow

LOGGED_IN = frozenset({"staff_a", "staff_b", "secretary", "host", "juror", "admin"})
# A region's assignment: its staff report it and pass it down; administrators review it.
READERS = frozenset({"staff_a", "admin"})


def _assignment_a(cast):
    from datetime import date

    from assignments import services
    from assignments.models import Assignment

    directive = services.directive_issue(
        source_key="test.1",
        source_label="Решение",
        title="Провести приёмы",
        issued_on=date(2026, 9, 1),
        due_on=date(2026, 12, 1),
        to=services.Addressees(regions=(cast.region_a,)),
    )
    return {"pk": Assignment.objects.get(directive=directive).pk}


def _directive(cast):
    from datetime import date

    from assignments import services

    directive = services.directive_issue(
        source_key="test.2",
        source_label="Решение",
        title="Провести приёмы",
        issued_on=date(2026, 9, 1),
        due_on=date(2026, 12, 1),
        to=services.Addressees(regions=(cast.region_a, cast.region_b)),
    )
    return {"pk": directive.pk}


def _report_file(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assignments import services
    from assignments.models import Assignment

    assignment = Assignment.objects.get(pk=_assignment_a(cast)["pk"])
    pdf = SimpleUploadedFile("протокол.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    services.assignment_report(assignment=assignment, by=None, report="Сделано", files=[pdf])
    return {"pk": assignment.files.get().pk}


def _region_a(cast):
    return {"region_pk": cast.region_a.pk}


ROWS = [
    AccessRow("assignments:mine", ok=LOGGED_IN),
    AccessRow("assignments:assignment", ok=READERS, denied=404, kwargs=_assignment_a),
    AccessRow(
        "assignments:report",
        ok=frozenset({"staff_a"}),
        denied=404,
        kwargs=_assignment_a,
        method="post",
        overrides={"admin": 403},
    ),
    AccessRow(
        "assignments:review",
        ok=frozenset({"admin"}),
        denied=404,
        kwargs=_assignment_a,
        method="post",
        overrides={"staff_a": 403},
    ),
    AccessRow(
        "assignments:pass_down",
        ok=frozenset({"staff_a"}),
        denied=404,
        kwargs=_assignment_a,
        method="post",
        overrides={"admin": 403},
    ),
    # A report's file: whoever sees the assignment; nobody sees another region's reports.
    AccessRow("assignments:file", ok=READERS, denied=404, kwargs=_report_file),
    # A person's list: the person, the staff of their region, administrators.
    AccessRow(
        "assignments:person",
        ok=frozenset({"staff_a", "secretary", "admin"}),
        denied=404,
        kwargs=lambda cast: {"person_pk": cast.person("secretary").pk},
    ),
    AccessRow("assignments:region", ok=READERS, denied=404, kwargs=_region_a),
    # An assignment written by regional staff without a council decision: the region's staff (and administrators).
    AccessRow("assignments:staff_directive", ok=READERS, denied=404, kwargs=_region_a),
    # A directive's dashboard spans every region: administrators only.
    AccessRow("assignments:directive", ok=frozenset({"admin"}), kwargs=_directive),
    AccessRow("assignments:directive_export", ok=frozenset({"admin"}), kwargs=_directive),
]
