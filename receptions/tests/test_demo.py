"""The demo's receptions: every demo secretary has free times to book."""

import random

import pytest
from django.contrib.auth import get_user_model

from core.access import viewer_for
from receptions import demo
from receptions.selectors import bookable_slots, hosts_for_secretary

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    from branches import demo as branches_demo
    from branches.data.regions import ensure_regions
    from branches.models import Region

    if not Region.objects.exists():
        ensure_regions(Region)
    rng = random.Random(1)
    branches_demo.seed("demo", rng)
    return demo.seed("demo", rng)


@pytest.mark.parametrize("login", ["secretary", "secretary-80"])
def test_every_demo_secretary_has_free_times_to_book(seeded, login):
    viewer = viewer_for(get_user_model().objects.get(username=login))
    hosts = [host for host in hosts_for_secretary(viewer) if host.next_free is not None]
    assert len(hosts) >= 1, login
    assert all(bookable_slots(host) for host in hosts)


def test_karelia_s_hosts_serve_golikovka_and_some_of_their_times_are_taken(seeded):
    from receptions.models import Booking, Schedule

    karelian = Schedule.objects.filter(position__region__code="10")
    assert karelian.count() == 2
    taken = Booking.objects.filter(slot__schedule__in=karelian)
    assert taken.exists() and not taken.filter(branch__number=80).exists()
