"""The person picker: people the viewer may choose, by last name; another region's people by exact contact only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Position

pytestmark = pytest.mark.django_db


@pytest.fixture
def karelian(cast):
    """A Karelian secretary with a phone and an e-mail, moving to Amur."""
    person = services.person_create(
        last_name="Карелова", first_name="Кира", phone="+79110000001", email="kira@example.org", birth_year=1990
    )
    services.secretary_appoint(branch=cast.branch_b, person=person, starts_on=timezone.localdate())
    return person


def _answers(client, query, **extra):
    response = client.get(reverse("branches:person_search"), {"person_q": query, **extra})
    return [person.full_name for person in response.context["people"]], response


def test_staff_find_people_of_their_region_by_last_name(client_for, cast, karelian):
    amur, karelia = client_for("staff_a"), client_for("staff_b")
    assert _answers(amur, "секрет")[0] == ["Секретарёва Светлана Ивановна"]
    assert _answers(amur, "карел")[0] == []  # not by browsing another region
    names, response = _answers(karelia, "карел")
    assert names == ["Карелова Кира", "Карельский Борис Петрович"]  # Karelia's staff member too
    page = response.content.decode()
    assert "1990" in page and "№80 «Голиковка»" in page  # what tells namesakes apart


def test_another_region_s_person_is_found_by_exact_phone_or_e_mail_only(client_for, cast, karelian):
    amur = client_for("staff_a")
    assert _answers(amur, "8 911 000-00-01")[0] == ["Карелова Кира"]
    assert _answers(amur, "KIRA@example.org")[0] == ["Карелова Кира"]
    assert _answers(amur, "+7911000000")[0] == []  # a digit short: nothing
    assert _answers(amur, "kira@example")[0] == []
    _names, response = _answers(amur, "+79110000001")
    assert "найден по точному контакту" in response.content.decode()


def test_a_search_costs_a_fixed_number_of_queries(client_for, cast, karelian, django_assert_num_queries):
    client = client_for("staff_b")
    _answers(client, "карел")
    # 1 session, 2 user, 3 viewer positions, 4 the people, 5 their current posts
    with django_assert_num_queries(5):
        _answers(client, "карел", region=str(cast.region_b.pk))


def test_appointing_a_person_of_another_region_needs_the_contact_that_found_them(client_for, cast, karelian):
    client = client_for("staff_a")
    url = reverse("branches:secretary_appoint", args=[cast.branch_a2.pk])
    data = {
        "person": karelian.pk,
        "starts_on": timezone.localdate().isoformat(),
        "replacing": "",
        "other_posts_confirmed": "on",
    }
    guessed = client.post(url, data)
    assert "person" in guessed.context["form"].errors  # an id alone reaches nobody outside the region
    response = client.post(url, {**data, "person_contact": "+7 911 000 00 01"})
    assert response.status_code == 302, response.context["form"].errors
    posts = Position.objects.filter(person=karelian).order_by("region__code")
    assert [post.region.code for post in posts] == ["10", "28"]  # one person, one history across regions


def test_an_answer_carries_its_id_unlocalised(client_for, cast):
    """A Russian page writes 1234567 as «1 234 567»: the id an answer hands to the form must stay digits."""
    from branches.models import Person, Role

    person = Person.objects.create(pk=1_234_567, last_name="Большеномеров", first_name="Борис")
    services.position_create(
        person=person, role=Role.REGIONAL_DEPUTY, region=cast.region_a, starts_on=timezone.localdate()
    )
    _names, response = _answers(client_for("staff_a"), "большеномер")
    assert 'data-pick="1234567"' in response.content.decode()


def test_a_person_with_two_posts_in_the_region_is_one_answer(client_for, cast):
    from branches.models import Role

    services.position_create(
        person=cast.person("host"), role=Role.LOCAL_HEAD, local_branch=cast.local_a1, starts_on=timezone.localdate()
    )
    names, _response = _answers(client_for("admin"), "депутат", region=str(cast.region_a.pk))
    assert names == ["Депутатов Дмитрий Олегович"]


def test_login_1_keeps_to_people_with_a_login_by_name_and_by_contact(client_for, cast, karelian):
    admin = client_for("admin")
    assert _answers(admin, "карел")[0] == ["Карелова Кира", "Карельский Борис Петрович"]
    assert _answers(admin, "карел", login="1")[0] == ["Карельский Борис Петрович"]  # Kira has no login
    staff = client_for("staff_a")
    assert _answers(staff, "+79110000001")[0] == ["Карелова Кира"]
    assert _answers(staff, "+79110000001", login="1")[0] == []
