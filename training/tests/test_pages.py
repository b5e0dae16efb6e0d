"""The pages: the report down the tree, my courses, the desk, waiving, resolving, the export; query counts pinned."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.access import viewer_for
from training import selectors
from training.models import AssignmentStatus, CompletionRecord, CourseAssignment, PlatformAccount, Source
from training.tests.factories import course, secretary_assignment

pytestmark = pytest.mark.django_db


def test_the_region_report_counts_overdue_secretaries(cast, client_for, time_machine):
    secretary_assignment(cast)
    time_machine.move_to(timezone.now() + timedelta(days=100))
    response = client_for("staff_a").get(reverse("training:region", kwargs={"region_pk": cast.region_a.pk}))
    total = response.context["total"]
    assert (total.in_post, total.completed, total.overdue) == (1, 0, 1)
    assert [a.person for a in response.context["overdue"]] == [cast.person("secretary")]
    assert "Секретарёва" in response.content.decode()


def test_the_region_report_costs_the_same_whatever_the_size(cast, django_assert_num_queries):
    the_course = course()
    secretary_assignment(cast)
    # 1 local branches of the region, 2 secretaries in post per local branch,
    # 3 assignment counts per local branch.
    with django_assert_num_queries(3):
        report = selectors.region_report(cast.region_a, the_course)
    assert report["total"].in_post == 1
    # 1 regions, 2 people in post per region, 3 assignment counts per region.
    with django_assert_num_queries(3):
        national = selectors.national_report(the_course)
    assert national["total"].in_post == 1


def test_the_secretary_sees_their_course_with_its_due_date(cast, client_for):
    assignment = secretary_assignment(cast)
    response = client_for("secretary").get(reverse("training:mine"))
    assert list(response.context["assignments"]) == [assignment]
    assert "Школа секретаря" in response.content.decode()


def test_the_desk_shows_the_secretary_their_course_and_staff_their_overdue_count(
    cast, time_machine, django_assert_num_queries
):
    secretary_assignment(cast)
    secretary = viewer_for(cast.user("secretary"))
    staff = viewer_for(cast.user("staff_a"))
    # 1 the secretary's open assignments with their courses.
    with django_assert_num_queries(1):
        items = selectors.desk_items(secretary)
    assert [item.app for item in items] == ["training"]
    assert [(item.count, item.urgency.name) for item in selectors.desk_items(staff)] == [(None, "COMING")]
    time_machine.move_to(timezone.now() + timedelta(days=100))
    # 1 the staff person's own open assignments (none) and the overdue count of their region.
    with django_assert_num_queries(1):
        items = selectors.desk_items(staff)
    assert [(item.count, item.urgency.name) for item in items] == [(1, "OVERDUE")]
    response = client_for_desk(cast)
    assert "Школа секретаря" in response


def client_for_desk(cast) -> str:
    from django.test import Client

    client = Client()
    client.force_login(cast.user("secretary"))
    return client.get(reverse("desk:home")).content.decode()


def test_staff_waive_a_course_with_a_reason(cast, client_for):
    assignment = secretary_assignment(cast)
    url = reverse("training:waive", kwargs={"pk": assignment.pk})
    staff = client_for("staff_a")
    assert staff.post(url, {"reason": "  "}).status_code == 200  # the form says a reason is needed
    assert CourseAssignment.objects.get(pk=assignment.pk).status == AssignmentStatus.ASSIGNED
    response = staff.post(url, {"reason": "уже обучена в 2025 году"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.WAIVED


def test_staff_resolve_an_unmatched_user_on_the_page(cast, client_for):
    assignment = secretary_assignment(cast)
    from training import services

    run = services.upload_start(actor=cast.user("staff_a"), region=cast.region_a, file_name="e.csv", content=b"")
    CompletionRecord.objects.create(
        source=Source.UPLOAD,
        platform_user_id="u-7",
        course=assignment.course,
        progress=100,
        completed_at=timezone.now(),
        raw={"full_name": "Секретарёва"},
        sync_run=run,
    )
    url = reverse("training:unmatched", kwargs={"region_pk": cast.region_a.pk})
    staff = client_for("staff_a")
    assert "u-7" in staff.get(url).content.decode()
    response = staff.post(url, {"platform_user_id": "u-7", "person": cast.person("secretary").pk})
    assert response.status_code == 302
    assert PlatformAccount.objects.get(platform_user_id="u-7").person == cast.person("secretary")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED


def test_staff_of_another_region_cannot_link_people_of_this_one(cast, client_for):
    secretary_assignment(cast)
    url = reverse("training:unmatched", kwargs={"region_pk": cast.region_a.pk})
    response = client_for("staff_b").post(url, {"platform_user_id": "u-7", "person": cast.person("secretary").pk})
    assert response.status_code == 404
    assert not PlatformAccount.objects.exists()


def test_the_report_downloads_as_xlsx(cast, client_for):
    secretary_assignment(cast)
    response = client_for("staff_a").get(reverse("training:region_xlsx", kwargs={"region_pk": cast.region_a.pk}))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][1] == 1  # the total: one secretary in post


def test_the_person_page_shows_their_course(cast, client_for):
    secretary_assignment(cast)
    url = reverse("branches:person", kwargs={"pk": cast.person("secretary").pk})
    assert "Школа секретаря" in client_for("staff_a").get(url).content.decode()


def test_the_report_pages_cost_a_fixed_number_of_queries(cast, client_for, django_assert_num_queries):
    secretary_assignment(cast)
    staff, admin = client_for("staff_a"), client_for("admin")
    region_url = reverse("training:region", kwargs={"region_pk": cast.region_a.pk})
    staff.get(region_url)
    # 1 session, 2 user, 3 the viewer's positions (with the navigation's unread count), 4 the region,
    # 5 the course, 6 "data as of", 7 local branches, 8 secretaries in post per local branch,
    # 9 assignment counts per local branch, 10 the overdue list, 11 trained in time per quarter.
    with django_assert_num_queries(11):
        assert staff.get(region_url).status_code == 200
    national_url = reverse("training:national")
    admin.get(national_url)
    # 1 session, 2 user, 3 positions (with the unread count), 4 course, 5 "data as of", 6 regions,
    # 7 people in post per region, 8 assignment counts per region, 9 trained in time per quarter.
    with django_assert_num_queries(9):
        assert admin.get(national_url).status_code == 200
