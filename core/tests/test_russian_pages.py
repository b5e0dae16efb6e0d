"""No English on Russian pages: every select's empty choice is labelled in Russian, and the admin's
column headers and list filters speak Russian (from the models' translated verbose names)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from core.testing import access_rows

pytestmark = pytest.mark.django_db

# Whom to open a page as: the first of these its row lets in.
ROLE_ORDER = ("staff_a", "secretary", "host", "juror", "admin", "staff_b", "anonymous")
PAGES = [row for row in access_rows() if row.method == "get" and row.ok_status == 200 and row.ok]
EMPTY_OPTION = re.compile(r'<option value=""[^>]*>([^<]*)</option>')
ENGLISH_BLANKS = ("---------", "Select an option")


def _role(row) -> str:
    return next(role for role in ROLE_ORDER if role in row.ok and row.expected(role) == 200)


@pytest.mark.parametrize("row", PAGES, ids=lambda row: row.name)
def test_a_page_s_selects_have_a_russian_empty_choice(row, cast, client_for):
    response = client_for(_role(row)).get(reverse(row.name, kwargs=row.kwargs(cast)))
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    page = response.content.decode()
    for english in ENGLISH_BLANKS:
        assert english not in page, f"{row.name}: «{english}» on a Russian page"
    assert not _english(EMPTY_OPTION.findall(page)), f"{row.name}: empty choices {_english(EMPTY_OPTION.findall(page))}"


def _admin_pages():
    for model, _model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield pytest.param(f"admin:{info[0]}_{info[1]}_changelist", id=f"{info[0]}.{info[1]}")


LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z]+\b")
# Names that stay as they are in Russian.
KEPT = {"ID", "IP", "HTTP", "IANA", "URL", "E", "mail", "UTC", "XLSX", "CSV", "ICS", "QR", "SMTP", "Moodle"}


def _english(texts):
    return [text for text in texts if any(word not in KEPT for word in LATIN_WORD.findall(text))]


@pytest.mark.parametrize("name", list(_admin_pages()))
def test_the_admin_s_headers_and_filters_are_russian(name, cast, client_for):
    response = client_for("admin").get(reverse(name))
    assert response.status_code == 200, name
    page = response.content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>.*?<div class="text">(?:<a [^>]*>)?([^<]*)', page, re.S)
    filters = re.findall(r"<summary>\s*([^<]*?)\s*</summary>", page)
    add = client_for("admin").get(reverse(name.replace("_changelist", "_add")))
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", add.content.decode()) if add.status_code == 200 else []
    assert not _english(headers), f"{name}: column headers {_english(headers)}"
    assert not _english(filters), f"{name}: filters {_english(filters)}"
    assert not _english(labels), f"{name}: form labels {_english(labels)}"
    for english in ENGLISH_BLANKS:  # the actions' select and the add form's selects
        assert english not in page, f"{name}: «{english}» in the list"
        assert english not in add.content.decode(), f"{name}: «{english}» in the add form"
