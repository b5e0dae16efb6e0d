from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.forms import DateInput
from receptions.models import (
    MAX_SLOT_MINUTES,
    MIN_SLOT_MINUTES,
    Booking,
    DayOff,
    FollowUpKind,
    FollowUpStatus,
    Schedule,
    Weekday,
)
from receptions.services import FollowUpInput


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class ScheduleForm(forms.Form):
    """Recurring hours; the rules are the database's, repeated here for clear messages."""

    recurrence = forms.ChoiceField(label=_("Repeats"), choices=Schedule.Recurrence.choices)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    week_of_month = forms.TypedChoiceField(
        label=_("Week of the month"),
        choices=[("", "—"), *Schedule.WeekOfMonth.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for monthly hours."),
    )
    starts_at = forms.TimeField(label=pgettext_lazy("time of day", "From"), widget=TimeInput())
    ends_at = forms.TimeField(label=pgettext_lazy("time of day", "Until"), widget=TimeInput())
    slot_minutes = forms.IntegerField(
        label=_("Minutes per secretary"), min_value=MIN_SLOT_MINUTES, max_value=MAX_SLOT_MINUTES, initial=30
    )
    place = forms.CharField(label=_("Address"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(
        label=_("Valid until"), widget=DateInput(), required=False, help_text=_("Leave empty: until changed.")
    )

    def __init__(self, *args, zone_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
        self.fields["starts_at"].help_text = _("Wall-clock time in %(zone)s.") % {"zone": zone_name}
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("recurrence", css_class="col-md-4"),
                Column("weekday", css_class="col-md-4"),
                Column("week_of_month", css_class="col-md-4"),
            ),
            Row(
                Column("starts_at", css_class="col-md-4"),
                Column("ends_at", css_class="col-md-4"),
                Column("slot_minutes", css_class="col-md-4"),
            ),
            Row(Column("place", css_class="col-md-6"), Column("online_url", css_class="col-md-6")),
            Row(Column("valid_from", css_class="col-md-6"), Column("valid_until", css_class="col-md-6")),
        )
        self.helper.add_input(Submit("submit", _("Publish the hours")))

    def clean(self):
        data = super().clean()
        starts_at, ends_at, minutes = data.get("starts_at"), data.get("ends_at"), data.get("slot_minutes")
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("ends_at", _("The hours must end after they start."))
            elif minutes and (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute) < minutes:
                self.add_error("slot_minutes", _("At least one reception must fit between the start and the end."))
        if data.get("recurrence") == Schedule.Recurrence.MONTHLY and data.get("week_of_month") is None:
            self.add_error("week_of_month", _("Choose the week of the month."))
        if not data.get("place") and not data.get("online_url") and not self.has_error("online_url"):
            self.add_error("place", _("Give an address or an online link."))
        if data.get("valid_from") and data.get("valid_until") and data["valid_until"] < data["valid_from"]:
            self.add_error("valid_until", _("The hours cannot end before they start to be valid."))
        return data


class ScheduleEndForm(forms.Form):
    last_day = forms.DateField(label=_("Last day of these hours"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_day"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("End the hours"), css_class="btn-danger"))


class DayOffForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=DayOff.Kind.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Secretaries whose bookings are cancelled receive it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("day", css_class="col-md-4"), Column("kind", css_class="col-md-8")), "reason"
        )
        self.helper.add_input(Submit("submit", _("Mark the day"), css_class="btn-warning"))


class BookingForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    questions = forms.CharField(
        label=_("Questions"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
        help_text=_("What you would like to discuss, so the host can prepare."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Book")))

    def clean_topic(self):
        topic = self.cleaned_data["topic"].strip()
        if not topic:
            raise ValidationError(_("Give the topic of the reception."))
        return topic


class BookingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required
        if reason_required:
            self.fields["reason"].help_text = _("The secretary receives it.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Cancel the reception"), css_class="btn-danger"))


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, slot):
        # Rendered in the viewer's time zone (activated by the middleware).
        return formats.date_format(timezone.localtime(slot.starts_at), "WEEKDAY_MONTH_DAY_TIME_FORMAT")


class BookingMoveForm(forms.Form):
    slot = SlotChoiceField(label=_("New time"), queryset=None, empty_label=None)

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Move")))


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("The reception was"),
        choices=[(Booking.Status.HELD, _("held")), (Booking.Status.MISSED, _("missed"))],
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class FollowUpForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Initial values equal to what an untouched row posts, so an empty row counts as unchanged.
    kind = forms.ChoiceField(label=_("Kind"), choices=FollowUpKind.choices, initial=FollowUpKind.REQUEST)
    text = forms.CharField(label=_("What"), max_length=500)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=FollowUpStatus.choices, initial=FollowUpStatus.OPEN)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered as a table row (labels in the header), so the widgets carry Bootstrap's classes.
        for name, field in self.fields.items():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            if name != "id":
                field.widget.attrs.update({"class": css, "aria-label": field.label})

    def to_input(self) -> FollowUpInput:
        data = self.cleaned_data
        return FollowUpInput(
            id=data.get("id"),
            kind=data["kind"],
            text=data["text"],
            owner=data["owner"],
            due_on=data["due_on"],
            status=data["status"],
            delete=data.get("DELETE", False),
        )


class BaseFollowUpFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs.update({"class": "form-check-input", "aria-label": _("Delete")})

    def inputs(self) -> list[FollowUpInput]:
        return [form.to_input() for form in self.forms if form.has_changed() and form.cleaned_data]


FollowUpFormSet = forms.formset_factory(FollowUpForm, formset=BaseFollowUpFormSet, extra=2, can_delete=True)


class PolicyForm(forms.Form):
    held_per_month = forms.IntegerField(label=_("Norm: held receptions per host per month"), min_value=1, max_value=31)
    bookings_per_month = forms.IntegerField(
        label=_("Limit: bookings per secretary per month"), min_value=1, max_value=31
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("held_per_month", css_class="col-md-6"), Column("bookings_per_month", css_class="col-md-6"))
        )
        self.helper.add_input(Submit("submit", _("Save")))
