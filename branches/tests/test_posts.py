"""The posts of a region: leaders and deputies of the regional and local branches, appointed and ended in the app."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Position, Role
from core.testing import run_concurrently

pytestmark = pytest.mark.django_db


def _local_secretary(local):
    return Position.objects.current().filter(role=Role.LOCAL_SECRETARY, local_branch=local).first()


def test_the_posts_page_lists_each_unit_with_its_vacancies(client_for, cast, django_assert_num_queries):
    client = client_for("staff_a")
    url = reverse("branches:posts", args=[cast.region_a.pk])
    client.get(url)  # the first request of a login saves its session
    # session, user, viewer (with the unread count), region, posts, open local branches.
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert "Региональное отделение" in page and "Благовещенское городское" in page
    assert "Депутатов Дмитрий Олегович" in page  # the cast's regional deputy
    assert page.count("вакантно") == 3  # the regional secretary and both local secretaries
    assert "Карельский" not in page


def test_staff_appoint_a_local_secretary_from_the_vacancy_and_replace_them_later(client_for, cast):
    client = client_for("staff_a")
    today = timezone.localdate()
    url = reverse("branches:post_appoint", args=[cast.region_a.pk])
    query = f"?role=local_secretary&local_branch={cast.local_a1.pk}"
    page = client.get(url + query).content.decode()
    assert "Должность вакантна." in page
    form = {
        "role": "local_secretary",
        "local_branch": cast.local_a1.pk,
        "last_name": "Местная",
        "first_name": "Мария",
        "starts_on": (today - timedelta(days=10)).isoformat(),
        "decision": "протокол № 3",
        "replacing": "",
    }
    response = client.post(url + query, form, follow=True)
    assert "Местная Мария: секретарь местного отделения" in response.content.decode()
    first = _local_secretary(cast.local_a1)
    assert (first.person.last_name, first.decision) == ("Местная", "протокол № 3")
    # The next appointment names the holder and ends their term the day it starts.
    page = client.get(url + query).content.decode()
    assert "Местная Мария" in page and "закончатся в день начала" in page
    second = {**form, "last_name": "Новая", "first_name": "Нина", "starts_on": today.isoformat(), "replacing": first.pk}
    client.post(url + query, second)
    first.refresh_from_db()
    assert first.ends_on == today
    assert _local_secretary(cast.local_a1).person.last_name == "Новая"
    # A page opened before that change is stale: refused, nobody replaced.
    third = {**form, "last_name": "Поздняя", "first_name": "Полина", "starts_on": today.isoformat(), "replacing": ""}
    response = client.post(url + query, third)
    assert "Кто-то только что изменил" in response.content.decode()
    assert _local_secretary(cast.local_a1).person.last_name == "Новая"


def test_the_general_form_offers_posts_with_several_holders_and_checks_the_unit(client_for, cast):
    client = client_for("staff_a")
    url = reverse("branches:post_appoint", args=[cast.region_a.pk])
    page = client.get(url).content.decode()
    assert "Муниципальный депутат" in page and "Секретарь местного отделения" not in page
    assert "Сотрудник аппарата регионального отделения" not in page  # staff posts are the administrators' to give
    base = {"last_name": "Мун", "first_name": "Михаил", "starts_on": timezone.localdate().isoformat()}
    response = client.post(url, {**base, "role": "municipal_deputy"})
    assert "Выберите местное отделение этой должности." in response.content.decode()
    client.post(url, {**base, "role": "municipal_deputy", "local_branch": cast.local_a2.pk})
    deputy = Position.objects.get(role=Role.MUNICIPAL_DEPUTY)
    assert (deputy.local_branch, deputy.region) == (cast.local_a2, cast.region_a)
    # A secretary's post cannot be slipped into the general form.
    response = client.post(url, {**base, "role": "local_secretary", "local_branch": cast.local_a2.pk})
    assert response.status_code == 200 and _local_secretary(cast.local_a2) is None
    # Another region's local branch is not a choice.
    client.post(url, {**base, "last_name": "Чужой", "role": "municipal_deputy", "local_branch": cast.local_b1.pk})
    assert not Position.objects.filter(person__last_name="Чужой").exists()


def test_only_an_administrator_appoints_and_dismisses_regional_staff(client_for, cast):
    staff_post = Position.objects.get(person=cast.person("staff_a"), role=Role.REGIONAL_STAFF)
    assert client_for("staff_a").get(reverse("branches:post_end", args=[staff_post.pk])).status_code == 403
    assert client_for("admin").get(reverse("branches:post_end", args=[staff_post.pk])).status_code == 200
    page = client_for("admin").get(reverse("branches:post_appoint", args=[cast.region_a.pk])).content.decode()
    assert "Сотрудник аппарата регионального отделения" in page


def test_ending_a_deputys_term_without_a_successor(client_for, cast):
    post = Position.objects.get(person=cast.person("host"))
    client = client_for("staff_a")
    url = reverse("branches:post_end", args=[post.pk])
    today = timezone.localdate()
    response = client.post(
        url, {"ends_on": today.isoformat(), "reason": "resignation", "position": post.pk}, follow=True
    )
    assert "Депутатов Дмитрий Олегович" in response.content.decode()
    post.refresh_from_db()
    assert (post.ends_on, post.end_reason) == (today, "по собственному желанию")
    # The ended term leaves the page; a second submission of the stale form ends nothing more.
    again = client.post(
        url, {"ends_on": (today - timedelta(days=1)).isoformat(), "reason": "other", "position": post.pk}
    )
    assert again.status_code == 302
    post.refresh_from_db()
    assert post.ends_on == today


def test_the_same_person_cannot_hold_one_post_twice_at_once_in_the_database(cast):
    host = Position.objects.get(person=cast.person("host"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            person=host.person, role=host.role, region=host.region, starts_on=host.starts_on + timedelta(days=5)
        )


@pytest.mark.django_db(transaction=True)
def test_two_staff_appointing_a_local_secretary_at_once_one_wins(cast):
    """The local branch's lock orders them; the second sees a holder it did not expect and is refused."""
    people = [services.person_create(last_name=f"Гонщик{n}", first_name="Гена") for n in range(2)]
    today = timezone.localdate()

    def appoint(person):
        return services.post_appoint(
            region=cast.region_a,
            role=Role.LOCAL_SECRETARY,
            local_branch=cast.local_a2,
            person=person,
            starts_on=today,
            replacing=None,
        )

    outcomes = run_concurrently(appoint, people, expected_errors=(ValidationError,))
    assert sum(isinstance(outcome, Position) for outcome in outcomes) == 1
    (refused,) = [outcome for outcome in outcomes if not isinstance(outcome, Position)]
    assert isinstance(refused, ValidationError) and refused.code == "stale"
    assert Position.objects.filter(role=Role.LOCAL_SECRETARY, local_branch=cast.local_a2).count() == 1
