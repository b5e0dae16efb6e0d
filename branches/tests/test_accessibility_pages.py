"""axe-core over the pages of issue 18's trust work: no critical or serious violation, in Russian."""

import pytest
from django.urls import reverse

from branches import services
from branches.models import ImportJob
from branches.tests.test_import_export import _csv, _row
from core.tests.test_accessibility import _violations

pytestmark = pytest.mark.browser


def _validated_import(cast) -> ImportJob:
    content = _csv(
        [
            _row(1, name="Центральная-2", settlement="Благовещенск", secretary=("Новикова", "Нина", "")),
            _row(60, name="Опечатка", local="Благовещенскoе городское"),
        ]
    )
    job = ImportJob.objects.create(
        region=cast.region_a, created_by=cast.user("staff_a"), file_name="branches.csv", content=content
    )
    return services.import_validate(job=job)


PAGES = [
    ("staff_a", lambda cast: reverse("branches:data_log")),
    ("staff_a", lambda cast: reverse("branches:import_detail", args=[_validated_import(cast).pk])),
    ("staff_a", lambda cast: reverse("branches:secretary_end", args=[cast.branch_a.pk])),
    ("staff_a", lambda cast: reverse("branches:secretary_appoint", args=[cast.branch_a2.pk])),
    ("secretary", lambda cast: reverse("branches:preferences")),
]


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{role}-{n}" for n, (role, _url) in enumerate(PAGES)])
def test_trust_pages_have_no_serious_violation(login_page, page, live_server, cast, role, url):
    login_page(role)
    page.goto(f"{live_server.url}{url(cast)}")
    assert _violations(page) == []
