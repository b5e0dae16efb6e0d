"""The contest's kinds of notification (see notifications/kinds.py); templates in templates/notifications/<kind>/."""

from django.utils.translation import gettext_lazy as _

from contests.services import ENTRY_DEADLINE, JUDGING_DEADLINE, RESULTS_PUBLISHED
from notifications.kinds import register

# To the secretary of a branch with an unsubmitted draft, 7 days and 1 day before the deadline.
register(ENTRY_DEADLINE, label=_("Contest: your entry is still a draft"))
# To a juror with unscored entries, 3 days and 1 day before judging closes.
register(JUDGING_DEADLINE, label=_("Contest: entries are waiting for your scores"))
# To every entrant, when the results are published.
register(RESULTS_PUBLISHED, label=_("Contest: results published"))
