from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentorshipConfig(AppConfig):
    name = "mentorship"
    verbose_name = _("Mentoring")

    def ready(self) -> None:
        """Show the region's mentoring on its page (branches.hooks)."""
        from branches import hooks
        from mentorship import selectors

        hooks.register_region_section(selectors.region_section, order=30)
