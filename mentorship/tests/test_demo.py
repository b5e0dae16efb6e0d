"""The demo: Karelia's №80 «Голиковка» mentors two branches; Amur's staff have weak branches to pair."""

import random

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.access import viewer_for
from mentorship import selectors
from mentorship.models import Pair, Programme

pytestmark = pytest.mark.django_db


def test_the_demo_has_golikovka_mentoring_two_branches_and_the_secretary_s_next_check_in():
    from branches import demo as branches_demo
    from branches.data.regions import ensure_regions
    from branches.models import PrimaryBranch, Region
    from mentorship import demo

    if not Region.objects.exists():
        ensure_regions(Region)
    rng = random.Random(1)
    branches_demo.seed("demo", rng)
    counts = demo.seed("demo", rng)
    assert counts["programmes"] == 5 and counts["pairs"] > 40 and counts["reminders"] > 0

    golikovka = PrimaryBranch.objects.get(region__code="10", number=80)
    mentees = Pair.objects.filter(mentor_branch=golikovka, status="active")
    assert mentees.count() == 2
    today = timezone.localdate()
    health = {row.health for row in selectors.pair_rows(mentees, today)}
    assert health == {"on_track", "needs_check_in"}

    secretary = get_user_model().objects.get(username="secretary")
    items = selectors.desk_items(viewer_for(secretary))
    assert any("next check-in by" in item.detail or "следующая встреча" in item.detail for item in items)

    amur = Programme.objects.get(region__code="28")
    paired = set(Pair.objects.filter(programme=amur).values_list("mentee_branch_id", flat=True))
    weak = PrimaryBranch.objects.filter(region__code="28").exclude(pk__in=paired).order_by("members_count").first()
    assert selectors.suggestions_for(amur, weak, today)
