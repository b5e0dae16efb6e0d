"""Each person's desk: what needs them now, gathered from the apps, or plainly nothing."""

from django.urls import reverse

from notifications import services
from notifications.kinds import GENERAL_MESSAGE


def test_a_person_with_nothing_to_do_is_told_so(client_for):
    response = client_for("juror").get(reverse("desk:home"))
    assert response.context["items"] == []
    assert "Сейчас от вас ничего не требуется." in response.content.decode()


def test_unread_messages_are_on_the_desk_with_their_count(client_for, cast, django_capture_on_commit_callbacks):
    from django.utils import timezone

    for number in range(2):
        services.notification_plan(
            recipient=cast.person("secretary"),
            kind=GENERAL_MESSAGE.name,
            key=f"desk-test:{number}",
            due_at=timezone.now(),
            context={"subject": "Тема", "body": "Текст"},
        )
    services.deliver_due()
    response = client_for("secretary").get(reverse("desk:home"))
    (item,) = [item for item in response.context["items"] if item.app == "notifications"]
    assert (item.title, item.count, item.url) == ("Непрочитанные сообщения", 2, reverse("notifications:inbox"))


# Each role's desk, from the apps it touches, with its query count pinned ----------------------


def _desk(client_for, role, django_assert_num_queries, queries):
    client = client_for(role)
    client.get(reverse("desk:home"))  # the session's own first writes
    with django_assert_num_queries(queries):
        response = client.get(reverse("desk:home"))
    return {item.title: item for item in response.context["items"]}


def test_a_secretary_sees_the_next_reception(client_for, cast, django_assert_num_queries):
    from receptions.tests.factories import book

    booking = book(cast)
    # 1 session, 2 user, 3 viewer positions with the unread messages (the desk's item and
    # the navigation's badge) and the local branches they answer for, 4 the next booking
    # with its slot and host, 5 contests accepting entries, 6 the contests being judged with
    # the person's jury assignments, 7 the person's courses, 8 the branch's mentoring pairs,
    # 9 their assignments counted, 10 the events they are expected at or organised
    items = _desk(client_for, "secretary", django_assert_num_queries, 10)
    item = items["Ваш следующий приём"]
    assert item.url == booking.get_absolute_url() and "Депутатов" in item.detail


def test_a_secretary_without_a_reception_is_told_where_to_book(client_for, cast, django_assert_num_queries):
    items = _desk(client_for, "secretary", django_assert_num_queries, 10)
    assert items["Приём не назначен: выберите, к кому и когда прийти"].url == reverse("receptions:hosts")


def test_a_host_sees_the_week_on_track_with_the_norm(client_for, cast, django_assert_num_queries):
    from receptions.tests.factories import book

    book(cast)
    # 1 session, 2 user, 3 viewer positions with the unread messages (desk and badge),
    # 4 the host's region with its norm, 5 the host's bookings counted, 6 contests being
    # judged with jury assignments, 7 the person's courses, 8 assignments counted (follow-ups
    # of receptions among them), 9 events expected at or organised
    items = _desk(client_for, "host", django_assert_num_queries, 9)
    assert items["Приёмы в ближайшие семь дней"].count == 1
    assert "Вы отстаёте от нормы приёмов региона" not in items  # booked: on track this month


def test_a_host_with_nothing_booked_this_month_is_behind_the_norm(client_for, cast, django_assert_num_queries):
    items = _desk(client_for, "host", django_assert_num_queries, 9)
    behind = items["Вы отстаёте от нормы приёмов региона"]
    assert behind.detail == "в этом месяце проведено 0, записано 0 при норме 1"


def test_regional_staff_see_vacancies_of_their_region_only(client_for, cast, django_assert_num_queries):
    # One query per app (each app's selector folds its own figures):
    # 1 session, 2 user, 3 viewer positions with the unread messages (desk and badge) and
    # the local branches they answer for; 4 receptions: the staffed regions' hosts with their
    # region, norm and the month's bookings; 5 contests: those they run or judge; 6 councils:
    # each council with its open local branches and running terms; 7 branches: the staffed
    # regions' branches without a secretary and imports ready; 8 training: the person's
    # courses and the region's overdue count; 9 mentoring: stalled pairs; 10 assignments: to
    # report and to accept, counted together; 11 events: expected at, organised, the region's
    # to approve or close; 12 reserve: the pools they own and the posts of their region whose
    # terms end within a year with nobody ready now (one statement)
    items = _desk(client_for, "staff_a", django_assert_num_queries, 12)
    vacant = items["Первичные отделения без секретаря"]
    assert vacant.count == 1 and f"region={cast.region_a.pk}" in vacant.url  # branch_a2 (№2) has none
    assert items["Вакантные места в совете"].count == 4  # chair, deputy chair, two representatives
    assert items["Депутаты и руководители, отстающие от нормы приёмов"].count == 1
