import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches import services, spreadsheets
from branches.models import ImportJob, LocalBranch, PersonalDataAccess, Position, PrimaryBranch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    """Run queued import tasks in-process, after the commit as in production."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _csv(rows, header=spreadsheets.HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _row(number, name="Ветка", local="Благовещенское городское", secretary=("", "", ""), **extra):
    values = {
        "region_code": "28",
        "local_branch": local,
        "number": str(number),
        "name": name,
        "members_count": "10",
        "activists_count": "2",
        "secretary_last_name": secretary[0],
        "secretary_first_name": secretary[1],
        "secretary_patronymic": secretary[2],
    } | extra
    return [values.get(key, "") for key in spreadsheets.KEYS]


def _import(client, cast, content, name="branches.csv", django_capture_on_commit_callbacks=None):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("branches:import", args=[cast.region_a.pk]),
            {"file": _upload(content, name)},
        )
    return ImportJob.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])


def _upload(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def _apply(client, job, django_capture_on_commit_callbacks, *, confirm=True):
    """Apply a checked import; `confirm` ticks the confirmation of new local branches."""
    data = {"local_branches_confirmed": "on"} if confirm else {}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("branches:import_detail", args=[job.pk]), data)
    job.refresh_from_db()
    return job


def test_export_escapes_cells_that_would_run_as_formulas(client_for, cast):
    services.branch_update(branch=cast.branch_a, name='=HYPERLINK("http://evil")', address="@SUM(A1)")
    response = client_for("staff_a").get(reverse("branches:export", args=[cast.region_a.pk, "csv"]))
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == spreadsheets.HEADERS
    branch_row = next(row for row in rows if row[2] == "1")
    assert branch_row[3].startswith("'=")
    assert branch_row[5] == "'@SUM(A1)"
    assert PersonalDataAccess.objects.filter(action="export", region=cast.region_a).count() == 1


def test_xlsx_export_holds_the_region_s_branches_and_secretaries(client_for, cast):
    response = client_for("staff_a").get(reverse("branches:export", args=[cast.region_a.pk, "xlsx"]))
    assert response["Cache-Control"] == "private, no-store"  # names and phones stay in no cache
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == [1, 2]
    assert rows[1][10] == "Секретарёва"


def test_xlsx_export_types_its_cells(client_for, cast):
    from datetime import date

    services.branch_update(branch=cast.branch_a, name='=HYPERLINK("http://evil")')
    PrimaryBranch.objects.filter(pk=cast.branch_a.pk).update(opened_on=date(2020, 5, 1))
    services.person_update(person=cast.person("secretary"), phone="+79140000000")
    response = client_for("staff_a").get(reverse("branches:export", args=[cast.region_a.pk, "xlsx"]))
    row = list(load_workbook(io.BytesIO(response.getvalue())).active.iter_rows())[1]
    values = dict(zip(spreadsheets.KEYS, row, strict=True))
    assert (values["number"].value, values["members_count"].value) == (1, 40)  # numbers
    assert values["opened_on"].value.date() == date(2020, 5, 1) and values["opened_on"].is_date
    assert values["secretary_phone"].value == "+79140000000"  # text, no quote in front
    assert values["name"].value == '=HYPERLINK("http://evil")' and values["name"].data_type == "s"  # never a formula
    assert values["region_code"].value == "28"  # a code keeps its leading zeros as text


def test_an_import_with_bad_rows_lists_them_and_writes_nothing(client_for, cast, django_capture_on_commit_callbacks):
    content = _csv(
        [
            _row(50, name="Хорошая"),
            _row("сорок", name="Плохой номер"),
            _row(51, name=""),
            _row(52, region_code="10"),
            _row(53, members_count="3", activists_count="9"),
            _row(54, secretary=("Только", "", "")),
            _row(50, name="Повтор"),
        ]
    )
    before = PrimaryBranch.objects.count()
    job = _import(
        client_for("staff_a"), cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.INVALID
    assert [error["row"] for error in job.errors] == [3, 4, 5, 6, 7, 8]
    assert "должно быть целым числом" in job.errors[0]["message"]
    assert PrimaryBranch.objects.count() == before
    response = client_for("staff_a").get(reverse("branches:import_detail", args=[job.pk]))
    assert "Применить изменения" not in response.content.decode()


def test_an_import_previews_then_applies_and_a_second_run_changes_nothing(
    client_for, cast, django_capture_on_commit_callbacks
):
    client = client_for("staff_a")
    content = _csv(
        [
            _row(1, name="Центральная", secretary=("Секретарёва", "Светлана", "Ивановна"), settlement="Благовещенск"),
            _row(2, name="Заречная-новая", local="Свободненское районное", settlement="Свободный"),
            _row(60, name="Совсем новая", local="Новое местное", secretary=("Новиков", "Николай", "Петрович")),
        ]
    )
    job = _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.VALIDATED
    assert (job.summary["create"], job.summary["update"], job.summary["local_branches"]) == (1, 2, 1)
    assert not PrimaryBranch.objects.filter(number=60).exists()  # a preview writes nothing

    job = _apply(client, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    new = PrimaryBranch.objects.get(region=cast.region_a, number=60)
    assert new.local_branch.name == "Новое местное"
    assert Position.objects.secretaries().current().get(primary_branch=new).person.last_name == "Новиков"
    assert PrimaryBranch.objects.get(pk=cast.branch_a2.pk).name == "Заречная-новая"

    again = _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert again.summary["unchanged"] == 3
    assert (again.summary["create"], again.summary["update"], again.summary["secretaries"]) == (0, 0, 0)
    counts = (PrimaryBranch.objects.count(), LocalBranch.objects.count(), Position.objects.count())
    _apply(client, again, django_capture_on_commit_callbacks)
    assert (PrimaryBranch.objects.count(), LocalBranch.objects.count(), Position.objects.count()) == counts


def test_an_export_imports_back_unchanged(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for("staff_a")
    services.person_update(person=cast.person("secretary"), phone="+79140000000")
    for fmt in ("csv", "xlsx"):
        exported = client.get(reverse("branches:export", args=[cast.region_a.pk, fmt])).getvalue()
        job = _import(
            client,
            cast,
            exported,
            name=f"export.{fmt}",
            django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
        )
        assert job.status == ImportJob.Status.VALIDATED, job.errors
        assert job.summary["unchanged"] == 2, job.summary


def test_a_new_secretary_by_import_ends_the_previous_term(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for("staff_a")
    content = _csv([_row(1, name="Центральная", settlement="Благовещенск", secretary=("Другая", "Дарья", ""))])
    job = _apply(
        client,
        _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks),
        django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.DONE
    secretaries = Position.objects.secretaries().filter(primary_branch=cast.branch_a)
    assert secretaries.current().get().person.last_name == "Другая"
    assert secretaries.get(person=cast.person("secretary")).ends_on is not None
    # Messages follow them: the newcomer reads in Amur's time zone, the one replaced in the default.
    assert secretaries.current().get().person.time_zone == "Asia/Yakutsk"
    assert secretaries.get(person=cast.person("secretary")).person.time_zone == ""


def test_the_import_page_lists_recent_imports_in_a_fixed_number_of_queries(client_for, cast, django_assert_num_queries):
    for number in range(3):
        services.import_start(
            actor=cast.user("staff_a"), region=cast.region_a, file_name=f"{number}.csv", content=_csv([_row(number)])
        )
    client = client_for("staff_a")
    url = reverse("branches:import", args=[cast.region_a.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the navigation's unread count), 4 the region
    # (gate), 5 the latest imports with their authors (read as the page renders)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["jobs"]) == 3


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_one_line(client_for, cast, django_capture_on_commit_callbacks):
    job = _import(
        client_for("staff_a"),
        cast,
        b"MZ\x90\x00binary",
        name="branches.xlsx",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    assert job.status == ImportJob.Status.INVALID
    assert len(job.errors) == 1 and job.errors[0]["row"] is None


def test_applying_twice_applies_once(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for("staff_a")
    job = _import(
        client,
        cast,
        _csv([_row(70, name="Раз")]),
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )
    _apply(client, job, django_capture_on_commit_callbacks)
    response = client.post(reverse("branches:import_detail", args=[job.pk]), follow=True)
    assert "нельзя применить" in response.content.decode()
    assert PrimaryBranch.objects.filter(number=70).count() == 1


def test_a_zip_bomb_is_refused_in_under_a_second_naming_the_limit(client_for, cast, django_capture_on_commit_callbacks):
    import time

    from core.tests.test_uploads import HEAD, ROW, TAIL, _with_sheet

    bomb = _with_sheet((HEAD, ROW * 3000, TAIL), repeat=1100)  # 0.5 MB that unpacks to 154 MB
    started = time.monotonic()
    job = _import(
        client_for("staff_a"), cast, bomb, name="branches.xlsx",
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert time.monotonic() - started < 1
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        {"row": None, "message": "Файл распаковывается в 154 МБ, больше предела в 100 МБ для этой загрузки."}
    ]


def test_errors_past_the_limit_are_counted_not_listed(client_for, cast, django_capture_on_commit_callbacks):
    rows = [_row(n, name="") for n in range(1, 601)]  # 600 rows without a name
    job = _import(
        client_for("staff_a"), cast, _csv(rows),
        django_capture_on_commit_callbacks=django_capture_on_commit_callbacks,
    )  # fmt: skip
    assert len(job.errors) == services.IMPORT_LIMITS.errors + 1
    assert job.errors[-1] == {"row": None, "message": "…и ещё 100 ошибок."}
