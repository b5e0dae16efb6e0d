from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput
from branches.models import Person, PrimaryBranch
from mentorship.models import CheckIn, CheckInKind, Figure, Focus, Programme, YoungCadre


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["region", "title", "year", "starts_on", "ends_on", "pair_months", "check_in_days", "capacity"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, regions, allow_federal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["region"].required = not allow_federal
        self.helper = _helper(_("Create the programme"))


class PairForm(forms.Form):
    mentor_branch = forms.ModelChoiceField(queryset=PrimaryBranch.objects.none(), label=_("mentor branch"))
    mentee_branch = forms.ModelChoiceField(
        queryset=PrimaryBranch.objects.none(), label=_("mentee branch"), required=False
    )
    mentee_cadre = forms.ModelChoiceField(
        queryset=YoungCadre.objects.none(),
        label=_("young activist"),
        required=False,
        help_text=_("The youth track: a young activist instead of a mentee branch."),
    )
    focus = forms.ChoiceField(choices=Focus.choices, label=_("focus"))
    starts_on = forms.DateField(label=_("start"), widget=DateInput())
    practice_title = forms.CharField(label=_("practice it builds on"), required=False, max_length=300)

    def __init__(self, *args, branches, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor_branch"].queryset = branches
        self.fields["mentee_branch"].queryset = branches
        self.fields["mentee_cadre"].queryset = cadres
        self.helper = _helper(_("Propose the pair"))

    def clean(self):
        data = super().clean()
        if bool(data.get("mentee_branch")) == bool(data.get("mentee_cadre")):
            raise forms.ValidationError(_("Choose a mentee branch or a young activist (one of them)."))
        return data


class SuggestionForm(forms.Form):
    mentor_branch = forms.IntegerField(widget=forms.HiddenInput)
    focus = forms.ChoiceField(choices=Focus.choices, label=_("focus"))
    starts_on = forms.DateField(label=_("start"), widget=DateInput())


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["held_on", "kind", "notes", "next_step"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CheckInKind.choices
        self.helper = _helper(_("Record the check-in"))


class GoalForm(forms.Form):
    text = forms.CharField(label=_("goal"), max_length=300)
    due_on = forms.DateField(label=_("due"), required=False, widget=DateInput())
    figure = forms.ChoiceField(choices=Figure.choices, label=_("measured by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the goal"))


class PairEndForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("End the pair early"))


class YoungCadreForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("person"))
    branch = forms.ModelChoiceField(queryset=PrimaryBranch.objects.none(), label=_("primary branch"))
    birth_year = forms.IntegerField(label=_("year of birth"), min_value=1900, max_value=2100)

    def __init__(self, *args, people, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["branch"].queryset = branches
        self.helper = _helper(_("Mark as a young activist"))
