"""The reminders assignments send through the notifications engine (templates in templates/notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register

# A new assignment: to the people who answer for it, at once.
NEW = register("assignment.new", label=_("A new assignment"))
# The due date is 7 days or 1 day away: to the same people.
DUE_SOON = register("assignment.due_soon", label=_("An assignment is due soon"))
# The day after the due date, unfinished: to the same people and the issuer.
OVERDUE = register("assignment.overdue", label=_("An assignment is overdue"))
# Returned for more work: to the same people.
RETURNED = register("assignment.returned", label=_("An assignment was returned"))
# Monday morning: to each region's staff, how many of the region's assignments are overdue.
WEEKLY_DIGEST = register("assignment.weekly_digest", label=_("Overdue assignments of the region this week"))
