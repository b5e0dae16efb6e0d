"""The reminders councils send through the notifications engine (templates in templates/notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register

# A term ends in 60, 30 or 7 days and no next term is approved: to the region's staff and the member.
TERM_ENDING = register("council.term_ending", label=_("A council term is ending"))
# A local branch has had no representative for 30 days: to the region's staff.
SEAT_VACANT = register("council.seat_vacant", label=_("A council seat has been vacant for 30 days"))
