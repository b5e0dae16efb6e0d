from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput, person_picker_field
from branches.models import LocalBranch, Person, Region
from reserve.models import Level, Post, Readiness, Status
from reserve.selectors import PARTS


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PoolForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices, label=capfirst(_("level")))
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=capfirst(_("region")), required=False)
    local_branch = forms.ModelChoiceField(
        queryset=LocalBranch.objects.none(), label=capfirst(_("local branch")), required=False
    )
    title = forms.CharField(label=capfirst(_("title")), max_length=200)
    posts = forms.MultipleChoiceField(
        choices=Post.choices, label=capfirst(_("posts it prepares for")), widget=forms.CheckboxSelectMultiple
    )
    year = forms.IntegerField(label=capfirst(_("year")), min_value=2000, max_value=2100)
    review_on = forms.DateField(label=capfirst(_("yearly review")), widget=DateInput())

    def __init__(self, *args, regions, allow_federal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["local_branch"].queryset = LocalBranch.objects.filter(region__in=regions).order_by("name")  # type: ignore[attr-defined]
        if not allow_federal:
            self.fields["level"].choices = [c for c in Level.choices if c[0] != Level.FEDERAL]  # type: ignore[attr-defined]
        self.helper = _helper(_("Create the pool"))

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level == Level.REGIONAL and not data.get("region"):
            self.add_error("region", _("Choose the region."))
        if level == Level.LOCAL and not data.get("local_branch"):
            self.add_error("local_branch", _("Choose the local branch."))
        return data


class NominationForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=capfirst(_("person")))
    readiness = forms.ChoiceField(choices=Readiness.choices, label=capfirst(_("readiness")), initial=Readiness.SOON)
    reason = forms.CharField(label=capfirst(_("why")), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, search_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        person_picker_field(self, "person", people=people, search_url=search_url)
        self.helper = _helper(_("Nominate"))


class DecisionForm(forms.Form):
    status = forms.ChoiceField(choices=[], label=capfirst(_("decision")))
    decision_ref = forms.CharField(label=capfirst(_("decision (minutes number)")), max_length=100)
    readiness = forms.ChoiceField(
        choices=[("", "—"), *Readiness.choices], label=capfirst(_("readiness")), required=False
    )
    reason = forms.CharField(
        label=capfirst(_("reason")), max_length=300, required=False, help_text=_("Required for an exclusion.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, nomination, **kwargs):
        kwargs.setdefault("initial", {"version": nomination.version})
        super().__init__(*args, **kwargs)
        # Promotion comes from the appointment itself (branches.hooks), not from this form.
        moves = [s for s in nomination.next_statuses if s != Status.PROMOTED]
        self.fields["status"].choices = [(s, Status(s).label) for s in moves]
        self.helper = _helper(_("Record the decision"))
        self.helper.form_action = nomination.get_absolute_url() + "decide/"

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.EXCLUDED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the person is excluded."))
        return data


class WeightsForm(forms.Form):
    def __init__(self, *args, weights: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for part in PARTS:
            self.fields[part.key] = forms.IntegerField(
                label=str(part.label),
                min_value=0,
                max_value=10,
                initial=weights[part.key],
                help_text=str(part.rule),
            )
        self.helper = _helper(_("Save the weights"))

    def clean(self):
        data = super().clean()
        if self.is_bound and not self.errors and not any(data.values()):
            raise forms.ValidationError(_("At least one weight must be above zero."))
        return data
