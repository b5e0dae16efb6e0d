from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput
from branches.models import Person, PrimaryBranch
from events.models import Answer, CannotReason, Event, InvitationRule, Question


class DateTimeInput(forms.DateTimeInput):
    """A phone's own date-and-time picker; the view activates the region's zone around the form."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _helper(label, *, danger: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label, css_class="btn-danger" if danger else "btn-primary"))
    return helper


class EventForm(forms.ModelForm):
    """An event's fields; times in the region's zone (the view activates it)."""

    primary_number = forms.IntegerField(
        label=_("Primary branch number"),
        required=False,
        min_value=1,
        help_text=_("For an event of one primary branch; leave empty for the whole local branch or region."),
    )

    class Meta:
        model = Event
        fields = ["kind", "title", "local_branch", "starts_at", "ends_at", "place", "online_url", "description"]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, region, local_branches, local_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        field = self.fields["local_branch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = local_branches
        field.required = local_required
        field.empty_label = _("— the whole region —")
        if self.instance.pk:
            del self.fields["local_branch"], self.fields["primary_number"]
        elif self.instance.primary_branch_id:
            self.fields["primary_number"].initial = self.instance.primary_branch.number
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "kind",
            "title",
            *(["local_branch", "primary_number"] if not self.instance.pk else []),
            Row(Column("starts_at", css_class="col-md-6"), Column("ends_at", css_class="col-md-6")),
            "place",
            "online_url",
            "description",
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("An event must end after it starts."))
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", _("Give a place or an online link."))
        number = data.get("primary_number")
        data["primary_branch"] = None
        if number:
            branches = PrimaryBranch.objects.filter(region=self.region, number=number)
            if data.get("local_branch"):
                branches = branches.filter(local_branch=data["local_branch"])
            branch = branches.first()
            if branch is None:
                self.add_error("primary_number", _("No primary branch with this number here."))
            data["primary_branch"] = branch
        return data


class ConfirmForm(forms.Form):
    def __init__(self, *args, label, danger: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(label, danger=danger)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Cancel the event"), danger=True)


class CloseForm(forms.Form):
    report = forms.CharField(
        label=_("Short report"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was discussed and decided."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Close the event"))


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Will you come?"), choices=Answer.choices, widget=forms.RadioSelect)
    cannot_reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *CannotReason.choices], required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the answer"))

    def clean(self):
        data = super().clean()
        if data.get("answer") == Answer.CANNOT and not data.get("cannot_reason"):
            self.add_error("cannot_reason", _("Say why you cannot come."))
        return data


class ExpectedAddForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    reason = forms.CharField(label=_("Why they are expected"), max_length=300)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.helper = _helper(_("Add to the list"))


class WalkInForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person in the registry"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— not in the registry: type the name below —"),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.helper = _helper(_("Record the walk-in"))

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("name", "").strip():
            raise ValidationError(_("Choose a person or type the walk-in's name."))
        return data


class CheckInForm(forms.Form):
    """The code travels in the POST body, never in a URL (a scanner fills the same field)."""

    code = forms.CharField(
        label=_("Check-in code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Check in"))


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your branch's question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send the question"))


class QuestionAnswerForm(forms.Form):
    selected = forms.BooleanField(label=_("Selected for the meeting"), required=False)
    duplicate_of = forms.ModelChoiceField(
        label=_("Same as"), queryset=Question.objects.none(), required=False, empty_label=_("— a question of its own —")
    )
    answer = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Sent to the branch that asked, and to the branches whose questions are the same."),
    )

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate_of"].queryset = others
        self.helper = _helper(_("Save"))


class InvitationForm(forms.Form):
    """Who a head's meeting invites besides the territory's secretaries; the deadline in the region's zone."""

    rule = forms.ChoiceField(label=_("Who is invited"), choices=InvitationRule.choices, widget=forms.RadioSelect)
    per_local_branch = forms.IntegerField(
        label=_("Activists per local branch"), min_value=1, max_value=20, required=False
    )
    nominations_due = forms.DateTimeField(label=_("Nominations until"), widget=DateTimeInput(), required=False)
    year = forms.IntegerField(label=_("Contest year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the rule"))

    def clean(self):
        data = super().clean()
        if data.get("rule") == InvitationRule.NOMINATED:
            if not data.get("per_local_branch"):
                self.add_error("per_local_branch", _("How many activists may each local branch nominate?"))
            if not data.get("nominations_due"):
                self.add_error("nominations_due", _("Until when are nominations taken?"))
        if data.get("rule") == InvitationRule.CONTEST_WINNERS and not data.get("year"):
            self.add_error("year", _("Choose the year of the contest whose winners are invited."))
        return data


class NominationForm(forms.Form):
    """An activist of one of the secretary's primary branches: found by phone, or recorded."""

    primary_branch = forms.ModelChoiceField(label=_("Primary branch"), queryset=PrimaryBranch.objects.none())
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=_("If the party already keeps this person, they are found by their phone."),
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["primary_branch"].queryset = branches
        self.helper = _helper(_("Nominate"))


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    planned = forms.IntegerField(label=_("Meetings of the head with activists planned"), min_value=0, max_value=366)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the plan"))


class QuestionAssignForm(forms.Form):
    """A question becomes work: who owns it and by when."""

    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none())
    title = forms.CharField(label=_("What must be done"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.helper = _helper(_("Make it an assignment"))
