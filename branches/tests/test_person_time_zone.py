"""A person's time zone follows their positions, so that messages to them read in local time.

The rule: the region of the most recently started position held today with a region;
no such position means "" (the default zone). The position services keep it, and the
daily sweep catches terms dated in advance.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from branches import services, tasks
from branches.models import Person, Region, Role

pytestmark = pytest.mark.django_db


def zone(person) -> str:
    return Person.objects.get(pk=person.pk).time_zone


def test_the_cast_reads_in_the_zones_of_their_regions(cast):
    assert zone(cast.person("secretary")) == "Asia/Yakutsk"  # Amur
    assert zone(cast.person("staff_b")) == "Europe/Moscow"  # Karelia
    assert zone(cast.person("admin")) == ""  # a federal position has no region
    assert zone(cast.person("juror")) == ""  # no position at all


def test_the_most_recently_started_position_wins_and_its_end_gives_the_zone_back(cast):
    kamchatka = Region.objects.get(code="41")
    host = cast.person("host")
    today = timezone.localdate()
    position = services.position_create(
        person=host, role=Role.DUMA_DEPUTY, region=kamchatka, starts_on=today - timedelta(days=1)
    )
    assert zone(host) == "Asia/Kamchatka"
    services.position_end(position=position, ends_on=today)
    assert zone(host) == "Asia/Yakutsk"


def test_a_secretary_replaced_today_loses_the_zone_of_that_branch(cast):
    secretary = cast.person("secretary")
    newcomer = services.person_create(last_name="Новикова", first_name="Нина")
    services.secretary_appoint(branch=cast.branch_a, person=newcomer, starts_on=timezone.localdate())
    assert zone(newcomer) == "Asia/Yakutsk"
    assert zone(secretary) == ""


def test_a_term_dated_in_advance_moves_the_zone_on_its_day_with_the_daily_sweep(cast):
    juror = cast.person("juror")
    starts_on = date(2031, 5, 1)
    services.position_create(
        person=juror, role=Role.REGIONAL_STAFF, region=Region.objects.get(code="39"), starts_on=starts_on
    )
    assert zone(juror) == ""  # not held yet
    assert services.person_time_zones_refresh(today=starts_on - timedelta(days=1)) == 0
    assert services.person_time_zones_refresh(today=starts_on) == 1
    assert zone(juror) == "Europe/Kaliningrad"
    assert services.person_time_zones_refresh(today=starts_on) == 0  # nothing left to change


def test_the_sweep_task_repairs_a_zone_set_by_hand(cast):
    Person.objects.filter(pk=cast.person("secretary").pk).update(time_zone="Europe/Kaliningrad")
    assert tasks.person_time_zones_refresh() == 1
    assert zone(cast.person("secretary")) == "Asia/Yakutsk"
