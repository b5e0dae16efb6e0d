"""The demo holds last year's finished contest with its library, this year's open stage and one being judged."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import Contest, Entry, Juror, Level, Result, Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_last_year_s_library_and_this_year_s_open_stages():
    from branches import demo as branches_demo
    from branches.data.regions import ensure_regions
    from branches.models import Region
    from contests import demo

    if not Region.objects.exists():
        ensure_regions(Region)
    rng = random.Random(1)
    branches_demo.seed("demo", rng)  # with the demo logins, the juror's among them
    demo.seed("demo", rng)

    year = timezone.localdate().year
    finished = Contest.objects.filter(year=year - 1)
    assert {(c.level, c.status) for c in finished} == {
        (Level.REGIONAL, Status.ARCHIVED),
        (Level.FEDERAL, Status.ARCHIVED),
    }
    final = finished.get(level=Level.FEDERAL)
    winner = Result.objects.get(contest=final, place=1, nomination__theme="mentoring").entry
    assert (winner.branch.number, winner.branch.name) == (80, "Голиковка")
    assert final.entries.filter(source__isnull=False).count() == 4  # Amur's winners, carried
    assert Entry.objects.filter(result__place__isnull=False).count() == 24

    amur = Contest.objects.get(year=year, level=Level.REGIONAL, region__code="28")
    assert amur.status == Status.ACCEPTING and amur.accepts_entries()
    assert Juror.objects.filter(contest=amur, person__user__username="juror").count() == 4
    assert not amur.entries.filter(branch__number=1).exists()  # left for the demo secretary
    assert Contest.objects.get(year=year, level=Level.FEDERAL).status == Status.DRAFT

    # Karelia's stage is being judged: the demo juror has every entry there to score.
    karelia = Contest.objects.get(year=year, level=Level.REGIONAL, region__code="10")
    assert karelia.status == Status.JUDGING and not karelia.accepts_entries()
    assert not karelia.entries.exclude(status="submitted").exists()
    from django.contrib.auth import get_user_model

    from contests.selectors import desk_items
    from core.access import viewer_for

    juror = viewer_for(get_user_model().objects.get(username="juror"))
    items = desk_items(juror)
    assert [item.url for item in items] == [reverse("contests:judging", kwargs={"pk": karelia.pk})]
    assert items[0].count == karelia.entries.count() == 12  # 3 per nomination, none scored yet
