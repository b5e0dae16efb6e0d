"""The federal council: members derived from the regional chairs plus appointed members; sessions and decisions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assignments.models import Directive
from branches import services as branches
from branches.models import Role
from councils import services
from councils.models import CouncilMeeting, SeatRole
from councils.selectors import federal_composition


def _person(name):
    return branches.person_create(last_name=name, first_name="Иван")


def _chair(region, starts_on=date(2025, 1, 1), name="Председателев"):
    return services.seat_appoint(
        council=services.council_for(region), role=SeatRole.CHAIR, person=_person(name), starts_on=starts_on
    )


def test_the_composition_is_derived_from_the_regional_chairs_on_the_day(cast):
    chair = _chair(cast.region_a)
    council = services.federal_council()
    member = services.seat_appoint(
        council=council,
        role=SeatRole.MEMBER,
        person=_person("Назначенный"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 1, 1),
    )
    composition = federal_composition(council, date(2026, 9, 16))
    rows = {row.region.code: row for row in composition.regions}
    assert rows["28"].chair == chair
    assert rows["10"].chair is None
    assert composition.vacancies == 88
    assert composition.members == [member]
    # A regional chair's seat ends with their chair term; an appointed member's with theirs.
    later = federal_composition(council, date(2030, 1, 1))
    assert later.vacancies == 89 and later.members == []


def test_members_sit_only_on_the_federal_council(cast):
    with pytest.raises(ValidationError):
        services.seat_appoint(
            council=services.council_for(cast.region_a),
            role=SeatRole.MEMBER,
            person=_person("Х"),
            starts_on=date(2026, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.seat_appoint(
            council=services.federal_council(), role=SeatRole.CHAIR, person=_person("Х"), starts_on=date(2026, 1, 1)
        )


def test_sessions_are_numbered_per_council_and_decisions_per_session(cast):
    federal = services.federal_council()
    regional = services.council_for(cast.region_a)
    first = services.meeting_create(
        council=federal,
        held_on=date(2026, 1, 10),
        agenda="Итоги",
        items=[("Итоги Года первичек", "А. Турчак"), ("Лучшие практики", "")],
    )
    second = services.meeting_create(council=federal, held_on=date(2026, 6, 10), agenda="Поручения")
    own = services.meeting_create(council=regional, held_on=date(2026, 2, 1), agenda="Отчёт")
    assert (first.number, second.number, own.number) == (1, 2, 1)
    assert [(item.position, item.speaker) for item in first.items.order_by("position")] == [
        (1, "А. Турчак"),
        (2, ""),
    ]
    chair = _chair(cast.region_a)
    services.attendance_record(meeting=first, present=[chair])
    one = services.decision_record(meeting=first, number="", text="Проводить приёмы")
    two = services.decision_record(meeting=first, number="", text="Конкурс ежегодно")
    assert (one.number, two.number) == ("1", "2")
    with pytest.raises(ValidationError):
        services.decision_record(meeting=first, number="1", text="Повтор")


def test_the_federal_quorum_counts_regional_chairs_and_appointed_members(cast):
    chair_a = _chair(cast.region_a, name="Амурский")
    _chair(cast.region_b, name="Карельский")
    federal = services.federal_council()
    meeting = services.meeting_create(council=federal, held_on=date(2026, 9, 1), agenda="Итоги")
    services.attendance_record(meeting=meeting, present=[chair_a])
    meeting.refresh_from_db()
    assert meeting.seats_filled == 2
    with pytest.raises(ValidationError) as error:
        services.decision_record(meeting=meeting, number="", text="Без кворума")
    assert error.value.code == "no_quorum"
    # A representative of a regional council is not a member of the federal one.
    representative = services.seat_appoint(
        council=services.council_for(cast.region_a),
        role=SeatRole.REPRESENTATIVE,
        local_branch=cast.local_a1,
        person=_person("Представитель"),
        starts_on=date(2025, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, present=[chair_a, representative])


def test_an_administrator_records_a_session_and_assigns_a_decision_to_every_region(cast, client_for):
    _chair(cast.region_a)
    admin = client_for("admin")
    response = admin.post(
        reverse("councils:federal_session_create"),
        {
            "held_on": "2026-09-10",
            "agenda": "Итоги Года первичек",
            "place": "Москва",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-title": "Лучшие практики",
            "items-0-speaker": "Е. Литвинова",
            "items-0-practice_url": "http://testserver/library/7/",
            "items-1-title": "",  # an empty row is skipped
        },
    )
    meeting = CouncilMeeting.objects.get(council__level="federal")
    assert [(i.title, i.speaker, i.practice_url) for i in meeting.items.all()] == [
        ("Лучшие практики", "Е. Литвинова", "/library/7/")
    ]
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    seat_ids = [seat.pk for seat in services.expected_seats(meeting)]
    admin.post(reverse("councils:meeting_attendance", kwargs={"pk": meeting.pk}), {"present": seat_ids})
    admin.post(reverse("councils:decision_create", kwargs={"pk": meeting.pk}), {"number": "", "text": "Приёмы"})
    decision = meeting.decisions.get()
    response = admin.post(
        reverse("councils:decision_assign", kwargs={"pk": decision.pk}),
        {"title": "Проводить личные приёмы", "due_on": "2026-12-01", "to": "regions"},
    )
    assert response.status_code == 302
    directive = Directive.objects.get(source_key=f"councils.decision.{decision.pk}")
    assert directive.assignments.count() == 89
    page = admin.get(meeting.get_absolute_url())
    assert "0 of 89 done" in page.content.decode() or "0 из 89" in page.content.decode()
    response = admin.post(
        reverse("councils:decision_assign", kwargs={"pk": decision.pk}),
        {"title": "Раньше решения", "due_on": "2026-09-01", "to": "regions"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Срок не может быть раньше решения."]


def test_the_federal_pages_list_the_89_regions(cast, client_for, django_assert_num_queries):
    _chair(cast.region_a)
    client = client_for("staff_b")
    services.federal_council()
    # 1 session, 1 user, 1 viewer's positions (with the unread badge), 1 the federal council, 1 the
    # regions, 1 the regional chairs on the day, 1 the appointed members, 1 the recent sessions,
    # 3 the staff session's sliding expiry.
    with django_assert_num_queries(11):
        response = client.get(reverse("councils:federal"))
    assert response.status_code == 200
    assert len(response.context["composition"].regions) == 89
    # Regional staff read the federal council, and do not run it.
    assert client.get(reverse("councils:federal_session_create")).status_code == 403


def test_the_administrator_writes_the_minutes_of_a_federal_session(cast, client_for):
    meeting = services.meeting_create(council=services.federal_council(), held_on=date(2026, 9, 1), agenda="Итоги")
    url = reverse("councils:meeting_minutes", kwargs={"pk": meeting.pk})
    assert client_for("staff_a").get(url).status_code == 403
    response = client_for("admin").post(url, {"minutes": "Слушали: итоги года. Постановили: …"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("Слушали")


def test_the_database_refuses_an_appointed_member_on_a_regional_council(cast):
    """Not only the service: a raw insert is refused by the composite key to the council's level,
    and a write through save_or_explain that skips the service gets the message."""
    from django.db import IntegrityError, connection, transaction

    from core.db import save_or_explain
    from councils.models import CouncilSeat

    regional = services.council_for(cast.region_a)
    person = _person("Назначенный")
    with (
        pytest.raises(IntegrityError, match="council_seat_level_of_council"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO councils_councilseat (council_id, region_id, role, person_id, starts_on, ends_on,"
            " decision_number, end_reason, long_term_reason)"
            " VALUES (%s, NULL, 'member', %s, '2026-01-01', '2027-01-01', '', '', '')",
            [regional.pk, person.pk],
        )
    seat = CouncilSeat(
        council=regional, role=SeatRole.MEMBER, person=person, starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1)
    )
    with pytest.raises(ValidationError, match="только в федеральный совет"):
        save_or_explain(seat)
    assert not CouncilSeat.objects.exists()
    # The federal council takes the same row.
    seat.council = services.federal_council()
    save_or_explain(seat)
    with connection.cursor() as cursor:
        cursor.execute("SELECT council_level FROM councils_councilseat WHERE id = %s", [seat.pk])
        assert cursor.fetchone() == ("federal",)


def test_the_appoint_form_says_why_an_appointed_member_has_no_seat_on_a_regional_council(client_for, cast):
    from councils.models import CouncilSeat

    response = client_for("staff_a").post(
        reverse("councils:seat_appoint", args=[cast.region_a.pk]),
        {"role": "member", "person": cast.person("secretary").pk, "starts_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "только в федеральный совет" in str(response.context["form"].non_field_errors())
    assert not CouncilSeat.objects.exists()


def test_an_agenda_item_links_only_to_the_contest_library(cast, client_for):
    response = client_for("admin").post(
        reverse("councils:federal_session_create"),
        {
            "held_on": "2026-09-10",
            "agenda": "Итоги",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-title": "Лучшие практики",
            "items-0-practice_url": "https://example.org/practice",
        },
    )
    assert response.status_code == 200
    errors = response.context["items"].forms[0].errors["practice_url"]
    assert "библиотеке" in errors[0]
    assert not CouncilMeeting.objects.exists()


def test_an_appointed_member_is_picked_by_search_not_from_a_list_of_the_country(
    client_for, cast, django_assert_num_queries
):
    """The form once rendered a <select> of every person (95,000 nationally, 25 s); now a picker."""
    far = _person("Камчатов")
    branches.position_create(person=far, role=Role.REGIONAL_DEPUTY, region=cast.region_b, starts_on=date(2020, 1, 1))
    client = client_for("admin")
    url = reverse("councils:federal_member_appoint")
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the unread count), 4 the federal council
    with django_assert_num_queries(4):
        page = client.get(url).content.decode()
    assert 'name="person_q"' in page and "Камчатов" not in page
    search = client.get(reverse("branches:person_search"), {"person_q": "камчат"})
    assert [person.full_name for person in search.context["people"]] == ["Камчатов Иван"]  # the country
    response = client.post(url, {"person": far.pk, "starts_on": "2026-01-01", "ends_on": "2027-01-01"})
    assert response.status_code == 302
    assert services.federal_council().seats.get(role=SeatRole.MEMBER).person == far
