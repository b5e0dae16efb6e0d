"""The contest's pages: forms with clear messages, uploads checked by content, the jury's
rules held at the URL, pinned query counts, the export and the library."""

import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from contests import services
from contests.models import Attachment, Contest, Entry, EntryStatus, Level, Method, Score, Status, Theme
from contests.tests.conftest import ACCEPTING, DATES, JUDGING, YEAR

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8ff3f0005fe02fea7d6a4e20000000049454e44ae426082"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + b"\x02\x00\x3e\x00"


def _upload(name, content, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def _contest_form(**changes):
    return {
        "year": YEAR,
        "level": Level.REGIONAL,
        "method": "mean",
        **{name: value.isoformat() for name, value in DATES.items()},
    } | changes


# Creating and running a contest ---------------------------------------------------------------------


def test_regional_staff_create_their_region_s_stage(client_for, cast, clock):
    response = client_for("staff_a").post(reverse("contests:create"), _contest_form(region=cast.region_a.pk))
    contest = Contest.objects.get(region=cast.region_a)
    assert response.status_code == 302 and response.url == contest.get_absolute_url()
    assert contest.status == Status.DRAFT and contest.nominations.count() == 4 and contest.criteria.count() == 5


def test_a_second_stage_for_the_same_year_and_region_is_a_clear_error(client_for, cast, world):
    response = client_for("staff_a").post(reverse("contests:create"), _contest_form(region=cast.region_a.pk))
    assert response.status_code == 200
    assert "уже есть конкурс" in str(response.context["form"].non_field_errors())
    assert Contest.objects.count() == 1


def test_dates_out_of_order_are_refused_field_by_field(client_for, cast, clock):
    form = _contest_form(region=cast.region_a.pk, judging_close_on=DATES["entries_close_on"].isoformat())
    response = client_for("staff_a").post(reverse("contests:create"), form)
    assert "после срока подачи заявок" in response.context["form"].errors["judging_close_on"][0]
    assert not Contest.objects.exists()


def test_staff_cannot_create_a_stage_of_another_region_or_the_final(client_for, cast, clock):
    client = client_for("staff_a")
    response = client.post(reverse("contests:create"), _contest_form(region=cast.region_b.pk))
    assert "region" in response.context["form"].errors
    response = client.post(reverse("contests:create"), _contest_form(level=Level.FEDERAL))
    assert "level" in response.context["form"].errors
    assert not Contest.objects.exists()


def test_the_contest_page_says_why_the_next_step_is_not_possible_yet(client_for, world):
    response = client_for("staff_a").get(world.contest.get_absolute_url())
    text = response.content.decode()
    assert f"Приём заявок открывается 1 марта {YEAR}" in text
    assert 'data-testid="step-button"' in text and "disabled" in text


def test_the_step_button_opens_the_contest(client_for, world):
    world.clock.go(ACCEPTING)
    client = client_for("staff_a")
    response = client.post(reverse("contests:step", args=[world.contest.pk]), {"stage": "draft"}, follow=True)
    assert "Конкурс открыт" in response.content.decode()
    assert Contest.objects.get(pk=world.contest.pk).status == Status.ACCEPTING


def test_a_refused_step_shows_its_reason(client_for, world):
    response = client_for("staff_a").post(
        reverse("contests:step", args=[world.contest.pk]), {"stage": "draft"}, follow=True
    )
    assert f"Приём заявок открывается 1 марта {YEAR}" in response.content.decode()
    assert Contest.objects.get(pk=world.contest.pk).status == Status.DRAFT


def test_settings_frozen_by_the_stage_are_shown_disabled_and_not_changed(client_for, world):
    world.open()
    client = client_for("staff_a")
    response = client.get(reverse("contests:edit", args=[world.contest.pk]))
    assert response.context["form"].fields["entries_open_on"].disabled
    form = {"title": "Новое название", "method": "median", "entries_open_on": "2000-01-01"} | {
        name: value.isoformat() for name, value in DATES.items() if name != "entries_open_on"
    }
    client.post(reverse("contests:edit", args=[world.contest.pk]), form)
    contest = Contest.objects.get(pk=world.contest.pk)
    assert (contest.title, contest.method, contest.entries_open_on) == (
        "Новое название",
        "median",
        DATES["entries_open_on"],
    )


# Entries ------------------------------------------------------------------------------------------------------


def _entry_form(world, **changes):
    return {
        "nomination": world.nomination().pk,
        "title": "Наставничество",
        "practice": "Опытные секретари помогают новым.",
        "activists_involved": 5,
        "events_held": 3,
        "people_reached": 100,
    } | changes


def test_a_secretary_enters_their_branch_through_the_page(client_for, world, cast):
    world.open()
    response = client_for("secretary").post(
        reverse("contests:entry_create", args=[world.contest.pk]), _entry_form(world)
    )
    entry = Entry.objects.get()
    assert response.url == entry.get_absolute_url()
    assert (entry.branch, entry.status, entry.created_by) == (cast.branch_a, EntryStatus.DRAFT, cast.user("secretary"))


def test_an_entry_without_a_title_or_with_negative_figures_is_refused(client_for, world):
    world.open()
    response = client_for("secretary").post(
        reverse("contests:entry_create", args=[world.contest.pk]), _entry_form(world, title="", people_reached=-1)
    )
    assert set(response.context["form"].errors) == {"title", "people_reached"}
    assert not Entry.objects.exists()


def test_a_second_entry_in_the_same_nomination_is_a_clear_error(client_for, world):
    world.open()
    world.enter()
    response = client_for("secretary").post(
        reverse("contests:entry_create", args=[world.contest.pk]), _entry_form(world)
    )
    assert "уже участвует в этой номинации" in str(response.context["form"].non_field_errors())
    assert Entry.objects.count() == 1


def test_the_entry_page_says_why_it_can_no_longer_change(client_for, world):
    world.open()
    entry = world.enter()
    world.clock.go(JUDGING)
    response = client_for("secretary").get(entry.get_absolute_url())
    assert f"Срок подачи заявок был 15 марта {YEAR}" in response.content.decode()
    assert not response.context["editable"]


def test_submitting_and_withdrawing_through_the_page(client_for, world):
    world.open()
    entry = world.enter(submit=False)
    client = client_for("secretary")
    client.post(reverse("contests:entry_submit", args=[entry.pk]))
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.SUBMITTED
    client.post(reverse("contests:entry_withdraw", args=[entry.pk]))
    assert Entry.objects.get(pk=entry.pk).status == EntryStatus.WITHDRAWN


# Attachments ------------------------------------------------------------------------------------------------


@pytest.fixture
def open_entry(world):
    world.open()
    return world.enter(submit=False)


def _attach(client, entry, upload):
    return client.post(reverse("contests:attachment_add", args=[entry.pk]), {"file": upload}, follow=True)


def test_an_executable_renamed_to_pdf_is_refused(client_for, open_entry, settings):
    from pathlib import Path

    response = _attach(client_for("secretary"), open_entry, _upload("отчёт.pdf", ELF))
    assert "не изображение и не PDF" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


def test_a_pdf_and_an_image_are_stored_under_names_of_our_own(client_for, open_entry):
    client = client_for("secretary")
    _attach(client, open_entry, _upload("отчёт.pdf", PDF))
    _attach(client, open_entry, _upload("../../фото.png", PNG, "image/png"))
    pdf, png = Attachment.objects.order_by("pk")
    assert (pdf.content_type, pdf.original_name, pdf.size) == ("application/pdf", "отчёт.pdf", len(PDF))
    assert (png.content_type, png.original_name) == ("image/png", "фото.png")
    assert pdf.file.name.startswith(f"contests/{open_entry.contest_id}/{open_entry.pk}/") and pdf.file.name.endswith(
        ".pdf"
    )


def test_a_file_over_10_mb_is_refused(client_for, open_entry):
    response = _attach(client_for("secretary"), open_entry, _upload("big.pdf", PDF + b"0" * (10 * 1024 * 1024)))
    assert "больше 10 МБ" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_pdf_is_downloaded_and_an_image_shown_inline(client_for, open_entry):
    client = client_for("secretary")
    _attach(client, open_entry, _upload("отчёт.pdf", PDF))
    _attach(client, open_entry, _upload("фото.png", PNG, "image/png"))
    pdf, png = Attachment.objects.order_by("pk")
    response = client.get(pdf.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF
    response = client.get(png.get_absolute_url())
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")


# The jury's rules hold at the URL -----------------------------------------------------------------------------


@pytest.fixture
def judging(world, cast):
    """branch_a's submitted entry (local branch A1) with a PDF, and the juror on mentoring, in judging."""
    world.open()
    entry = world.enter(title="Практика Центральной")
    services.attachment_add(actor=cast.user("secretary"), entry=entry, upload=_upload("Центральная-отчёт.pdf", PDF))
    return world, entry


def test_a_conflicted_juror_gets_404_everywhere_and_scores_nothing(client_for, judging, cast):
    world, entry = judging
    world.assign(home=cast.local_a1)
    world.assign("host")  # so judging can start
    world.start_judging()
    client = client_for("juror")
    response = client.get(reverse("contests:judging", args=[world.contest.pk]))
    assert response.context["entries"] == []
    score_url = reverse("contests:score", args=[world.contest.pk, entry.pk])
    assert client.get(score_url).status_code == 404
    form = {f"value_{criterion.pk}": 5 for criterion in world.criteria()}
    assert client.post(score_url, form).status_code == 404
    assert client.get(Attachment.objects.get().get_absolute_url()).status_code == 404
    assert client.get(entry.get_absolute_url()).status_code == 404
    assert not Score.objects.exists()


def test_blind_judging_hides_the_branch_and_the_file_names_from_jurors(client_for, judging, cast):
    world, entry = judging
    services.contest_update(actor=cast.user("staff_a"), contest=world.contest, blind=True)
    world.assign()
    world.start_judging()
    client = client_for("juror")
    pages = [
        client.get(reverse("contests:judging", args=[world.contest.pk])),
        client.get(reverse("contests:score", args=[world.contest.pk, entry.pk])),
    ]
    for page in pages:
        text = page.content.decode()
        assert "Практика Центральной" in text
        for secret in ("Центральная", "№1", "Благовещенск", "Секретарёва", "отчёт"):
            assert secret not in text.replace("Практика Центральной", ""), secret
    response = client.get(Attachment.objects.get().get_absolute_url())
    assert "Центральная" not in response["Content-Disposition"]
    assert f"attachment-{Attachment.objects.get().pk}.pdf" in response["Content-Disposition"]
    # The page that names the branch is not the juror's: the URL does not open it.
    assert client.get(entry.get_absolute_url()).status_code == 404


def test_without_blind_judging_the_juror_sees_the_branch(client_for, judging, django_assert_num_queries):
    world, entry = judging
    world.assign()
    world.start_judging()
    client = client_for("juror")
    url = reverse("contests:score", args=[world.contest.pk, entry.pk])
    client.get(url)  # the first request of a login saves its session
    # 1 session, 2 user, 3 viewer (no positions: 4 the person with the unread count), 5 the
    # contest, 6 the juror's assignments, 7 their own local branches, 8 the entry with its
    # nomination, branch and local branch, 9 the criteria, 10 the juror's scores, 11 files
    with django_assert_num_queries(11):
        response = client.get(url)
    assert "№1 «Центральная»" in response.content.decode()


def test_a_juror_scores_through_the_page_and_sees_the_progress(client_for, judging):
    world, entry = judging
    world.assign()
    world.start_judging()
    client = client_for("juror")
    form = {f"value_{criterion.pk}": criterion.max_score for criterion in world.criteria()}
    form[f"comment_{world.criteria()[0].pk}"] = "Хорошо"
    response = client.post(reverse("contests:score", args=[world.contest.pk, entry.pk]), form, follow=True)
    assert "Оценено заявок: 1 из 1" in response.content.decode()
    assert Score.objects.filter(comment="Хорошо").count() == 1


def test_a_score_above_the_maximum_is_a_clear_error(client_for, judging):
    world, entry = judging
    world.assign()
    world.start_judging()
    form = {f"value_{criterion.pk}": criterion.max_score + 1 for criterion in world.criteria()}
    response = client_for("juror").post(reverse("contests:score", args=[world.contest.pk, entry.pk]), form)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Score.objects.exists()


def test_administrators_see_every_juror_s_progress(client_for, judging, second_juror):
    world, entry = judging
    (juror,) = world.assign()
    world.assign("juror_2")
    world.start_judging()
    world.score(juror, entry, [5, 5, 5, 5, 3])
    response = client_for("admin").get(reverse("contests:progress", args=[world.contest.pk]))
    rows = {row.person.last_name: (row.done, row.assigned, row.percent) for row in response.context["rows"]}
    assert rows == {"Жюрина": (1, 1, 100), "Второй": (0, 1, 0)}


# Pinned query counts ------------------------------------------------------------------------------------------


@pytest.fixture
def crowded(world, cast, entrant):
    """Twelve submitted entries in mentoring from twelve branches, and the juror on them."""
    world.open()
    entries = [world.enter()]
    for number in range(10, 21):
        entries.append(
            world.enter(branch=entrant(f"sec-{number}", number), role=f"sec-{number}", title=f"Практика {number}")
        )
    (juror,) = world.assign()
    return world, entries, juror


def test_the_entry_list_runs_a_fixed_number_of_queries(client_for, crowded, django_assert_num_queries):
    world, _entries, _juror = crowded
    client = client_for("staff_a")
    url = reverse("contests:entries", args=[world.contest.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions, 4 the contest, 5 the page of entries with their
    # branches, 6 the counts, 7 the nominations of the filter (3 counts the unread messages too)
    with django_assert_num_queries(7):
        response = client.get(url, {"size": 25})
    assert len(response.context["page"].rows) == 12
    assert response.context["counts"]["branches"] == 12


def test_the_contest_list_runs_a_fixed_number_of_queries(client_for, cast, world, django_assert_num_queries):
    world.open()
    world.assign()
    services.contest_create(
        actor=cast.user("staff_b"), year=YEAR, level=Level.REGIONAL, region=cast.region_b, method=Method.MEAN, **DATES
    )
    services.contest_create(actor=cast.user("admin"), year=YEAR, level=Level.FEDERAL, method=Method.MEAN, **DATES)
    client = client_for("admin")
    url = reverse("contests:list")
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the navigation's unread count), 4 the contests
    # the viewer judges, 5 the contests with their regions (read as the page renders)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["contests"]) == 3


def test_the_progress_of_the_jury_runs_a_fixed_number_of_queries(
    client_for, crowded, second_juror, django_assert_num_queries
):
    world, entries, juror = crowded
    world.assign("juror_2")
    world.start_judging()
    world.score(juror, entries[0], [5, 5, 5, 5, 3])
    client = client_for("admin")
    url = reverse("contests:progress", args=[world.contest.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions, 4 the contest, 5 the assignments with people and
    # nominations, 6 the jurors' own local branches, 7 submitted entries by nomination and
    # local branch, 8 complete sheets per assignment (3 counts the unread messages too)
    with django_assert_num_queries(8):
        response = client.get(url)
    rows = {row.person.last_name: (row.assigned, row.done) for row in response.context["rows"]}
    assert rows == {"Жюрина": (12, 1), "Второй": (12, 0)}


def test_the_juror_s_list_runs_a_fixed_number_of_queries(client_for, crowded, django_assert_num_queries):
    world, entries, juror = crowded
    world.start_judging()
    world.score(juror, entries[0], [5, 5, 5, 5, 3])
    client = client_for("juror")
    url = reverse("contests:judging", args=[world.contest.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions, 4 the login's person (the juror holds no position),
    # 5 the contest, 6 the juror's assignments, 7 the rubric's size, 8 the juror's own local
    # branches, 9 the entries with the juror's score counts (4 counts the unread messages too)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert (len(response.context["entries"]), response.context["done"]) == (12, 1)


@pytest.mark.parametrize("published", [False, True])
def test_the_results_run_a_fixed_number_of_queries(client_for, crowded, django_assert_num_queries, published):
    world, entries, juror = crowded
    world.start_judging()
    for index, entry in enumerate(entries):
        world.score(juror, entry, [index % 10, 5, 5, 5, 3])
    if published:
        world.publish()
    client = client_for("staff_a")
    url = reverse("contests:results", args=[world.contest.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions, 4 the contest, 5 the nominations, then
    # published: 6 the stored results with entries, branches and regions;
    # a preview: 6 the results statement, 7 the entries with branches and regions
    # (3 counts the navigation's unread messages too)
    with django_assert_num_queries(6 if published else 7):
        response = client.get(url)
    mentoring = next(group for group in response.context["table"] if group.nomination.theme == Theme.MENTORING)
    assert [row.entry.title for row in mentoring.rows[:1]] == ["Практика 18"]
    assert [row.place for row in mentoring.rows[:4]] == [1, 2, 3, None]


# Results to everyone, in a spreadsheet and on paper --------------------------------------------------------------


@pytest.fixture
def published(crowded):
    world, entries, juror = crowded
    world.start_judging()
    for index, entry in enumerate(entries):
        world.score(juror, entry, [index % 10, 5, 5, 5, 3])
    world.publish()
    return world


def test_published_results_are_visible_to_everyone(client_for, published):
    for role in ("host", "staff_b", "juror", "secretary"):
        assert client_for(role).get(reverse("contests:results", args=[published.contest.pk])).status_code == 200


def test_the_results_page_documents_the_formulas_and_the_tie_break(client_for, published):
    text = client_for("host").get(reverse("contests:results", args=[published.contest.pk])).content.decode()
    assert "Σ wᵢ·sᵢ / Σ wᵢ·mᵢ" in text
    assert "меньший разброс" in text


def test_the_results_export_to_xlsx(client_for, published):
    response = client_for("staff_a").get(reverse("contests:results_export", args=[published.contest.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="results-{YEAR}-28.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Номинация", "Место", "Ранг")
    first = next(row for row in rows[2:] if row[0] == "Наставничество")
    assert (first[1], first[7]) == (1, "Практика 18")


def test_the_printable_page_stands_alone(client_for, published):
    text = client_for("host").get(reverse("contests:results_print", args=[published.contest.pk])).content.decode()
    assert 'id="main-nav"' not in text and "data-print" in text and "Практика 18" in text


# The library ------------------------------------------------------------------------------------------------------


def test_the_library_finds_a_practice_by_a_russian_word_in_another_form(client_for, published):
    client = client_for("host")
    response = client.get(reverse("contests:library"), {"q": "практикой"})
    assert len(response.context["page"].rows) == 3
    response = client.get(reverse("contests:library"), {"q": "секретарям"})
    assert len(response.context["page"].rows) == 3
    response = client.get(reverse("contests:library"), {"q": "субботник"})
    assert response.context["page"].rows == []


def test_the_library_filters_by_nomination_region_and_year(client_for, published, cast):
    client = client_for("host")
    url = reverse("contests:library")
    assert len(client.get(url, {"theme": Theme.MENTORING}).context["page"].rows) == 3
    assert len(client.get(url, {"theme": Theme.YOUTH}).context["page"].rows) == 0
    assert len(client.get(url, {"region": cast.region_a.pk, "year": YEAR}).context["page"].rows) == 3
    assert len(client.get(url, {"region": cast.region_b.pk}).context["page"].rows) == 0
    assert len(client.get(url, {"year": "abc"}).context["page"].rows) == 3  # a bad value is no filter


def test_the_library_runs_a_fixed_number_of_queries(client_for, published, django_assert_num_queries):
    client = client_for("host")
    url = reverse("contests:library")
    client.get(url)
    # 1 session, 2 user, 3 viewer positions, 4 the years of the filter, 5 the page of
    # practices, 6 the regions of the filter (3 counts the unread messages too)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["page"].rows) == 3


def test_the_library_search_uses_the_gin_index(cast):
    """40,000 entries in one statement, analysed: the planner picks entry_search for a query."""
    from contests.selectors import LibraryFilters, filter_library

    contest = Contest.objects.create(year=YEAR, level=Level.FEDERAL, **DATES)
    nomination = contest.nominations.create(theme=Theme.YOUTH)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO contests_entry (contest_id, nomination_id, branch_id, title, practice, practice_text,
                activists_involved, events_held, people_reached, status, created_at, updated_at, submitted_at,
                withdrawn_at)
            SELECT %s, %s, %s, 'Практика ' || n, '', 'Субботник и уборка двора номер ' || n, 0, 0, 0,
                   'withdrawn', now(), now(), NULL, now()
            FROM generate_series(1, 40000) AS n
            """,
            [contest.pk, nomination.pk, cast.branch_a.pk],
        )
        cursor.execute("ANALYZE contests_entry")
    queryset = filter_library(Entry.objects.all(), LibraryFilters(q="наставничество молодёжи"))
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "entry_search" in plan, plan


# Malformed ids -----------------------------------------------------------------------------------------------------


def test_malformed_and_unknown_ids_are_404(client_for, world):
    client = client_for("admin")
    for url in ("/contests/abc/", "/contests/99999999999999999999/", "/contests/entries/0/", "/library/x/"):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("contests:score", args=[world.contest.pk, 99999999999999999999])).status_code == 404


def test_opening_the_contest_asks_first_and_says_what_follows(client_for, world):
    world.clock.go(ACCEPTING)
    response = client_for("staff_a").get(reverse("contests:step", args=[world.contest.pk]))
    text = response.content.decode()
    assert "Этот шаг нельзя отменить" in text and "Амурская область" in text
    assert Contest.objects.get(pk=world.contest.pk).status == Status.DRAFT  # asking changed nothing


def test_removing_a_criterion_asks_first(client_for, world):
    criterion = world.criteria()[0]
    url = reverse("contests:criterion_remove", args=[criterion.pk])
    response = client_for("staff_a").get(url)
    assert f"Удалить критерий «{criterion.name}»?" in response.content.decode()
    assert world.contest.criteria.filter(pk=criterion.pk).exists()
    client_for("staff_a").post(url)
    assert not world.contest.criteria.filter(pk=criterion.pk).exists()


def test_the_library_finds_related_words_best_first_with_the_matches_marked(client_for, published):
    placed = list(Entry.objects.filter(result__place__isnull=False).order_by("result__place"))
    texts = [
        "Наставник ведёт новых секретарей <script>alert(1)</script> весь год.",
        "Молодёжный совет при отделении: наставничество и встречи.",
        "Субботник во дворе.",
    ]
    for entry, text in zip(placed, texts, strict=True):
        Entry.objects.filter(pk=entry.pk).update(practice_text=text)  # the trigger re-indexes it
    client = client_for("host")
    rows = client.get(reverse("contests:library"), {"q": "наставничество"}).context["page"].rows
    assert [row.pk for row in rows] == [placed[1].pk, placed[0].pk]  # the exact form first, then «наставник»
    assert [row.pk for row in client.get(reverse("contests:library"), {"q": "молодёжь"}).context["page"].rows] == [
        placed[1].pk
    ]
    page = client.get(reverse("contests:library"), {"q": "наставник"}).content.decode()
    assert "<mark>Наставник</mark>" in page
    assert "<script>alert(1)</script>" not in page
