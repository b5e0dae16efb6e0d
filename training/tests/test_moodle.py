"""The Moodle pull against a stand-in on loopback: answers, errors, timeouts and garbage."""

import pytest

from training import services
from training.models import AssignmentStatus, CompletionRecord, SyncRun
from training.tests.factories import PLATFORM_COURSE_ID, export_csv, link, secretary_assignment
from training.tests.moodle_server import TOKEN, completion_status, moodle_on_loopback

pytestmark = pytest.mark.django_db


@pytest.fixture
def moodle(settings):
    with moodle_on_loopback() as (url, stand_in):
        settings.TRAINING_MOODLE_URL = url
        settings.TRAINING_MOODLE_TOKEN = TOKEN
        settings.TRAINING_MOODLE_TIMEOUT = 0.5
        yield stand_in


def test_the_pull_is_off_without_url_and_token(cast, settings):
    settings.TRAINING_MOODLE_URL = ""
    secretary_assignment(cast)
    assert services.moodle_pull() is None
    assert not SyncRun.objects.exists()


def test_the_pull_completes_a_course_moodle_reports_complete(cast, moodle):
    assignment = secretary_assignment(cast)
    link(cast)
    moodle.answers["u-100"] = completion_status(completed=True, done=2, total=2, at=1788000000)
    run = services.moodle_pull()
    assert run.status == SyncRun.Status.DONE
    assert moodle.requests[0]["wsfunction"] == "core_completion_get_course_completion_status"
    assert moodle.requests[0]["courseid"] == PLATFORM_COURSE_ID
    assert moodle.requests[0]["userid"] == "u-100"
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert int(assignment.completed_at.timestamp()) == 1788000000


def test_partial_progress_puts_the_course_in_progress(cast, moodle):
    assignment = secretary_assignment(cast)
    link(cast)
    moodle.answers["u-100"] = completion_status(completed=False, done=1, total=4)
    services.moodle_pull()
    assignment.refresh_from_db()
    assert (assignment.status, assignment.progress) == (AssignmentStatus.IN_PROGRESS, 25)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("exception", "отказала"),
        ("garbage", "не JSON"),
        ("html", "недоступна"),
        ("slow", "вовремя"),
    ],
)
def test_a_platform_down_slow_or_answering_garbage_fails_the_run_and_changes_nothing(cast, moodle, mode, reason):
    assignment = secretary_assignment(cast)
    link(cast)
    moodle.mode = mode
    run = services.moodle_pull()
    assert run.status == SyncRun.Status.FAILED
    assert reason in run.errors[0]["message"]
    assert not CompletionRecord.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_a_platform_that_is_not_there_fails_the_run(cast, settings):
    secretary_assignment(cast)
    link(cast)
    settings.TRAINING_MOODLE_URL = "http://127.0.0.1:9/"  # the discard port: nothing listens
    settings.TRAINING_MOODLE_TOKEN = TOKEN
    run = services.moodle_pull()
    assert run.status == SyncRun.Status.FAILED


def test_a_pull_overlapping_an_upload_changes_nothing_more(cast, moodle):
    assignment = secretary_assignment(cast)
    link(cast)
    upload = services.upload_start(
        actor=cast.user("staff_a"),
        region=cast.region_a,
        file_name="export.csv",
        content=export_csv([{"user": "u-100", "course": PLATFORM_COURSE_ID, "completed": "1788000000"}]),
    )
    services.upload_validate(run=upload)
    services.upload_confirm(run=upload)
    services.upload_apply(run=upload)
    assignment.refresh_from_db()
    before = (assignment.status, assignment.completed_at, assignment.completion_id)
    moodle.answers["u-100"] = completion_status(completed=True, done=2, total=2, at=1788000000)
    run = services.moodle_pull()
    # Completed people are not asked again; the assignment stays as the upload left it.
    assert run.status == SyncRun.Status.DONE and run.counts["asked"] == 0
    assignment.refresh_from_db()
    assert (assignment.status, assignment.completed_at, assignment.completion_id) == before


def test_an_upload_overlapping_a_pull_changes_no_assignment(cast, moodle):
    assignment = secretary_assignment(cast)
    link(cast)
    moodle.answers["u-100"] = completion_status(completed=True, done=2, total=2, at=1788000000)
    services.moodle_pull()
    assignment.refresh_from_db()
    before = (assignment.status, assignment.completed_at, assignment.completion_id)
    upload = services.upload_start(
        actor=cast.user("staff_a"),
        region=cast.region_a,
        file_name="export.csv",
        content=export_csv([{"user": "u-100", "course": PLATFORM_COURSE_ID, "completed": "1788000000"}]),
    )
    services.upload_validate(run=upload)
    services.upload_confirm(run=upload)
    upload = services.upload_apply(run=upload)
    assert upload.counts["applied"] == 0
    assignment.refresh_from_db()
    assert (assignment.status, assignment.completed_at, assignment.completion_id) == before
