"""The people a head's meeting invites by rule, from the apps that know them (events.invitations).

events may not import contests or councils (domain apps stand side by side), so the top
floor, which reads every app, registers their lists with the events registry from
DeskConfig.ready(): contest winners are the primary branches placed in the region's stage
of the year (their secretary on the meeting's day is invited), council members the seats
of the region's council on that day.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from contests.selectors import placed_branches_of_year
from councils.selectors import members_on
from events.invitations import Invitee, register_source
from events.models import InvitationRule


def contest_winners(region_id: int, year: int | None, day: date) -> list[Invitee]:
    if year is None:
        return []
    reason = _("Winner of the contest of primary branches %(year)s") % {"year": year}
    return [Invitee(reason, primary_branch_id=branch_id) for branch_id in placed_branches_of_year(region_id, year)]


def council_members(region_id: int, year: int | None, day: date) -> list[Invitee]:
    reason = _("Member of the regional council of primary branches")
    return [
        Invitee(reason, person_id=person_id, local_branch_id=local_branch_id)
        for person_id, local_branch_id in members_on(region_id, day)
    ]


def register() -> None:
    register_source(InvitationRule.CONTEST_WINNERS, contest_winners)
    register_source(InvitationRule.COUNCIL_MEMBERS, council_members)
