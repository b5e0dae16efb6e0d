from django.apps import AppConfig
from django.core import checks
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # Each app declares its kinds of notification in <app>/kinds.py.
        autodiscover_modules("kinds")
        checks.register(check_kind_templates, checks.Tags.templates)


def check_kind_templates(app_configs=None, **kwargs):
    """Every registered kind has its subject / text / HTML template trio."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    from notifications import kinds

    errors = []
    for kind in kinds.all_kinds():
        for part in kinds.TEMPLATES:
            try:
                get_template(kind.template(part))
            except TemplateDoesNotExist:
                errors.append(
                    checks.Error(
                        f"notification kind {kind.name!r} has no template {kind.template(part)!r}",
                        id="notifications.E001",
                    )
                )
    return errors
