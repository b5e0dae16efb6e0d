from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The empty choice of every select (model fields with choices, ModelChoiceField, the
# admin's): Django 6.1's "- Select an option -" has no Russian in Django's catalogue.
BLANK_CHOICE_LABEL = _("— not chosen —")


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Django reads the label when a field is built (django.db.models.utils.get_blank_choice_label)
        # and lets an app's ready() replace it. A form class imported before this would keep
        # Django's label: core/tests/test_russian_pages.py renders every page to catch one.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = BLANK_CHOICE_LABEL
