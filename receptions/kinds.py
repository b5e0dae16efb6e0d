"""The notifications receptions send (templates in templates/notifications/<kind>/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register

# To the host: a secretary booked a time. Context: secretary, branch, topic, starts_at.
BOOKED = register("reception.booked", label=_("A secretary booked a reception with you"))
# To the host: the secretary moved the booking. Context: + previous_starts_at.
MOVED = register("reception.moved", label=_("A reception with you was moved"))
# To the other side: a booking was cancelled (by the secretary, by the host, or with the
# whole day). Context: host, secretary, starts_at, by, reason, offers (the host's next
# free times, for a secretary whose reception the host cancelled).
CANCELLED = register("reception.cancelled", label=_("A reception was cancelled"))
# To both sides, 24 and 2 hours before. Context: other, starts_at, place, online_url, hours.
REMINDER = register("reception.reminder", label=_("Reminders of your receptions"))
# To the secretary: the host recorded the outcome. Context: host, starts_at, status, outcome.
OUTCOME = register("reception.outcome", label=_("The outcome of your reception"))
# To a host behind the region's norm, once a month. Context: held, open, norm, month.
BEHIND_NORM = register("reception.behind_norm", label=_("You are behind the norm of receptions"))
