"""The personal-data access log in the app: administrators read all of it, regional staff their region's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def _rows(response):
    return [(a.viewer.username, a.person.last_name if a.person else None) for a in response.context["page"].rows]


@pytest.fixture
def accesses(cast, client_for):
    """Staff of Amur open their secretary's branch; Karelia's staff open №80 and export their list."""
    cast.branch_b.refresh_from_db()
    karelian = services.person_create(last_name="Карелова", first_name="Кира")
    services.secretary_appoint(branch=cast.branch_b, person=karelian, starts_on=timezone.localdate())
    client_for("staff_a").get(reverse("branches:branch", args=[cast.branch_a.pk]))
    client_for("staff_a").get(reverse("branches:person", args=[cast.person("secretary").pk]))
    karelia = client_for("staff_b")
    karelia.get(reverse("branches:branch", args=[cast.branch_b.pk]))
    karelia.get(reverse("branches:export", args=[cast.region_b.pk, "csv"]))


def test_regional_staff_read_their_region_s_accesses_only(client_for, cast, accesses):
    amur = client_for("staff_a").get(reverse("branches:data_log"))
    assert _rows(amur) == [("staff-a", "Секретарёва"), ("staff-a", "Секретарёва")]
    karelia = client_for("staff_b").get(reverse("branches:data_log"))
    assert _rows(karelia) == [("staff-b", None), ("staff-b", "Карелова")]
    page = karelia.content.decode()
    assert "Карелова Кира" in page and "Секретарёва" not in page


def test_an_administrator_reads_every_access_and_filters_them(client_for, cast, accesses):
    admin = client_for("admin")
    url = reverse("branches:data_log")
    assert len(_rows(admin.get(url))) == 4
    assert _rows(admin.get(url, {"person": "карел"})) == [("staff-b", "Карелова")]
    assert {viewer for viewer, _person in _rows(admin.get(url, {"viewer": "staff-a"}))} == {"staff-a"}
    assert {viewer for viewer, _person in _rows(admin.get(url, {"viewer": "Аппаратова"}))} == {"staff-a"}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert _rows(admin.get(url, {"since": tomorrow})) == []
    assert len(_rows(admin.get(url, {"until": tomorrow, "since": "не дата"}))) == 4  # a bad value is ignored


def test_the_log_is_paged_newest_first_in_a_fixed_number_of_queries(
    client_for, cast, django_assert_num_queries, time_machine
):
    start = timezone.now()
    for minute in range(60):
        time_machine.move_to(start + timedelta(minutes=minute))
        services.personal_data_log(
            viewer=cast.user("staff_a"),
            action=PersonalDataAccess.Action.VIEW,
            person=cast.person("secretary"),
            region=cast.region_a,
        )
    client = client_for("staff_a")
    url = reverse("branches:data_log")
    first = client.get(url).context["page"]
    assert first.rows[0].at > first.rows[-1].at and len(first.rows) == 50
    # 1 session, 2 user, 3 viewer positions (with the unread count in the navigation),
    # 4 one page of accesses with their viewers, people and regions
    with django_assert_num_queries(4):
        rest = client.get(url, {"after": first.next_cursor}).context["page"]
    assert len(rest.rows) == 10 and rest.is_last


def test_a_secretary_cannot_read_the_log(client_for):
    assert client_for("secretary").get(reverse("branches:data_log")).status_code == 403
