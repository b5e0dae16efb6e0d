"""The gates of contests found in review: whom a jury may be picked from, who removes an
attachment, and the rubric and jury reached only through their contest's gate."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.http import urlencode

from branches import services as branch_services
from branches.models import Role
from contests import services
from contests.models import Attachment, Juror, Level, Method, Theme
from contests.tests.conftest import DATES, YEAR

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _offered(response) -> set[str]:
    return {person.last_name for person in response.context["form"].fields["person"].queryset}


@pytest.fixture
def people_of_both_regions(cast):
    """A person with a login in each region (a local head), besides the cast."""
    from django.contrib.auth import get_user_model

    made = {}
    for name, local in (("Амурцев", cast.local_a2), ("Карелов", cast.local_b1)):
        user = get_user_model().objects.create(username=name, last_name=name)
        person = branch_services.person_create(last_name=name, first_name="Иван", user=user)
        branch_services.position_create(
            person=person, role=Role.LOCAL_HEAD, local_branch=local, starts_on=date(2020, 1, 1)
        )
        made[name] = person
    return made


def test_a_regional_stage_offers_only_its_region_s_people_as_jurors(client_for, world, people_of_both_regions):
    response = client_for("staff_a").get(reverse("contests:juror_add", args=[world.contest.pk]))
    offered = _offered(response)
    assert "Амурцев" in offered and "Аппаратова" in offered
    assert "Карелов" not in offered and "Карельский" not in offered and "Жюрина" not in offered


def test_a_person_of_another_region_cannot_be_made_a_juror_of_a_regional_stage(
    client_for, world, people_of_both_regions
):
    outsider = people_of_both_regions["Карелов"]
    response = client_for("staff_a").post(
        reverse("contests:juror_add", args=[world.contest.pk]),
        {"person": outsider.pk, "nominations": [world.nomination(Theme.MENTORING).pk]},
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors
    assert not Juror.objects.exists()


def test_the_federal_final_offers_anyone_with_a_login(client_for, cast, clock, people_of_both_regions):
    final = services.contest_create(
        actor=cast.user("admin"), year=YEAR, level=Level.FEDERAL, region=None, method=Method.MEAN, **DATES
    )
    offered = _offered(client_for("admin").get(reverse("contests:juror_add", args=[final.pk])))
    assert {"Амурцев", "Карелов", "Жюрина", "Аппаратова", "Карельский"} <= offered


def test_only_the_entry_s_secretary_removes_an_attachment(client_for, world, cast):
    world.open()
    entry = world.enter(submit=False)
    upload = SimpleUploadedFile("отчёт.pdf", PDF, content_type="application/pdf")
    attachment = services.attachment_add(actor=cast.user("secretary"), entry=entry, upload=upload)
    url = reverse("contests:attachment_remove", args=[attachment.pk])
    assert client_for("staff_a").post(url).status_code == 403  # reads the entry, does not change it
    assert client_for("staff_b").post(url).status_code == 404  # another region: not even its existence
    assert client_for("juror").post(url).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert client_for("secretary").post(url).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()


def test_the_rubric_of_another_region_s_stage_is_out_of_reach(client_for, world):
    criterion = world.criteria()[0]
    nomination = world.nomination()
    assert client_for("staff_b").get(reverse("contests:criterion_edit", args=[criterion.pk])).status_code == 404
    assert client_for("staff_b").post(reverse("contests:nomination_remove", args=[nomination.pk])).status_code == 404
    assert client_for("secretary").get(reverse("contests:criterion_edit", args=[criterion.pk])).status_code == 404
    assert client_for("staff_a").get(reverse("contests:criterion_edit", args=[criterion.pk])).status_code == 200


# The jury's person picker (branches:person_search with login=1) ---------------------------


def _search(client, contest, query):
    """The answers the juror form's picker gets for `query`: its own search URL, as the page wrote it."""
    form = client.get(reverse("contests:juror_add", args=[contest.pk])).context["form"]
    url = form.fields["person"].widget.search_url
    response = client.get(f"{url}&{urlencode({'person_q': query})}")
    return {person.last_name for person in response.context["people"]}


def test_the_jury_picker_finds_the_region_s_people_with_a_login(client_for, world, people_of_both_regions):
    from branches.services import person_create

    no_login = person_create(last_name="Амурский", first_name="Без", phone="+79140000009")
    branch_services.position_create(
        person=no_login, role=Role.LOCAL_HEAD, local_branch=world.cast.local_a1, starts_on=date(2020, 1, 1)
    )
    staff = client_for("staff_a")
    assert _search(staff, world.contest, "амур") == {"Амурцев"}  # not the one without a login
    assert _search(staff, world.contest, "карел") == set()  # not by browsing another region
    assert _search(staff, world.contest, "+7 914 000-00-09") == set()  # no login: not even by contact


def test_a_person_of_another_region_becomes_a_juror_with_the_exact_contact_that_found_them(
    client_for, world, people_of_both_regions
):
    outsider = people_of_both_regions["Карелов"]
    branch_services.person_update(person=outsider, phone="+79110000002")
    staff = client_for("staff_a")
    assert _search(staff, world.contest, "8 911 000-00-02") == {"Карелов"}
    url = reverse("contests:juror_add", args=[world.contest.pk])
    data = {"person": outsider.pk, "nominations": [world.nomination(Theme.MENTORING).pk]}
    assert "person" in staff.post(url, data).context["form"].errors  # the id alone: refused
    response = staff.post(url, {**data, "person_contact": "+79110000002"})
    assert response.status_code == 302
    assert Juror.objects.get().person == outsider


def test_the_jury_form_offers_no_list_of_people_and_costs_fixed_queries(
    client_for, world, people_of_both_regions, django_assert_num_queries
):
    client = client_for("staff_a")
    url = reverse("contests:juror_add", args=[world.contest.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the unread count), 4 the contest with its gate,
    # 5 the nominations (checkboxes), 6 the region's open local branches (the home branch select)
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert 'name="person_q"' in page and "Амурцев" not in page  # a search box, not a select of people
