import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from branches import services as branch_services
from councils import selectors, services
from councils.models import CouncilDecision, CouncilSeat, SeatRole

pytestmark = pytest.mark.django_db

# Noon in Blagoveshchensk; the same date in Moscow, where the administrator sits.
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def council(cast):
    return services.council_for(cast.region_a)


def _person(name):
    return branch_services.person_create(last_name=name, first_name="Иван")


def _representative(council, local_branch, starts_on, name="Представителев", **extra):
    return services.seat_appoint(
        council=council,
        role=SeatRole.REPRESENTATIVE,
        local_branch=local_branch,
        person=_person(name),
        starts_on=starts_on,
        **extra,
    )


def _rows(response):
    return {row.label: row for row in response.context["composition"].representatives}


def test_the_council_page_shows_a_row_per_local_branch_with_vacancies(client_for, cast, council):
    _representative(council, cast.local_a1, date(2025, 3, 20), name="Скорый")  # ends 2026-03-20: 18 days left
    response = client_for("staff_a").get(reverse("councils:council", args=[cast.region_a.pk]))
    rows = _rows(response)
    assert set(rows) == {"Благовещенское городское", "Свободненское районное"}
    filled = rows["Благовещенское городское"]
    assert (filled.current.person.last_name, filled.days_left, filled.mark) == ("Скорый", 18, 30)
    assert rows["Свободненское районное"].is_vacant
    composition = response.context["composition"]
    assert composition.chair.is_vacant
    assert [row.label for row in composition.expiring] == ["Благовещенское городское"]
    content = response.content.decode()
    assert "вакант" in content
    assert f'data-testid="seat-{cast.local_a2.pk}"' in content


def test_a_renewed_term_is_not_expiring(client_for, cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 3, 20))
    services.seat_reappoint(seat=seat)
    response = client_for("staff_a").get(reverse("councils:council", args=[cast.region_a.pk]))
    row = _rows(response)["Благовещенское городское"]
    assert row.following is not None
    assert row.mark is None
    assert response.context["composition"].expiring == []


def test_a_vacancy_counts_from_the_day_the_last_term_ended(client_for, cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 1, 1))
    services.seat_end(seat=seat, ends_on=date(2025, 11, 1), reason="переезд")
    response = client_for("staff_a").get(reverse("councils:council", args=[cast.region_a.pk]))
    row = _rows(response)["Благовещенское городское"]
    assert (row.is_vacant, row.vacant_since, row.last) == (True, date(2025, 11, 1), seat)


def test_the_timeline_holds_a_bar_per_term(client_for, cast, council):
    _representative(council, cast.local_a1, date(2024, 1, 1), name="Прошлый")
    _representative(council, cast.local_a1, date(2025, 6, 1), name="Нынешний")
    services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person("Председателев"), starts_on=TODAY)
    chart = client_for("staff_a").get(reverse("councils:council", args=[cast.region_a.pk])).context["chart"]
    bars = {bar["person"]: kind["label"] for kind in chart["series"] for bar in kind["data"]}
    assert bars == {"Прошлый Иван": "завершён", "Нынешний Иван": "действует", "Председателев Иван": "действует"}
    assert chart["labels"][:2] == ["Председатель", "Заместитель председателя"]


def test_the_council_page_runs_a_fixed_number_of_queries(client_for, cast, council, django_assert_num_queries):
    for number in range(20):
        local = branch_services.local_branch_create(region=cast.region_a, name=f"Местное {number:02}")
        _representative(council, local, date(2025, 6, 1), name=f"Член{number}")
        _representative(council, local, date(2024, 6, 1), name=f"Бывший{number}")
    services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person("Председателев"), starts_on=TODAY)
    services.meeting_create(council=council, held_on=TODAY, agenda="Повестка")
    client = client_for("staff_a")
    url = reverse("councils:council", args=[cast.region_a.pk])
    client.get(url)  # warm the session (the idle timer writes once a minute)
    # 1 session, 2 user, 3 viewer positions (with the inbox's unread count), 4 the council
    # with its region (gate), 5 open local branches, 6 every term with people and decisions,
    # 7 the policy in force, 8 recent meetings with attendance and decision counts
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["composition"].representatives) == 22


def test_staff_appoint_a_representative_through_the_page(client_for, cast, council):
    response = client_for("staff_a").post(
        reverse("councils:seat_appoint", args=[cast.region_a.pk]),
        {
            "role": "representative",
            "local_branch": cast.local_a2.pk,
            "last_name": "Новикова",
            "first_name": "Нина",
            "phone": "8 914 000-11-22",
            "starts_on": "2026-03-01",
            "decision_number": "7",
            "decision_date": "2026-02-20",
        },
    )
    assert response.status_code == 302
    seat = CouncilSeat.objects.get(local_branch=cast.local_a2)
    assert (seat.person.full_name, seat.person.phone) == ("Новикова Нина", "+79140001122")
    assert (seat.ends_on, seat.decision_label) == (date(2027, 3, 1), "№7 от 20.02.2026")


def test_an_overlapping_appointment_is_a_clear_message_and_nothing_is_written(client_for, cast, council):
    _representative(council, cast.local_a1, date(2026, 1, 1), name="Действующий")
    response = client_for("staff_a").post(
        reverse("councils:seat_appoint", args=[cast.region_a.pk]),
        {"role": "representative", "local_branch": cast.local_a1.pk, "last_name": "Лишний", "first_name": "Пётр",
         "starts_on": "2026-03-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Действующий Иван уже занимает это место" in str(response.context["form"].non_field_errors())
    assert CouncilSeat.objects.count() == 1
    assert not CouncilSeat.objects.filter(person__last_name="Лишний").exists()


def test_a_representative_needs_a_local_branch_and_a_term_must_end_after_it_starts(client_for, cast, council):
    response = client_for("staff_a").post(
        reverse("councils:seat_appoint", args=[cast.region_a.pk]),
        {"role": "representative", "person": cast.person("secretary").pk, "starts_on": "2026-03-01",
         "ends_on": "2026-02-01"},
    )  # fmt: skip
    errors = response.context["form"].errors
    assert "Выберите местное отделение" in errors["local_branch"][0]
    assert "Срок полномочий должен заканчиваться позже" in errors["ends_on"][0]
    assert not CouncilSeat.objects.exists()


def test_a_local_branch_of_another_region_is_not_a_choice(client_for, cast, council):
    response = client_for("staff_a").post(
        reverse("councils:seat_appoint", args=[cast.region_a.pk]),
        {"role": "representative", "local_branch": cast.local_b1.pk, "person": cast.person("secretary").pk,
         "starts_on": "2026-03-01"},
    )  # fmt: skip
    assert "local_branch" in response.context["form"].errors
    assert not CouncilSeat.objects.exists()


def test_the_appoint_form_is_prefilled_from_the_vacancy_link(client_for, cast, council):
    url = reverse("councils:seat_appoint", args=[cast.region_a.pk])
    form = client_for("staff_a").get(url, {"role": "representative", "local_branch": cast.local_a2.pk}).context["form"]
    assert form.initial == {"role": "representative", "local_branch": str(cast.local_a2.pk)}
    assert cast.person("staff_b") not in form.fields["person"].queryset  # people of region A only


def test_ending_a_term_early_through_the_page(client_for, cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 6, 1))
    client = client_for("staff_a")
    response = client.post(reverse("councils:seat_end", args=[seat.pk]), {"ends_on": "2026-03-02", "reason": ""})
    assert "reason" in response.context["form"].errors
    response = client.post(reverse("councils:seat_end", args=[seat.pk]), {"ends_on": "2026-03-02", "reason": "выбыл"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.ends_on, seat.end_reason) == (TODAY, "выбыл")


def test_reappointing_through_the_page_names_a_recorded_decision(client_for, cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 3, 20))
    meeting = services.meeting_create(council=council, held_on=date(2026, 3, 1), agenda="Ротация")
    services.attendance_record(meeting=meeting, present=[seat])
    decision = services.decision_record(meeting=meeting, number="3", text="Переутвердить")
    response = client_for("staff_a").post(
        reverse("councils:seat_reappoint", args=[seat.pk]), {"starts_on": "2026-03-20", "decision": decision.pk}
    )
    new = CouncilSeat.objects.get(starts_on=date(2026, 3, 20))
    assert response.url == new.get_absolute_url()
    assert (new.decision, new.ends_on) == (decision, date(2027, 3, 20))


def test_editing_the_policy_through_the_page(client_for, cast, council):
    url = reverse("councils:policy", args=[cast.region_a.pk])
    client = client_for("staff_a")
    bad = client.post(url, {"applies_from": "2026-04-01", "representative_years": 0, "chair_years": 5,
                            "deputy_chair_years": 5})  # fmt: skip
    assert "representative_years" in bad.context["form"].errors
    client.post(url, {"applies_from": "2026-04-01", "representative_years": 2, "chair_years": 5,
                      "deputy_chair_years": 5})  # fmt: skip
    assert selectors.policy_on(council, date(2026, 4, 1)).representative_years == 2


def test_a_meeting_records_attendance_quorum_and_a_decision(client_for, cast, council):
    seats = [
        _representative(council, cast.local_a1, date(2025, 6, 1), name="Первый"),
        _representative(council, cast.local_a2, date(2025, 6, 1), name="Второй"),
        services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person("Главный"), starts_on=TODAY),
    ]
    client = client_for("staff_a")
    response = client.post(
        reverse("councils:meeting_create", args=[cast.region_a.pk]), {"held_on": "2026-03-02", "agenda": "Отчёты"}
    )
    meeting = council.meetings.get()
    assert response.url == meeting.get_absolute_url()
    client.post(reverse("councils:meeting_attendance", args=[meeting.pk]), {"present": [seats[0].pk]})
    response = client.post(reverse("councils:decision_create", args=[meeting.pk]), {"number": "1", "text": "Принять"})
    assert "Нет кворума: присутствовали 1 из 3" in str(response.context["decision_form"].non_field_errors())
    assert not CouncilDecision.objects.exists()
    client.post(reverse("councils:meeting_attendance", args=[meeting.pk]), {"present": [seats[0].pk, seats[2].pk]})
    client.post(reverse("councils:decision_create", args=[meeting.pk]), {"number": "1", "text": "Принять"})
    page = client.get(meeting.get_absolute_url())
    assert page.context["has_quorum"]
    assert [decision.number for decision in page.context["decisions"]] == ["1"]
    assert "Присутствуют 2 из 3 занятых мест" in page.content.decode()


def test_attendance_cannot_name_a_seat_of_another_council(client_for, cast, council):
    other = services.council_for(cast.region_b)
    stranger = services.seat_appoint(council=other, role=SeatRole.CHAIR, person=_person("Чужой"), starts_on=TODAY)
    meeting = services.meeting_create(council=council, held_on=TODAY, agenda="Отчёты")
    response = client_for("staff_a").post(
        reverse("councils:meeting_attendance", args=[meeting.pk]), {"present": [stranger.pk]}
    )
    assert "present" in response.context["attendance_form"].errors
    assert not meeting.attendance.exists()


def test_malformed_and_unknown_ids_are_404(client_for, cast):
    client = client_for("staff_a")
    assert client.get("/council-seats/abc/").status_code == 404
    assert client.get("/council-seats/99999999/").status_code == 404
    assert client.get("/council-meetings/99999999999999999999/").status_code == 404
    assert client.get("/regions/99999999/council/").status_code == 404


def test_staff_of_region_b_get_404_on_every_region_a_council_page(client_for, cast, council):
    seat = _representative(council, cast.local_a1, date(2025, 6, 1))
    meeting = services.meeting_create(council=council, held_on=TODAY, agenda="Отчёты")
    urls = [
        reverse("councils:council", args=[cast.region_a.pk]),
        reverse("councils:seat_appoint", args=[cast.region_a.pk]),
        reverse("councils:policy", args=[cast.region_a.pk]),
        reverse("councils:seat", args=[seat.pk]),
        reverse("councils:seat_end", args=[seat.pk]),
        reverse("councils:meeting", args=[meeting.pk]),
    ]
    client = client_for("staff_b")
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    client.post(reverse("councils:seat_end", args=[seat.pk]), {"ends_on": "2026-03-02", "reason": "взлом"})
    seat.refresh_from_db()
    assert seat.end_reason == ""


def test_the_seat_page_shows_the_history_of_its_place(client_for, cast, council):
    old = _representative(council, cast.local_a1, date(2024, 6, 1), name="Прежний")
    current = _representative(council, cast.local_a1, date(2025, 6, 1), name="Нынешний")
    _representative(council, cast.local_a2, date(2025, 6, 1), name="Сосед")
    response = client_for("admin").get(reverse("councils:seat", args=[old.pk]))
    assert response.context["history"] == [current, old]
    assert not response.context["can_run"]


# The federal overview ---------------------------------------------------------


def test_the_overview_lists_every_council_in_a_fixed_number_of_queries(
    client_for, cast, council, django_assert_num_queries
):
    _representative(council, cast.local_a1, date(2025, 3, 5))  # ends in 3 days
    services.seat_appoint(council=council, role=SeatRole.CHAIR, person=_person("Главный"), starts_on=date(2022, 1, 1))
    client = client_for("admin")
    url = reverse("councils:overview")
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the inbox's unread count), 4 regions with
    # their councils, 5 open local branches by region, 6 filled and expiring seats by council,
    # 7 current chairs
    with django_assert_num_queries(7):
        response = client.get(url)
    rows = {row.region.code: row for row in response.context["rows"]}
    assert len(rows) == 89
    amur = rows["28"]
    assert (amur.local_branches, amur.filled, amur.vacant) == (2, 1, 1)
    assert (amur.chair.person.last_name, amur.chair_ends_on) == ("Главный", date(2027, 1, 1))
    assert (amur.expiring_60, amur.expiring_30, amur.expiring_7) == (1, 1, 1)
    assert (rows["10"].filled, rows["10"].vacant, rows["10"].chair) == (0, 1, None)


def test_the_meeting_list_runs_a_fixed_number_of_queries(client_for, cast, council, django_assert_num_queries):
    seats = [_representative(council, local, date(2025, 6, 1)) for local in (cast.local_a1, cast.local_a2)]
    for day in (1, 2, 3):
        meeting = services.meeting_create(council=council, held_on=date(2026, 2, day), agenda=f"Повестка {day}")
        if day > 1:
            services.attendance_record(meeting=meeting, present=seats[: day - 1])
        if day == 3:
            services.decision_record(meeting=meeting, number="1", text="Решение")
    client = client_for("staff_a")
    url = reverse("councils:meetings", args=[cast.region_a.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the unread count in the navigation), 4 the
    # council with its region (gate), 5 the meetings with attendance and decision counts
    # (read as the page renders)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert [(m.present, m.decided, m.has_quorum) for m in response.context["meetings"]] == [
        (2, 1, True),
        (1, 0, False),
        (0, 0, False),
    ]


def test_the_overview_sorts_by_any_column_both_ways(client_for, cast, council):
    _representative(council, cast.local_a1, date(2025, 6, 1))
    client = client_for("admin")
    by_vacant = client.get(reverse("councils:overview"), {"sort": "-vacant"}).context["rows"]
    assert [row.region.code for row in by_vacant[:2]] == ["10", "28"]  # 1 vacancy each, then by code
    by_filled = client.get(reverse("councils:overview"), {"sort": "-filled"}).context["rows"]
    assert by_filled[0].region.code == "28"
    by_code = client.get(reverse("councils:overview"), {"sort": "nonsense"}).context["rows"]
    assert by_code[0].region.code == "01"


def test_the_overview_exports_to_xlsx(client_for, cast, council):
    _representative(council, cast.local_a1, date(2025, 6, 1))
    response = client_for("admin").get(reverse("councils:overview_export"))
    assert response["Content-Disposition"] == 'attachment; filename="councils-2026-03-02.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Код", "Регион", "Мест представителей", "Занято", "Вакантно")
    amur = next(row for row in rows if row[0] == "28")
    assert amur[2:5] == (2, 1, 1)
    assert len(rows) == 90
