from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput, PersonFieldsMixin, person_picker_field
from branches.models import LocalBranch, Person
from councils.models import CouncilDecision, SeatRole


class DecisionFieldsMixin:
    """The approving decision: a recorded one, or a number and a date typed in."""

    def clean(self):
        data = super().clean()
        if data.get("decision") and (data.get("decision_number") or data.get("decision_date")):
            raise ValidationError(_("Choose a recorded decision or type its number and date, not both."))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("A term must end after it starts."))
        return data


def _decision_fields(form, decisions):
    form.fields["decision"] = forms.ModelChoiceField(
        label=_("Recorded decision"),
        queryset=decisions,
        required=False,
        empty_label=_("— none: type the number and date below —"),
        help_text=_("A decision of a meeting recorded here; or type the number and date below."),
    )
    form.fields["decision_number"] = forms.CharField(label=_("Decision number"), max_length=30, required=False)
    form.fields["decision_date"] = forms.DateField(label=_("Decision date"), required=False, widget=DateInput())
    form.fields["long_term_reason"] = _long_term_reason_field()


DECISION_LAYOUT = (
    "decision",
    Row(Column("decision_number", css_class="col-md-6"), Column("decision_date", css_class="col-md-6")),
    "long_term_reason",
)


def _long_term_reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Reason for a term longer than the policy"),
        max_length=200,
        required=False,
        help_text=_("Only when the end above is later than the council's policy sets; the council page shows it."),
    )


class SeatAppointForm(DecisionFieldsMixin, PersonFieldsMixin, forms.Form):
    """Appoint a person of the region, or a new person typed in here, to a seat."""

    role = forms.ChoiceField(label=_("Seat"), choices=SeatRole.choices)
    local_branch = forms.ModelChoiceField(
        label=_("Local branch"),
        queryset=LocalBranch.objects.none(),
        required=False,
        help_text=_("For a representative: the local branch they speak for."),
    )
    person = forms.ModelChoiceField(
        label=_("Person already in the region"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— a new person: enter below —"),
        help_text=_("Leave empty to enter a new person below."),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    starts_on = forms.DateField(label=_("Start of term"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("End of term"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty: the council's policy sets it (first day no longer held)."),
    )

    def __init__(self, *args, local_branches, people, decisions, search_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_branch"].queryset = local_branches
        person_picker_field(self, "person", people=people, search_url=search_url)
        self.fields["starts_on"].initial = timezone.localdate()
        _decision_fields(self, decisions)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("role", css_class="col-md-4"), Column("local_branch", css_class="col-md-8")),
            Fieldset(
                _("Who"),
                "person",
                Row(
                    Column("last_name", css_class="col-md-4"),
                    Column("first_name", css_class="col-md-4"),
                    Column("patronymic", css_class="col-md-4"),
                ),
                Row(Column("phone", css_class="col-md-5"), Column("email", css_class="col-md-7")),
            ),
            Fieldset(
                _("Term and decision"),
                Row(Column("starts_on", css_class="col-md-6"), Column("ends_on", css_class="col-md-6")),
                *DECISION_LAYOUT,
            ),
        )
        self.helper.add_input(Submit("submit", _("Appoint")))

    def clean(self):
        data = super().clean()
        if data.get("role") == SeatRole.REPRESENTATIVE and not data.get("local_branch"):
            self.add_error("local_branch", _("Choose the local branch the representative speaks for."))
        if data.get("role") != SeatRole.REPRESENTATIVE:
            data["local_branch"] = None
        if not data.get("person") and not (data.get("last_name") and data.get("first_name")):
            raise ValidationError(_("Choose a person or enter at least a last and a first name."))
        return data


class SeatReappointForm(DecisionFieldsMixin, forms.Form):
    starts_on = forms.DateField(label=_("Start of the new term"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("End of the new term"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty: the council's policy sets it (first day no longer held)."),
    )

    def __init__(self, *args, seat, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].initial = seat.ends_on
        _decision_fields(self, decisions)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("starts_on", css_class="col-md-6"), Column("ends_on", css_class="col-md-6")), *DECISION_LAYOUT
        )
        self.helper.add_input(Submit("submit", _("Reappoint")))


class SeatEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Ends on"), widget=DateInput(), help_text=_("The first day the seat is no longer held.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, seat, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat
        self.fields["ends_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("End the term early"), css_class="btn-danger"))

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on >= self.seat.ends_on:
            raise ValidationError(
                _("To end early, choose a day before the term ends (%(date)s)."),
                params={"date": formats.date_format(self.seat.ends_on, "SHORT_DATE_FORMAT")},
            )
        if ends_on <= self.seat.starts_on:
            raise ValidationError(
                _("The term started on %(date)s; it can end from the next day on."),
                params={"date": formats.date_format(self.seat.starts_on, "SHORT_DATE_FORMAT")},
            )
        return ends_on


class PolicyForm(forms.Form):
    applies_from = forms.DateField(
        label=_("Applies to terms starting from"),
        widget=DateInput(),
        help_text=_("Terms already approved keep their end date."),
    )
    representative_years = forms.IntegerField(label=_("Term of a representative, years"), min_value=1, max_value=10)
    chair_years = forms.IntegerField(label=_("Term of the chair, years"), min_value=1, max_value=10)
    deputy_chair_years = forms.IntegerField(label=_("Term of the deputy chair, years"), min_value=1, max_value=10)

    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applies_from"].initial = timezone.localdate()
        for name in ("representative_years", "chair_years", "deputy_chair_years"):
            self.fields[name].initial = getattr(policy, name)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "applies_from",
            Row(
                Column("representative_years", css_class="col-md-4"),
                Column("chair_years", css_class="col-md-4"),
                Column("deputy_chair_years", css_class="col-md-4"),
            ),
        )
        self.helper.add_input(Submit("submit", _("Save")))


class MeetingForm(forms.Form):
    """A session: date, place, agenda and guests; its items are the formset below (AgendaItemFormSet)."""

    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False)
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    guests = forms.CharField(
        label=_("Invited guests"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False  # one <form> with the agenda items (councils/meeting_form.html)


# The pages of the contest library an agenda item may link to (by URL name: councils imports no contests).
LIBRARY_URL_NAMES = ("contests:practice", "contests:library")


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Item"), max_length=500)
    speaker = forms.CharField(label=_("Speaker"), max_length=300, required=False)
    practice_url = forms.CharField(
        label=_("Best practice (library link)"),
        max_length=300,
        required=False,
        help_text=_("The address of a best practice in the contest library, e.g. /library/12/."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered as a table row (labels in the header), so the widgets carry Bootstrap's classes.
        for field in self.fields.values():
            field.widget.attrs.update({"class": "form-control form-control-sm", "aria-label": field.label})
        self.fields["practice_url"].widget.attrs["placeholder"] = "/library/12/"

    def clean_practice_url(self) -> str:
        """A link to the contest library, kept as its path (a full address of this site is cut to it)."""
        from urllib.parse import urlsplit

        from django.urls import Resolver404, resolve

        value = self.cleaned_data["practice_url"].strip()
        if not value:
            return ""
        path = urlsplit(value).path or "/"
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is None or match.view_name not in LIBRARY_URL_NAMES:
            raise ValidationError(_("Give the address of a best practice in the contest library."), code="practice")
        return path


class BaseAgendaItemFormSet(forms.BaseFormSet):
    def items(self) -> list[tuple[str, str, str]]:
        """(title, speaker, practice link) of every filled row, in order."""
        return [
            (form.cleaned_data["title"], form.cleaned_data.get("speaker", ""), form.cleaned_data["practice_url"])
            for form in self.forms
            if form.has_changed() and form.cleaned_data
        ]


AgendaItemFormSet = forms.formset_factory(AgendaItemForm, formset=BaseAgendaItemFormSet, extra=4, max_num=30)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 10}), max_length=50000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))


class MemberAppointForm(forms.Form):
    """An appointed member of the federal council, for a term."""

    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.none(), help_text=_("Type a last name and pick.")
    )
    starts_on = forms.DateField(label=_("Start of term"), widget=DateInput())
    ends_on = forms.DateField(label=_("End of term"), widget=DateInput(), help_text=_("first day no longer held"))

    def __init__(self, *args, people, search_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        person_picker_field(self, "person", people=people, search_url=search_url)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Appoint")))


class SeatChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, seat):
        # At a federal session the regional chairs are told apart by their region.
        if seat.role == SeatRole.CHAIR and seat._meta.get_field("region").is_cached(seat) and seat.region:
            return f"{seat.person.full_name} — {seat.place}, {seat.region.name}"
        return f"{seat.person.full_name} — {seat.place}"


class AttendanceForm(forms.Form):
    present = SeatChoiceField(
        label=_("Present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The holders of the seats filled on the day of the meeting."),
    )

    def __init__(self, *args, meeting, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = seats
        self.helper = FormHelper()
        self.helper.form_id = "attendance-form"
        self.helper.form_action = reverse("councils:meeting_attendance", kwargs={"pk": meeting.pk})
        self.helper.layout = Layout(Field("present", wrapper_class="attendance-list"))
        self.helper.add_input(Submit("submit", _("Record the attendance")))


class DecisionForm(forms.Form):
    number = forms.CharField(
        label=_("Number"), max_length=30, required=False, help_text=_("Leave empty to number in order.")
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.helper = FormHelper()
        self.helper.form_id = "decision-form"
        self.helper.form_action = reverse("councils:decision_create", kwargs={"pk": meeting.pk})
        self.helper.add_input(Submit("submit", _("Record the decision")))

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if number and CouncilDecision.objects.filter(meeting=self.meeting, number=number).exists():
            raise ValidationError(_("A decision with this number is already recorded at the meeting."))
        return number


OVERVIEW_SORT_CHOICES = ["code", "region", "filled", "vacant", "chair", "expiring"]
