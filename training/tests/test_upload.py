"""The platform's export through preview-then-apply: all or nothing, twice changes nothing, unmatched users listed."""

import io
import zipfile

import pytest

from training import selectors, services, spreadsheets
from training.models import AssignmentStatus, CompletionRecord, PlatformAccount, SyncRun
from training.tests.factories import PLATFORM_COURSE_ID, export_csv, link, secretary_assignment

pytestmark = pytest.mark.django_db

DONE = {
    "user": "u-100",
    "course": PLATFORM_COURSE_ID,
    "progress": "100",
    "completed": "10.09.2026 12:00",
    "score": "87,5",
}


def _upload(cast, content: bytes, name: str = "export.csv") -> SyncRun:
    run = services.upload_start(actor=cast.user("staff_a"), region=cast.region_a, file_name=name, content=content)
    services.upload_validate(run=run)
    run.refresh_from_db()
    return run


def _apply(run: SyncRun) -> SyncRun:
    services.upload_confirm(run=run)
    return services.upload_apply(run=run)


def test_an_upload_completes_the_course_of_a_linked_secretary(cast):
    assignment = secretary_assignment(cast)
    link(cast)
    run = _upload(cast, export_csv([DONE]))
    assert run.status == SyncRun.Status.VALIDATED
    assert run.counts["new"] == 1
    assert CompletionRecord.objects.count() == 0  # the preview writes nothing
    run = _apply(run)
    assert run.status == SyncRun.Status.DONE
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert assignment.completion.score == pytest.approx(87.5)


def test_importing_the_same_file_twice_changes_nothing(cast):
    secretary_assignment(cast)
    link(cast)
    _apply(_upload(cast, export_csv([DONE])))
    again = _upload(cast, export_csv([DONE]))
    assert again.counts["new"] == 0 and again.counts["known"] == 1
    again = _apply(again)
    assert again.counts["new"] == 0 and again.counts["applied"] == 0
    assert CompletionRecord.objects.count() == 1


def test_every_error_of_every_row_is_shown_and_nothing_is_written(cast):
    secretary_assignment(cast)
    content = export_csv(
        [
            {"user": "", "course": PLATFORM_COURSE_ID},
            {"user": "u-1", "course": "nope"},
            {"user": "u-2", "course": PLATFORM_COURSE_ID, "progress": "140"},
            {"user": "u-3", "course": PLATFORM_COURSE_ID, "completed": "вчера"},
        ]
    )
    run = _upload(cast, content)
    assert run.status == SyncRun.Status.INVALID
    assert [error["row"] for error in run.errors] == [2, 3, 4, 5]
    assert CompletionRecord.objects.count() == 0


def test_an_unmatched_user_is_listed_and_counts_once_staff_link_them(cast):
    assignment = secretary_assignment(cast)
    run = _apply(_upload(cast, export_csv([DONE | {"name": "Секретарёва С. И."}])))
    assert run.counts["unmatched"] == 1
    assert [row["platform_user_id"] for row in selectors.unmatched_users(region=cast.region_a)] == ["u-100"]
    assert selectors.unmatched_users(region=cast.region_b) == []
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED  # never matched by name
    services.platform_account_link(
        platform_user_id="u-100", person=cast.person("secretary"), actor=cast.user("staff_a")
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert selectors.unmatched_users(region=cast.region_a) == []


def test_an_email_belonging_to_one_person_links_the_account(cast):
    assignment = secretary_assignment(cast)
    run = _apply(_upload(cast, export_csv([DONE | {"email": "secretary@example.org"}])))
    assert run.counts["accounts"] == 1
    assert PlatformAccount.objects.get(platform_user_id="u-100").person == cast.person("secretary")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED


def test_progress_without_completion_puts_the_course_in_progress(cast):
    assignment = secretary_assignment(cast)
    link(cast)
    _apply(_upload(cast, export_csv([{"user": "u-100", "course": PLATFORM_COURSE_ID, "progress": "40"}])))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.progress) == (AssignmentStatus.IN_PROGRESS, 40)


def test_records_are_append_only(cast):
    secretary_assignment(cast)
    _apply(_upload(cast, export_csv([DONE])))
    from django.db import InternalError, transaction

    with pytest.raises(InternalError), transaction.atomic():
        CompletionRecord.objects.update(progress=1)


def test_an_xlsx_that_unpacks_too_far_is_refused_before_reading(cast):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (spreadsheets.UPLOAD_LIMITS.unpacked_bytes + 1))
    with pytest.raises(spreadsheets.SpreadsheetError, match="предела в 100 МБ"):
        spreadsheets.read_rows(buffer.getvalue(), "bomb.xlsx")


def test_too_many_rows_are_refused(cast, monkeypatch):
    monkeypatch.setattr(spreadsheets, "UPLOAD_LIMITS", spreadsheets.UploadLimits(rows=2))
    content = export_csv([{"user": f"u-{n}", "course": PLATFORM_COURSE_ID} for n in range(3)])
    with pytest.raises(spreadsheets.SpreadsheetError, match="больше 2 строк"):
        spreadsheets.read_rows(content, "export.csv")


def test_an_xlsx_export_is_read_like_a_csv(cast):
    from core.spreadsheets import xlsx_content

    secretary_assignment(cast)
    link(cast)
    content = xlsx_content(
        spreadsheets.table([["u-100", "", "", PLATFORM_COURSE_ID, 100, "2026-09-10T12:00:00+00:00", 90, "C-1", ""]]),
        sheet="export",
    )
    run = _apply(_upload(cast, content, name="export.xlsx"))
    assert run.status == SyncRun.Status.DONE and run.counts["new"] == 1


def test_a_regions_upload_leaves_out_people_of_other_regions(cast):
    from branches import services as branches
    from training.models import CourseAssignment

    assignment = secretary_assignment(cast)
    karelian = branches.person_create(last_name="Онежская", first_name="Ольга", email="olga@example.org")
    branches.secretary_appoint(branch=cast.branch_b, person=karelian)
    PlatformAccount.objects.create(platform_user_id="u-200", person=karelian)
    link(cast)
    content = export_csv([DONE, DONE | {"user": "u-200"}, DONE | {"user": "u-300", "email": "olga@example.org"}])
    run = _apply(_upload(cast, content))
    assert run.counts["other_regions"] == 1
    assert run.counts["accounts"] == 0  # Ольга's e-mail is not linked by Amur's staff
    assert CourseAssignment.objects.get(person=karelian).status == AssignmentStatus.ASSIGNED
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
