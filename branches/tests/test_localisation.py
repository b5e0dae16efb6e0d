"""Pages write dates in their language's order and group thousands its way."""

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_branches(cast):
    """1,234 more branches in region A (numbers 1001 to 2234), written in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO branches_primarybranch
                (region_id, local_branch_id, number, name, settlement, address, members_count, activists_count)
            SELECT %s, %s, 1000 + n, 'Ветка ' || n, 'Посёлок', '', 1, 0
            FROM generate_series(1, 1234) AS n
            """,
            [cast.region_a.pk, cast.local_a1.pk],
        )


@pytest.mark.parametrize(
    ("language", "found", "since"),
    [
        ("ru", "Найдено 1\xa0236 отделений", "с 1 января 2020"),
        ("en", "1,236 branches found", "since January 1, 2020"),
    ],
)
def test_a_page_writes_numbers_and_dates_in_its_language(client_for, cast, many_branches, language, found, since):
    browser = client_for("staff_a")
    browser.post(reverse("set_language"), {"language": language})
    page = browser.get(reverse("branches:list"), {"size": 50}).content.decode()
    assert found in page
    # Branch numbers are names, not quantities: never grouped.
    assert "1001" in page
    assert "1\xa0001" not in page and "1,001" not in page
    assert since in browser.get(cast.branch_a.get_absolute_url()).content.decode()
