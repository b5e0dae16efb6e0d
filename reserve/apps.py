from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReserveConfig(AppConfig):
    name = "reserve"
    verbose_name = _("Personnel reserve")

    def ready(self) -> None:
        """Promote a reserve member appointed through the position services (branches.hooks)."""
        from branches import hooks
        from reserve import selectors, services

        hooks.register(taken=services.nominations_on_positions_taken)
        hooks.register_region_section(selectors.region_section, order=50)
