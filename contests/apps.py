from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contests")

    def ready(self):
        # Figures other apps weigh without importing this one (mentoring's suggestions and results).
        from contests.selectors import placed_by_branch, submitted_by_branch
        from core import evidence

        evidence.register("contests.placed", label=_("contest prize places"), func=placed_by_branch)
        evidence.register("contests.entries_submitted", label=_("contest entries submitted"), func=submitted_by_branch)
