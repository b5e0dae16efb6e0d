"""The pages of mentoring: what they show, the forms behind them, and their pinned query counts."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from mentorship import services
from mentorship.models import Pair, PairStatus
from mentorship.tests.conftest import PAIR_START, active_pair, branch_with_secretary, running_programme

pytestmark = pytest.mark.django_db

# Every logged-in page starts with these: the session, the user, the viewer (current
# positions, with the unread-message count of the navigation bar).
SESSION_USER_VIEWER = 3


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _programme_with_pairs(cast, count):
    programme = running_programme(cast.region_a)
    mentors = [cast.branch_a] + [branch_with_secretary(cast.local_a1, 50 + n, f"Наставница{n}") for n in range(3)]
    pairs = [
        active_pair(programme, mentors[n % 4], branch_with_secretary(cast.local_a2, 100 + n, f"Подопечная{n}"))
        for n in range(count)
    ]
    return programme, pairs


@pytest.mark.parametrize("count", [3, 9])
def test_the_programme_page_costs_the_same_for_any_number_of_pairs(cast, client_for, django_assert_num_queries, count):
    programme, pairs = _programme_with_pairs(cast, count)
    services.check_in_record(pair=pairs[0], held_on=date(2026, 9, 10), kind="call")
    client = client_for("staff_a")
    # the programme (gate); the pairs with their last check-in; the secretaries of their
    # branches; the young activists of the region
    url = reverse("mentorship:programme", kwargs={"pk": programme.pk})
    client.get(url)  # the first request of a login saves its session
    with django_assert_num_queries(SESSION_USER_VIEWER + 4):
        response = client.get(url)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == count
    assert rows[-1].pair == pairs[0]  # the only pair on track comes last; too early ones before it
    assert "Секретарёва" in response.text


def test_the_pair_page_shows_both_sides_history_and_results(cast, client_for, django_assert_num_queries, mentee):
    pair = active_pair(cast_programme := running_programme(cast.region_a), cast.branch_a, mentee)
    services.check_in_record(pair=pair, held_on=date(2026, 9, 10), kind="meeting", notes="Обсудили приём")
    services.goal_add(pair=pair, text="Провести два приёма", due_on=date(2026, 11, 1), figure="receptions")
    client = client_for("secretary")
    # the pair (gate); the check-ins (the last one read from them); the secretaries; the
    # secretary terms for the history; two figures × before and now (receptions booked,
    # contest entries submitted); the goals
    url = reverse("mentorship:pair", kwargs={"pk": pair.pk})
    client.get(url)  # the first request of a login saves its session
    with django_assert_num_queries(SESSION_USER_VIEWER + 9):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["row"].health == "on_track"
    assert "Заречнова" in response.text and "Секретарёва" in response.text
    assert "Провести два приёма" in response.text
    assert [r.label for r in response.context["results"]] == ["записи на приём", "поданные заявки на конкурс"]
    assert cast_programme.pk == pair.programme_id


def test_staff_take_a_suggestion_and_the_pair_is_proposed_with_its_reasons(
    cast, client_for, django_assert_num_queries, programme, mentee
):
    near = branch_with_secretary(cast.local_a2, 7, "Соседняя", members=30)
    branch_with_secretary(cast.local_a1, 8, "Дальняя", members=30)
    client = client_for("staff_a")
    url = reverse("mentorship:suggestions", kwargs={"pk": programme.pk}) + f"?mentee={mentee.pk}"
    # the programme (gate); the mentee; the mentors' live pairs; the mentees already paired;
    # the candidates; contest places; receptions booked; the branches for the picker
    client.get(url)  # the first request of a login saves its session
    with django_assert_num_queries(SESSION_USER_VIEWER + 8):
        response = client.get(url)
    suggestions = response.context["suggestions"]
    assert suggestions[0].branch == near  # the same local branch comes first
    assert "то же местное отделение" in suggestions[0].reasons_text  # the page speaks Russian
    response = client.post(url, {"mentor_branch": near.pk, "focus": "requests", "starts_on": "2026-09-16"})
    pair = Pair.objects.get(mentee_branch=mentee)
    assert response.status_code == 302 and response.url == pair.get_absolute_url()
    assert pair.mentor_branch == near and pair.status == PairStatus.PROPOSED
    assert "то же местное отделение" in pair.reasons


def test_a_branch_not_suggested_cannot_be_posted_as_a_mentor(cast, client_for, programme, mentee):
    url = reverse("mentorship:suggestions", kwargs={"pk": programme.pk}) + f"?mentee={mentee.pk}"
    response = client_for("staff_a").post(
        url, {"mentor_branch": cast.branch_b.pk, "focus": "other", "starts_on": "2026-09-16"}
    )
    assert response.status_code == 403
    assert not Pair.objects.exists()


def test_staff_start_a_pair_and_a_secretary_records_a_check_in(cast, client_for, programme, mentee):
    pair = services.pair_propose(
        programme=programme, mentor_branch=cast.branch_a, mentee_branch=mentee, starts_on=PAIR_START
    )
    staff = client_for("staff_a")
    staff.post(reverse("mentorship:pair_status", kwargs={"pk": pair.pk}), {"action": "accept"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    response = client_for("secretary").post(
        reverse("mentorship:check_in_create", kwargs={"pk": pair.pk}),
        {"held_on": "2026-09-15", "kind": "call", "notes": "Созвонились", "next_step": "Встреча"},
    )
    assert response.status_code == 302
    check_in = pair.check_ins.get()
    assert check_in.recorded_by == cast.person("secretary")


def test_a_check_in_in_the_future_is_refused_with_a_message(cast, client_for, programme, mentee):
    pair = active_pair(programme, cast.branch_a, mentee)
    response = client_for("secretary").post(
        reverse("mentorship:check_in_create", kwargs={"pk": pair.pk}), {"held_on": "2026-10-15", "kind": "call"}
    )
    assert response.status_code == 200
    assert "Дата встречи — между началом пары и сегодняшним днём." in response.text


def test_staff_create_a_programme_of_their_region(cast, client_for):
    response = client_for("staff_a").post(
        reverse("mentorship:programme_create"),
        {
            "region": cast.region_a.pk,
            "title": "Амурское наставничество",
            "year": 2026,
            "starts_on": "2026-10-01",
            "ends_on": "2026-09-01",
            "pair_months": 6,
            "check_in_days": 30,
            "capacity": 3,
        },
    )
    assert "Программа должна заканчиваться позже, чем начинается." in response.text
    response = client_for("staff_a").post(
        reverse("mentorship:programme_create"),
        {
            "region": cast.region_b.pk,
            "title": "Чужое",
            "year": 2026,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "pair_months": 6,
            "check_in_days": 30,
            "capacity": 3,
        },
    )
    assert response.status_code == 200 and "region" in response.context["form"].errors


def test_the_secretary_s_list_and_desk_show_their_pair_and_next_check_in(
    cast, client_for, django_assert_num_queries, programme, mentee
):
    active_pair(programme, cast.branch_a, mentee)
    client = client_for("secretary")
    # the secretary's pairs with their last check-in; the secretaries of their branches
    client.get(reverse("mentorship:list"))  # the first request of a login saves its session
    with django_assert_num_queries(SESSION_USER_VIEWER + 2):
        response = client.get(reverse("mentorship:list"))
    assert "Заречная" in response.text
    response = client.get(reverse("desk:home"))
    assert "следующая встреча до 01.10.2026" in response.text


def test_staff_desk_counts_stalled_pairs(cast, client_for, programme, mentee):
    active_pair(programme, cast.branch_a, mentee, starts_on=date(2026, 6, 1))
    active_pair(programme, cast.branch_a, branch_with_secretary(cast.local_a1, 3, "Третья"), starts_on=date(2026, 6, 1))
    response = client_for("staff_a").get(reverse("desk:home"))
    item = next(i for i in response.context["items"] if i.app == "mentorship")
    assert item.count == 2


def test_the_national_summary_shows_pairs_per_region_and_share_on_track(cast, client_for, django_assert_num_queries):
    programme, pairs = _programme_with_pairs(cast, 4)
    services.check_in_record(pair=pairs[0], held_on=date(2026, 9, 10), kind="call")
    client = client_for("admin")
    # the regions; every pair of open or running programmes with its last check-in
    client.get(reverse("mentorship:national"))  # the first request of a login saves its session
    with django_assert_num_queries(SESSION_USER_VIEWER + 2):
        response = client.get(reverse("mentorship:national"))
    [row] = response.context["rows"]
    assert (row.region, row.pairs, row.active, row.on_track_share) == (cast.region_a, 4, 4, 25)
    assert programme.pk


def test_either_side_marks_a_goal_met(cast, client_for, programme, mentee):
    pair = active_pair(programme, cast.branch_a, mentee)
    goal = services.goal_add(pair=pair, text="Провести два приёма")
    url = reverse("mentorship:goal_status", kwargs={"pk": pair.pk, "goal_pk": goal.pk})
    assert client_for("secretary").post(url, {"status": "met"}).status_code == 302
    goal.refresh_from_db()
    assert goal.status == "met"
    other = active_pair(programme, cast.branch_a, branch_with_secretary(cast.local_a1, 3, "Третья"))
    stranger = reverse("mentorship:goal_status", kwargs={"pk": other.pk, "goal_pk": goal.pk})
    assert client_for("secretary").post(stranger, {"status": "dropped"}).status_code == 404  # not that pair's goal
