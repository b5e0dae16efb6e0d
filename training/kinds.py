"""The reminders training sends through the notifications engine (templates in templates/notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register

# To the person: the course is assigned (with the link), and 14 days and 1 day before it is due.
ASSIGNED = register("training.assigned", label=_("A course is assigned"))
DUE_SOON = register("training.due_soon", label=_("A course is due soon"))
# On the day after the due date: to the person and to the secretary of their local branch.
OVERDUE = register("training.overdue", label=_("A course is overdue"))
# On the first of each month: to the region's staff, the region's figures.
DIGEST = register("training.digest", label=_("Monthly training digest"))
