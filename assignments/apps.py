from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Assignments")

    def ready(self):
        # Each app offers the figures it computes in <app>/figures.py, as it does its kinds.
        autodiscover_modules("figures")
        post_migrate.connect(sync_figures, sender=self)
        # What the region was given to do, on the region's page (branches.hooks).
        from assignments import selectors
        from branches import hooks

        hooks.register_region_section(selectors.region_section, order=40)


def sync_figures(**kwargs):
    """Keep the Figure table (the foreign key's target) in step with the registry."""
    from assignments import figures

    figures.sync()
