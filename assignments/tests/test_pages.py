"""The assignment pages: lists and the dashboard with pinned query counts, and the flows through the forms."""

from django.urls import reverse

from assignments import services
from assignments.models import State
from assignments.selectors import desk_items
from assignments.tests.helpers import issue, local_secretary
from core.access import viewer_for


def _all_regions(cast):
    directive = issue(to=services.Addressees(all_regions=True), issued_by=cast.person("admin"))
    amur = directive.assignments.get(region=cast.region_a)
    services.assignment_pass_down(assignment=amur, local_branches=[cast.local_a1, cast.local_a2], by=None)
    return directive, amur


def test_the_dashboard_of_a_directive_across_89_regions(cast, client_for, django_assert_num_queries):
    directive, _amur = _all_regions(cast)
    karelia = directive.assignments.get(region=cast.region_b)
    services.assignment_report(assignment=karelia, by=None, report="Сделано")
    services.assignment_accept(assignment=karelia, by=None)
    client = client_for("admin")
    # 1 session, 1 user, 1 viewer's positions (with the unread badge), 1 the directive, 1 the
    # regions, 1 the region-level assignments with their sub-assignment counts, 3 the staff session's
    # sliding expiry (savepoint, update, release).
    with django_assert_num_queries(9):
        response = client.get(reverse("assignments:directive", kwargs={"pk": directive.pk}))
    assert response.status_code == 200
    rows = {row.region.code: row for row in response.context["rows"]}
    assert len(rows) == 89
    assert rows["10"].status == "done"
    assert rows["28"].status == "in_time" and (rows["28"].assignment.parts, rows["28"].assignment.parts_done) == (2, 0)
    assert response.context["totals"] == {"done": 1, "in_time": 88, "overdue": 0, "none": 0}


def test_the_dashboard_exports_to_xlsx(cast, client_for):
    directive, _amur = _all_regions(cast)
    response = client_for("admin").get(reverse("assignments:directive_export", kwargs={"pk": directive.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_regions_list_shows_its_assignment_and_what_it_passed_down(cast, client_for, django_assert_num_queries):
    _directive, _amur = _all_regions(cast)
    client = client_for("staff_a")
    # 1 session, 1 user, 1 viewer's positions (with their local-branch posts), 1 the region
    # (gate), 1 the page of assignments (keyset, with progress counts), 3 the staff session's
    # sliding expiry; the viewer's query counts the unread badge too.
    with django_assert_num_queries(8):
        response = client.get(reverse("assignments:region", kwargs={"region_pk": cast.region_a.pk}))
    rows = response.context["page"].rows
    assert [row.addressee for row in rows][:1] == [str(cast.region_a)]
    assert len(rows) == 3
    assert rows[0].parts == 2


def test_nobody_sees_another_regions_assignments(cast, client_for):
    directive, _amur = _all_regions(cast)
    karelia = directive.assignments.get(region=cast.region_b)
    client = client_for("staff_a")
    assert client.get(karelia.get_absolute_url()).status_code == 404
    assert client.get(reverse("assignments:region", kwargs={"region_pk": cast.region_b.pk})).status_code == 404
    response = client_for("staff_a").get(reverse("assignments:mine"))
    assert {row.region_id for row in response.context["page"].rows} == {cast.region_a.pk}


def test_staff_pass_down_a_local_secretary_reports_staff_accept(cast, client_for):
    from django.test import Client

    _directive, amur = _all_regions(cast)
    child = amur.children.get(local_branch=cast.local_a1)
    secretary = local_secretary(cast.local_a1)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="local-sec")
    secretary.user = user
    secretary.save(update_fields=["user"])
    browser = Client()
    browser.force_login(user)
    response = browser.post(reverse("assignments:report", kwargs={"pk": child.pk}), {"report": "Провели 3 приёма"})
    assert response.status_code == 302
    staff = client_for("staff_a")
    response = staff.post(reverse("assignments:review", kwargs={"pk": child.pk}), {"accept": "1"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.state == State.ACCEPTED
    # The other local branch's secretary's page is not this one's to see.
    other = amur.children.get(local_branch=cast.local_a2)
    assert browser.get(other.get_absolute_url()).status_code == 404


def test_the_desk_shows_what_to_report_and_to_review(cast, django_assert_num_queries):
    _directive, amur = _all_regions(cast)
    child = amur.children.first()
    services.assignment_report(assignment=child, by=None, report="Готово")
    viewer = viewer_for(cast.user("staff_a"))
    # 1 the counts to report (open or returned, overdue) and the reports to review, in one
    # aggregate (the viewer's local-branch posts come with the viewer).
    with django_assert_num_queries(1):
        items = desk_items(viewer)
    assert [(item.url, item.count) for item in items] == [
        (reverse("assignments:mine"), 1),
        (reverse("assignments:region", kwargs={"region_pk": cast.region_a.pk}), 1),
    ]


def test_the_list_of_a_person_is_one_query_for_the_page(cast, client_for, django_assert_num_queries):
    _all_regions(cast)
    client = client_for("secretary")
    # 1 session, 1 user, 1 viewer's positions (with the unread badge and the local-branch
    # posts), 1 the page.
    with django_assert_num_queries(4):
        response = client.get(reverse("assignments:mine"))
    assert response.status_code == 200


def test_an_administrator_sees_the_regions_reports_to_review_on_the_desk(cast, django_assert_num_queries):
    directive, _amur = _all_regions(cast)
    services.assignment_report(assignment=directive.assignments.get(region=cast.region_b), by=None, report="Готово")
    viewer = viewer_for(cast.user("admin"))
    # 1 the regions' reports waiting for review.
    with django_assert_num_queries(1):
        items = desk_items(viewer)
    assert [(item.url, item.count) for item in items] == [(reverse("assignments:mine"), 1)]


def test_regional_staff_write_an_assignment_without_a_council_decision(cast, client_for):
    """To chosen local branches, to a post's holders in the region, to one person: each fans out at once."""
    from assignments.models import Assignment, Directive
    from branches.models import Role

    client = client_for("staff_a")
    url = reverse("assignments:staff_directive", kwargs={"region_pk": cast.region_a.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["form"].fields["local_branches"].queryset) == {cast.local_a1, cast.local_a2}
    base = {"title": "Провести собрания секретарей", "due_on": "2026-12-01"}
    response = client.post(url, {**base, "to": "local", "local_branches": [cast.local_a2.pk]})
    assert response.status_code == 302 and response["Location"] == reverse(
        "assignments:region", kwargs={"region_pk": cast.region_a.pk}
    )
    directive = Directive.objects.get()
    assert directive.source_key == f"regional.{cast.region_a.pk}"
    assert directive.issued_by_id == cast.person("staff_a").pk
    assert [a.local_branch_id for a in directive.assignments.all()] == [cast.local_a2.pk]
    # A post: its holders in this region only (the secretary of Karelia's branch is not addressed).
    client.post(url, {**base, "title": "Отчитаться о приёмах", "to": "post", "post": Role.PRIMARY_SECRETARY})
    by_post = Assignment.objects.filter(directive__title="Отчитаться о приёмах")
    assert by_post.exists() and set(by_post.values_list("region_id", flat=True)) == {cast.region_a.pk}
    client.post(url, {**base, "title": "Лично", "to": "person", "person": cast.person("secretary").pk})
    assert Assignment.objects.get(directive__title="Лично").person_id == cast.person("secretary").pk
    # A choice left out is a message, nothing written.
    response = client.post(url, {**base, "title": "Никому", "to": "local"})
    assert response.status_code == 200 and response.context["form"].errors["local_branches"]
    assert not Directive.objects.filter(title="Никому").exists()
    # The addressee reports it; the region's staff review it.
    mine = Assignment.objects.get(directive__title="Лично")
    services.assignment_report(assignment=mine, by=cast.person("secretary"), report="Сделано")
    response = client.post(reverse("assignments:review", kwargs={"pk": mine.pk}), {"note": ""})
    mine.refresh_from_db()
    assert mine.state == State.ACCEPTED


def test_staff_of_another_region_cannot_write_for_this_one(cast, client_for):
    url = reverse("assignments:staff_directive", kwargs={"region_pk": cast.region_a.pk})
    assert client_for("staff_b").get(url).status_code == 404


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 64


def test_a_report_carries_files_checked_by_their_content(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assignments.models import ReportFile

    _directive, amur = _all_regions(cast)
    client = client_for("staff_a")
    url = reverse("assignments:report", kwargs={"pk": amur.pk})
    # A text file named .png is refused with its name; nothing is reported.
    fake = SimpleUploadedFile("фото.png", b"not an image at all", content_type="image/png")
    response = client.post(url, {"report": "Сделано", "attachments": [fake]})
    assert response.status_code == 200
    assert "фото.png" in str(response.context["report_form"].errors["attachments"])
    amur.refresh_from_db()
    assert amur.state == State.OPEN and not ReportFile.objects.exists()
    # Six files: more than a report takes.
    six = [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)]
    response = client.post(url, {"report": "Сделано", "attachments": six})
    assert response.context["report_form"].errors["attachments"]
    # A PDF and an image: stored with the report's history row, downloaded privately.
    files = [SimpleUploadedFile("протокол.pdf", PDF), SimpleUploadedFile("фото.png", PNG)]
    response = client.post(url, {"report": "Приёмы идут", "attachments": files})
    assert response.status_code == 302
    stored = list(ReportFile.objects.order_by("pk"))
    assert [(f.original_name, f.content_type) for f in stored] == [
        ("протокол.pdf", "application/pdf"),
        ("фото.png", "image/png"),
    ]
    assert stored[0].event.state == State.REPORTED
    page = client.get(amur.get_absolute_url())
    assert "протокол.pdf" in page.content.decode()
    download = client_for("admin").get(stored[0].get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "no-store" in download["Cache-Control"]
    assert client_for("staff_b").get(stored[0].get_absolute_url()).status_code == 404


def test_a_persons_list_shows_what_is_addressed_to_them_open_first(cast, client_for, django_assert_num_queries):
    secretary = cast.person("secretary")
    first = issue(to=services.Addressees(people=(secretary,)), title="Первое")
    second = issue(to=services.Addressees(people=(secretary,)), title="Второе")
    done = first.assignments.get()
    services.assignment_report(assignment=done, by=secretary, report="Сделано")
    services.assignment_accept(assignment=done, by=None)
    client = client_for("staff_a")
    url = reverse("assignments:person", kwargs={"person_pk": secretary.pk})
    # 1 session, 1 user, 1 viewer's positions (with the unread badge and the local-branch
    # posts), 1 the person (gate), 1 the page of assignments (keyset, with progress counts),
    # 3 the staff session's sliding expiry.
    with django_assert_num_queries(8):
        response = client.get(url)
    titles = [row.directive.title for row in response.context["page"].rows]
    assert titles == [second.title, first.title]
