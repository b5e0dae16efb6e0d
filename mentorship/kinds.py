"""The reminders mentoring sends through the notifications engine (templates in templates/notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register

# A pair has started: to the secretaries of both sides.
PAIR_STARTED = register("mentoring.pair_started", label=_("A mentoring pair has started"))
# No check-in within the programme's interval: to both sides.
CHECK_IN_DUE = register("mentoring.check_in_due", label=_("A mentoring check-in is due"))
# 14 days before the pair's planned end: to both sides.
PAIR_ENDING = register("mentoring.pair_ending", label=_("A mentoring pair ends in 14 days"))
# At the planned end: the closing questionnaire, to both sides.
CLOSING_QUESTIONNAIRE = register("mentoring.closing_questionnaire", label=_("Mentoring: the closing questionnaire"))
