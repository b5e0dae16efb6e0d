from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        """Assign and close courses in the transaction that appoints and dismisses (branches.hooks)."""
        from branches import hooks
        from training import selectors, services

        hooks.register(taken=services.assignments_on_positions_taken, ended=services.assignments_on_positions_ended)
        hooks.register_person_section(selectors.person_section)
        hooks.register_region_section(selectors.region_section, order=20)
