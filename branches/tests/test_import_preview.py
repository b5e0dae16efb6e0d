"""The import preview an office believes: every change listed, every error placed, new local branches confirmed."""

import pytest
from django.urls import reverse

from branches import selectors, services
from branches.models import ImportChange, ImportJob, LocalBranch, PrimaryBranch
from branches.tests.test_import_export import _apply, _csv, _import, _row, eager_tasks  # noqa: F401

pytestmark = pytest.mark.django_db


def test_every_error_of_a_row_is_listed_with_its_column(client_for, cast, django_capture_on_commit_callbacks):
    content = _csv(
        [
            _row(50, name="Хорошая"),
            _row("сорок", name="", secretary=("Иванов", "", ""), secretary_phone="12", members_count="1"),
        ]
    )
    job = _import(
        client_for("staff_a"), cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.INVALID
    assert job.total_rows == 2  # the row count matches the file
    assert [(error["row"], error["column"]) for error in job.errors] == [
        (3, "C «Номер»"),
        (3, "D «Название»"),
        (3, "H «Активистов»"),  # 2 activists of 1 member
        (3, "L «Имя секретаря»"),
        (3, "N «Телефон секретаря»"),
    ]
    page = client_for("staff_a").get(reverse("branches:import_detail", args=[job.pk])).content.decode()
    assert "N «Телефон секретаря»" in page
    assert not ImportChange.objects.filter(job=job).exists()


def test_the_preview_lists_each_change_old_to_new(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for("staff_a")
    closing = {"members_count": "25", "activists_count": "0", "closed_on": "01.03.2025"}
    content = _csv(
        [
            # branch 1 keeps its secretary and gets a new name; branch 2 closes; 60 is new with a secretary
            _row(1, name="Центральная-2", settlement="Благовещенск", secretary=("Секретарёва", "Светлана", "Ивановна")),
            _row(2, name="Заречная", local="Свободненское районное", settlement="Свободный", **closing),
            _row(60, name="Новая", secretary=("Новиков", "Николай", "")),
        ]
    )
    job = _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.VALIDATED, job.errors
    changes = {(c.row, c.kind): c for c in ImportChange.objects.filter(job=job)}
    assert set(changes) == {(2, "update"), (3, "close"), (4, "create"), (4, "secretary")}
    assert changes[2, "update"].changes == [
        {"field": "name", "old": "Центральная", "new": "Центральная-2"},
        {"field": "members_count", "old": "40", "new": "10"},
        {"field": "activists_count", "old": "0", "new": "2"},
    ]
    assert changes[3, "close"].changes[0] == {"field": "closed_on", "old": "", "new": "2025-03-01"}
    assert changes[4, "secretary"].changes == [{"field": "secretary", "old": "", "new": "Новиков Николай"}]

    page = client.get(reverse("branches:import_detail", args=[job.pk])).content.decode()
    assert "<del>Центральная</del>" in page and "Центральная-2" in page
    assert "1 марта 2025" in page  # a date in the page's language
    only_closed = client.get(reverse("branches:import_detail", args=[job.pk]), {"kind": "close"})
    assert [change.kind for change in only_closed.context["page"].rows] == ["close"]


def test_a_closure_shows_the_secretary_whose_term_ends(client_for, cast, django_capture_on_commit_callbacks):
    content = _csv([_row(1, name="Центральная", settlement="Благовещенск", members_count="40", activists_count="0",
                         closed_on="2025-03-01")])  # fmt: skip
    job = _import(
        client_for("staff_a"), cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks
    )
    closure = ImportChange.objects.get(job=job, kind="close")
    assert closure.changes[1] == {"field": "secretary", "old": "Секретарёва Светлана Ивановна", "new": ""}


def test_a_national_preview_is_paged_in_one_query(
    client_for, cast, django_capture_on_commit_callbacks, django_assert_num_queries
):
    client = client_for("staff_a")
    content = _csv([_row(100 + n, name=f"Ветка {n}") for n in range(120)])
    job = _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert job.summary["create"] == 120
    first = selectors.import_changes_page(job)
    assert [c.row for c in first.rows][:2] == [2, 3] and len(first.rows) == selectors.IMPORT_PREVIEW_PAGE
    url = reverse("branches:import_detail", args=[job.pk])
    client.get(url)
    # 1 session, 2 user, 3 viewer positions (with the unread count in the navigation),
    # 4 the import with its region (gate), 5 one page of changes
    with django_assert_num_queries(5):
        response = client.get(url, {"after": first.next_cursor})
    assert response.context["page"].rows[0].row == 52
    last = client.get(url, {"last": "1"}).context["page"]
    assert last.rows[-1].row == 121 and last.is_last


def test_new_local_branches_are_applied_only_when_confirmed(client_for, cast, django_capture_on_commit_callbacks):
    client = client_for("staff_a")
    content = _csv([_row(61, name="Озёрная", local="Тындинское районное")])
    job = _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert job.summary["local_branches"] == 1
    page = client.get(reverse("branches:import_detail", args=[job.pk])).content.decode()
    assert "Файл создаёт 1 новое местное отделение" in page

    job = _apply(client, job, django_capture_on_commit_callbacks, confirm=False)
    assert job.status == ImportJob.Status.VALIDATED
    assert not LocalBranch.objects.filter(name="Тындинское районное").exists()

    job = _apply(client, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE
    assert PrimaryBranch.objects.get(number=61).local_branch.name == "Тындинское районное"


@pytest.mark.parametrize(
    "typo",
    [
        "Благовещенскoе городское",  # a Latin «o»
        "Благовещенское городскае",  # one letter
        "благовещенское  городское",  # case and a double space
    ],
)
def test_a_name_close_to_an_existing_local_branch_is_flagged(
    client_for, cast, django_capture_on_commit_callbacks, typo
):
    client = client_for("staff_a")
    content = _csv([_row(62, name="Опечатка", local=typo), _row(63, name="Другая", local="Зейское районное")])
    job = _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert (job.summary["local_branches"], job.summary["similar"]) == (2, 1)
    locals_ = {c.title: c.similar_to for c in ImportChange.objects.filter(job=job, kind="local_branch")}
    assert locals_ == {typo: "Благовещенское городское", "Зейское районное": ""}
    page = client.get(reverse("branches:import_detail", args=[job.pk]), {"kind": "local_branch"})
    assert "Похоже на существующее «Благовещенское городское»" in page.content.decode()


def test_a_local_branch_that_became_new_after_the_preview_fails_the_import(
    client_for, cast, django_capture_on_commit_callbacks
):
    client = client_for("staff_a")
    content = _csv([_row(64, name="Поздняя", local="Свободненское районное")])
    job = _import(client, cast, content, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert job.summary["local_branches"] == 0
    LocalBranch.objects.filter(pk=cast.local_a2.pk).update(name="Свободненское")  # renamed meanwhile
    job = _apply(client, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.FAILED
    assert "не были подтверждены" in job.errors[0]["message"]
    assert not PrimaryBranch.objects.filter(number=64).exists()
    assert services.IMPORT_LIMITS.errors  # the limits still apply
