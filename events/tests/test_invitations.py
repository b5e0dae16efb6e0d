"""Heads' meetings: nominations by local branches within a quota and a deadline, invitations by
rule (contest winners, council members through the registry), the yearly plan and the seats."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from branches import services as branch_services
from conftest import FROZEN_AT
from core.testing import run_concurrently
from events import invitations, selectors, services
from events.invitations import Invitee
from events.models import EventStatus, InvitationRule, Source
from events.tests.conftest import local_secretary, make_event, make_nominating_meeting


def _nominate(cast, event, by, last_name="Активистова", branch=None, **extra):
    return services.nomination_add(
        event=event, primary_branch=branch or cast.branch_a, by=by, last_name=last_name, first_name="Ася", **extra
    )


def test_a_local_secretary_nominates_activists_up_to_the_quota(cast):
    event = make_nominating_meeting(cast, per_local_branch=2)
    by = local_secretary(cast, cast.local_a1)
    first = _nominate(cast, event, by, "Первая")
    _nominate(cast, event, by, "Вторая")
    assert (first.source, first.local_branch_id, first.nominated_by) == (Source.INVITED, cast.local_a1.pk, by)
    with pytest.raises(ValidationError, match="as many activists as the meeting allows"):
        _nominate(cast, event, by, "Третья")
    # Another local branch has its own quota.
    _nominate(cast, event, local_secretary(cast, cast.local_a2, "Другая"), "Чужая", branch=cast.branch_a2)
    # A withdrawn nomination frees its seat.
    services.nomination_withdraw(line=first)
    _nominate(cast, event, by, "Третья")
    assert event.expected.active().filter(source=Source.INVITED).count() == 3


def test_an_activist_known_by_phone_is_not_recorded_twice(cast):
    event = make_nominating_meeting(cast)
    known = branch_services.person_create(last_name="Известная", first_name="Ирина", phone="+79001234567")
    line = _nominate(cast, event, local_secretary(cast, cast.local_a1), "Другая", phone="8 900 123-45-67")
    assert line.person == known


def test_nominations_close_at_the_deadline_and_need_a_published_meeting(cast):
    draft = make_nominating_meeting(cast, publish=False)
    by = local_secretary(cast, cast.local_a1)
    with pytest.raises(ValidationError, match="once the meeting is published"):
        _nominate(cast, draft, by)
    event = make_nominating_meeting(cast)
    with pytest.raises(ValidationError, match="deadline"):
        _nominate(cast, event, by, now=event.starts_at - timedelta(days=1))


def test_a_meeting_without_the_nomination_rule_takes_none(cast):
    event = make_event(cast, kind="head_meeting")
    with pytest.raises(ValidationError, match="does not take nominations"):
        _nominate(cast, event, local_secretary(cast, cast.local_a1))


def test_the_rule_is_for_heads_meetings_and_fixed_at_publication(cast, event):
    with pytest.raises(ValidationError, match="Only a meeting of the head"):
        services.invitation_set(event=event, rule=InvitationRule.BY_HAND)
    meeting = make_nominating_meeting(cast)
    with pytest.raises(ValidationError, match="fixed once the meeting is published"):
        services.invitation_set(event=meeting, rule=InvitationRule.BY_HAND)


def test_the_database_holds_the_rule_complete(cast):
    event = make_event(cast, published=False, kind="head_meeting")
    with pytest.raises(ValidationError, match="a number of activists"):
        services.invitation_set(event=event, rule=InvitationRule.NOMINATED)


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_nominating_the_last_seat_at_once_one_is_refused(cast):
    event = make_nominating_meeting(cast, per_local_branch=1)
    first = local_secretary(cast, cast.local_a1, "Первый")
    second = branch_services.person_create(last_name="Второй", first_name="Глава")
    branch_services.position_create(
        person=second, role="local_head", region=cast.region_a, local_branch=cast.local_a1, starts_on=FROZEN_AT.date()
    )

    def nominate(by):
        return _nominate(cast, event, by, f"Кандидат {by.pk}")

    outcomes = run_concurrently(nominate, [first, second])
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError), outcomes
    assert event.expected.active().filter(source=Source.INVITED, local_branch=cast.local_a1).count() == 1


def test_the_desk_registers_the_sources_of_winners_and_council_members():
    assert invitations.source_for(InvitationRule.CONTEST_WINNERS) is not None
    assert invitations.source_for(InvitationRule.COUNCIL_MEMBERS) is not None


def test_publishing_a_meeting_invites_the_people_its_rule_names(cast, monkeypatch):
    outsider = branch_services.person_create(last_name="Советова", first_name="Софья")
    seen = {}

    def winners(region_id, year, day):
        seen.update(region=region_id, year=year, day=day)
        return [
            Invitee("Победитель конкурса 2025", primary_branch_id=cast.branch_a.pk),  # its secretary: on the list
            Invitee("Победитель конкурса 2025", person_id=outsider.pk, local_branch_id=cast.local_a2.pk),
        ]

    monkeypatch.setitem(invitations._sources, InvitationRule.CONTEST_WINNERS, winners)
    event = make_event(cast, published=False, kind="head_meeting")
    services.invitation_set(event=event, rule=InvitationRule.CONTEST_WINNERS, year=2025)
    services.event_publish(event=event)
    invited = event.expected.active().get(source=Source.INVITED)
    assert (invited.person, invited.local_branch, invited.reason) == (
        outsider,
        cast.local_a2,
        "Победитель конкурса 2025",
    )
    assert seen["region"] == cast.region_a.pk and seen["year"] == 2025
    # The secretary named as a winner stays on the list once, as the secretary.
    assert event.expected.active().filter(person=cast.person("secretary")).count() == 1


def test_the_region_report_shows_held_against_planned_and_branches_without_a_seat(cast, client_for):
    services.head_meeting_plan_set(region=cast.region_a, year=FROZEN_AT.year, planned=4)
    event = make_nominating_meeting(cast)
    _nominate(cast, event, local_secretary(cast, cast.local_a1))
    with time_machine.travel(event.ends_at + timedelta(hours=1), tick=False):
        services.events_hold_ended()
        figures = selectors.head_meetings(cast.region_a)
        page = client_for("staff_a").get(f"/regions/{cast.region_a.pk}/events/report/").content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.HELD
    assert (figures.planned, figures.held) == (4, 1)
    assert [local.pk for local in figures.without_invited] == [cast.local_a2.pk]
    assert cast.local_a2.name in page
    assert "4" in page


def test_a_plan_is_one_per_region_and_year(cast):
    services.head_meeting_plan_set(region=cast.region_a, year=2026, planned=4)
    plan = services.head_meeting_plan_set(region=cast.region_a, year=2026, planned=6)
    assert plan.planned == 6
    assert cast.region_a.head_meeting_plans.count() == 1


def test_the_report_counts_its_queries(cast, django_assert_num_queries):
    # The plan (1), the year's meetings by status (1), local branches without a seat (1).
    with django_assert_num_queries(3):
        selectors.head_meetings(cast.region_a)


def test_the_nomination_page_nominates_and_withdraws(cast, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    event = make_nominating_meeting(cast)
    person = local_secretary(cast, cast.local_a1)
    person.user = get_user_model().objects.create_user(username="local-secretary")
    person.save(update_fields=["user"])
    client.force_login(person.user)
    url = reverse("events:nominate", args=[event.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"primary_branch": cast.branch_a.pk, "last_name": "Активистова", "first_name": "Ася"})
    assert response.status_code == 302
    line = event.expected.get(source=Source.INVITED)
    assert "Активистова" in client.get(url).content.decode()
    withdraw = reverse("events:nomination_withdraw", args=[event.pk, line.pk])
    assert client.post(withdraw).status_code == 302
    line.refresh_from_db()
    assert line.removed_at is not None
    # A branch of another local branch is not offered.
    response = client.post(url, {"primary_branch": cast.branch_a2.pk, "last_name": "Чужая", "first_name": "Ч"})
    assert response.status_code == 200 and not event.expected.active().filter(source=Source.INVITED).exists()


def test_a_heads_meeting_page_runs_a_fixed_number_of_queries(cast, client_for, django_assert_num_queries):
    from events.tests.conftest import make_question

    event = make_nominating_meeting(cast)
    make_question(cast, event)
    client = client_for("staff_a")
    client.get(event.get_absolute_url())
    # 1 session, 2 user, 3 viewer positions (with the unread count of the inbox), 4 the event
    # (gate); the list reconciled with the tree for its editor: 5 pghistory context, 6 the
    # event locked, 7 the tree's lines, 8 the tree lines, 9 the people's lines, 10-11 pghistory
    # context and the checked time; 12 the own line, 13 the counts, 14 the lines, 15 the
    # removed lines, 16 the questions, 17 their assignments, 18 the invitation rule
    with django_assert_num_queries(18):
        client.get(event.get_absolute_url())


def test_a_municipal_deputy_of_a_local_branch_does_not_nominate(cast):
    from django.contrib.auth import get_user_model

    from core.access import viewer_for
    from events.access import nominating_local_branches

    event = make_nominating_meeting(cast)
    deputy = branch_services.person_create(last_name="Депутатова", first_name="Дина")
    branch_services.position_create(
        person=deputy,
        role="municipal_deputy",
        region=cast.region_a,
        local_branch=cast.local_a1,
        starts_on=FROZEN_AT.date() - timedelta(days=30),
    )
    deputy.user = get_user_model().objects.create_user(username="deputy")
    deputy.save(update_fields=["user"])
    secretary = local_secretary(cast, cast.local_a1)
    secretary.user = get_user_model().objects.create_user(username="local")
    secretary.save(update_fields=["user"])
    assert nominating_local_branches(viewer_for(deputy.user), event) == set()
    assert nominating_local_branches(viewer_for(secretary.user), event) == {cast.local_a1.pk}
