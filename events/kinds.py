"""The messages events send through the notifications engine (templates in templates/notifications/<kind>/).

Context of each: title, starts_at, ends_at (ISO), place, online_url, region; the
cancellation adds reason, the escalation adds organiser.
"""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register

# To every expected person, when the event is published.
PUBLISHED = register("event.published", label=_("You are expected at a party event"))
# To an expected person who has not answered, 3 days before at 10:00 in their zone.
ANSWER_REQUEST = register("event.answer_request", label=_("Answer whether you will come to an event"))
# The day before (10:00 in the person's zone) and 2 hours before, unless they cannot come.
REMINDER = register("event.reminder", label=_("Reminders of events you are expected at"))
# To every expected person, when the event is cancelled.
CANCELLED = register("event.cancelled", label=_("An event was cancelled"))
# To the organiser, 24 hours after the end of an event still open.
CLOSE_REMINDER = register("event.close_reminder", label=_("Close the event you organised"))
# To the region's staff, 72 hours after the end of an event still open.
CLOSE_ESCALATION = register("event.close_escalation", label=_("An event is still not closed"))
# To the secretary whose branch asked: the organiser answered a question. Context: + question, answer.
QUESTION_ANSWERED = register("event.question_answered", label=_("Your question was answered"))
