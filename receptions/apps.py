from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionsConfig(AppConfig):
    name = "receptions"
    verbose_name = _("Receptions")

    def ready(self):
        # A figure other apps weigh without importing this one (mentoring's results).
        from core import evidence
        from receptions.selectors import bookings_by_branch

        evidence.register("receptions.booked", label=_("receptions booked"), func=bookings_by_branch)
