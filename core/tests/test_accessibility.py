"""axe-core (vendored in core/tests/vendor, MPL-2.0, no CDN) over the main page of every app:
no critical or serious violation of WCAG 2 A/AA, in Russian, for the role that uses the page."""

from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


def _violations(page) -> list[str]:
    page.evaluate(AXE)  # evaluated through the browser's protocol: the page's CSP does not apply
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        f"{v['impact']}: {v['id']} — {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in {"critical", "serious"}
    ]


PAGES = [
    ("secretary", lambda cast: reverse("desk:home")),
    ("secretary", lambda cast: reverse("branches:branch", args=[cast.branch_a.pk])),
    ("secretary", lambda cast: reverse("receptions:hosts")),
    ("secretary", lambda cast: reverse("contests:list")),
    ("secretary", lambda cast: reverse("contests:library")),
    ("secretary", lambda cast: reverse("notifications:inbox")),
    ("staff_a", lambda cast: reverse("desk:home")),
    ("staff_a", lambda cast: reverse("branches:list")),
    ("staff_a", lambda cast: reverse("branches:region", args=[cast.region_a.pk])),
    ("staff_a", lambda cast: reverse("councils:council", kwargs={"region_pk": cast.region_a.pk})),
    ("staff_a", lambda cast: reverse("receptions:report", kwargs={"region_pk": cast.region_a.pk})),
    ("host", lambda cast: reverse("desk:home")),
    ("admin", lambda cast: reverse("branches:national")),
    ("admin", lambda cast: reverse("councils:overview")),
    ("admin", lambda cast: reverse("receptions:national_report")),
    # The apps that came later: events, training, mentoring, assignments, the reserve.
    ("secretary", lambda cast: reverse("events:list")),
    ("staff_a", lambda cast: reverse("events:list")),
    ("secretary", lambda cast: reverse("training:mine")),
    ("staff_a", lambda cast: reverse("training:region", kwargs={"region_pk": cast.region_a.pk})),
    ("secretary", lambda cast: reverse("mentorship:list")),
    ("staff_a", lambda cast: reverse("mentorship:list")),
    ("secretary", lambda cast: reverse("assignments:mine")),
    ("staff_a", lambda cast: reverse("assignments:region", kwargs={"region_pk": cast.region_a.pk})),
    ("staff_a", lambda cast: reverse("reserve:list")),
    ("secretary", lambda cast: reverse("reserve:mine")),
    # Desks of the other roles, and the pages of issue 18's last steps.
    ("juror", lambda cast: reverse("desk:home")),
    ("admin", lambda cast: reverse("desk:home")),
    ("admin", lambda cast: reverse("councils:federal_member_appoint")),
    ("staff_a", lambda cast: reverse("receptions:region_follow_ups", kwargs={"region_pk": cast.region_a.pk})),
]


def test_the_login_page_has_no_serious_violation(page, live_server):
    page.goto(f"{live_server.url}/login/")
    assert _violations(page) == []


@pytest.mark.parametrize(("role", "url"), PAGES, ids=[f"{role}-{n}" for n, (role, _url) in enumerate(PAGES)])
def test_main_pages_have_no_serious_violation(login_page, page, live_server, cast, role, url):
    login_page(role)
    page.goto(f"{live_server.url}{url(cast)}")
    assert _violations(page) == []
