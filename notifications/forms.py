from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications import kinds


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of messages and e-mails"))
    email_kinds = forms.MultipleChoiceField(
        label=_("Send these by e-mail too"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every message reaches your inbox here; unticked kinds do not come by e-mail."),
    )

    def __init__(self, *args, person, preferences, **kwargs):
        every_kind = [kind.name for kind in kinds.all_kinds()]
        initial = {
            "language": person.language or settings.LANGUAGE_CODE,
            "email_kinds": [name for name in every_kind if preferences.wants_email(name)],
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["language"].choices = settings.LANGUAGES
        self.fields["email_kinds"].choices = kinds.choices()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def email_off(self) -> list[str]:
        chosen = set(self.cleaned_data["email_kinds"])
        return [kind.name for kind in kinds.all_kinds() if kind.name not in chosen]
