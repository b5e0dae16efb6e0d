"""The reminders the reserve sends through the notifications engine (templates in templates/notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register

# On the pool's yearly review date: to its owner.
REVIEW_DUE = register("reserve.review_due", label=_("A reserve pool's yearly review is due"))
