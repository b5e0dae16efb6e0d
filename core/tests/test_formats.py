"""Dates are written through named formats that every language defines (config/formats/)."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, translation

from config.formats import EXTRA_FORMATS

ROOT = Path(__file__).resolve().parents[2]
DJANGO_FORMATS = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
)
# Formats for machines, not people: ISO 8601 in attributes and query strings.
MACHINE_FORMATS = {"c", "Y-m", "Y-m-d"}
FILTER = re.compile(r"""\|(date|time):(["'])([^"']*)\2""")


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_defines_every_named_format(language):
    module = importlib.import_module(f"config.formats.{language}.formats")
    missing = [name for name in (*DJANGO_FORMATS, *EXTRA_FORMATS) if not hasattr(module, name)]
    assert not missing, missing
    with translation.override(language):
        for name in EXTRA_FORMATS:
            assert formats.get_format(name) == getattr(module, name)


def test_templates_name_their_date_formats():
    spelled_out = []
    for path in (ROOT / "templates").rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        for kind, _quote, value in FILTER.findall(path.read_text()):
            if value not in MACHINE_FORMATS and value not in (*DJANGO_FORMATS, *EXTRA_FORMATS):
                spelled_out.append(f"{path.relative_to(ROOT)}: |{kind}:{value!r}")
    assert not spelled_out, "\n".join(spelled_out)
