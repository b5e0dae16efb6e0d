from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from branches.models import LocalBranch, Person, PrimaryBranch, Region
from branches.selectors import PAGE_SIZES, BranchFilters
from branches.services import normalize_phone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


SELECTED = mark_safe(" selected")


class BranchFilterForm(forms.Form):
    """The filters of the branch list; bad values fall back to defaults, never to an error page."""

    q = forms.CharField(label=_("Number or name"), required=False, max_length=100)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    local_branch = forms.ModelChoiceField(label=_("Local branch"), queryset=LocalBranch.objects.none(), required=False)
    secretary = forms.ChoiceField(
        label=_("Secretary"),
        required=False,
        choices=[("", _("any")), ("yes", _("appointed")), ("no", _("vacant"))],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("open")), ("closed", _("closed")), ("all", _("all"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("number", _("number")), ("name", _("name")), ("-members", _("members, most first"))],
    )
    size = forms.TypedChoiceField(
        label=_("Rows"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        empty_value=50,  # type: ignore[arg-type]
    )

    def __init__(self, *args, regions, local_branches, show_region: bool, region_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The region select's (pk, name) pairs when the caller has them at hand (a cached list):
        # the field's own choices read the regions table as the form renders.
        self.region_choices = region_choices
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["local_branch"].queryset = local_branches  # type: ignore[attr-defined]  # a ModelChoiceField
        if not show_region:
            del self.fields["region"]

    def selects(self):
        """(bound field, its <option> elements, already escaped) for each select of the page.

        Built here rather than by a loop in the template: a template tag per option of the
        89 regions cost the national list 10 ms a render; format_html_join costs a tenth of it.
        """
        for name in self.fields:
            if name != "q":
                field = self[name]
                chosen = str(field.value() or "")
                if name == "region" and self.region_choices is not None:
                    choices = [("", field.field.empty_label), *self.region_choices]
                else:
                    # A comprehension, not list(): list() asks the iterator's length first,
                    # which costs a COUNT query on the model choices.
                    choices = [choice for choice in field.field.choices]  # noqa: C416
                options = format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    ((value, SELECTED if str(value) == chosen else "", label) for value, label in choices),
                )
                yield field, options

    def filters(self) -> tuple[BranchFilters, int]:
        data = self.cleaned_data if self.is_valid() else {}
        filters = BranchFilters(
            q=data.get("q") or "",
            region=data.get("region"),
            local_branch=data.get("local_branch"),
            secretary=data.get("secretary") or "",
            status=data.get("status") or "open",
            sort=data.get("sort") or "number",
        )
        return filters, data.get("size") or 50


class BranchForm(forms.ModelForm):
    class Meta:
        model = PrimaryBranch
        fields = [
            "local_branch",
            "number",
            "name",
            "settlement",
            "address",
            "members_count",
            "activists_count",
            "opened_on",
        ]
        widgets = {"opened_on": DateInput()}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["local_branch"].queryset = LocalBranch.objects.filter(region=region, closed_on__isnull=True)
        if self.instance.pk:
            del self.fields["opened_on"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "local_branch",
            Row(Column("number", css_class="col-sm-3"), Column("name", css_class="col-sm-9")),
            Row(Column("settlement", css_class="col-sm-5"), Column("address", css_class="col-sm-7")),
            Row(
                Column("members_count", css_class="col-sm-4"),
                Column("activists_count", css_class="col-sm-4"),
                Column("opened_on", css_class="col-sm-4") if "opened_on" in self.fields else Column(),
            ),
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_number(self):
        number = self.cleaned_data["number"]
        taken = PrimaryBranch.objects.filter(region=self.region, number=number).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("A primary branch with this number already exists in the region."))
        return number

    def clean(self):
        data = super().clean()
        members, activists = data.get("members_count"), data.get("activists_count")
        if members is not None and activists is not None and activists > members:
            self.add_error("activists_count", _("There cannot be more activists than members."))
        return data

    def _post_clean(self):
        # Validation beyond the fields happens in the service and the database;
        # skip ModelForm's instance.full_clean(), which would query the constraints again.
        pass


class BranchContactsForm(forms.ModelForm):
    """What a branch's own secretary may change."""

    class Meta:
        model = PrimaryBranch
        fields = ["settlement", "address"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def _post_clean(self):
        pass


class BranchCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, branch, **kwargs):
        super().__init__(*args, **kwargs)
        self.branch = branch
        self.fields["closed_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Close the branch"), css_class="btn-danger"))

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if self.branch.opened_on and closed_on < self.branch.opened_on:
            raise ValidationError(_("A branch cannot close before it opened."))
        return closed_on


class PersonFieldsMixin:
    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone", ""))


class SecretaryAppointForm(PersonFieldsMixin, forms.Form):
    """Appoint an existing person of the region, or a new person typed in here."""

    person = forms.ModelChoiceField(
        label=_("Person already in the region"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Leave empty to enter a new person below."),
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1900, max_value=2100, required=False)
    starts_on = forms.DateField(label=_("Start of term"), widget=DateInput())
    decision = forms.CharField(label=_("Decision"), max_length=200, required=False)
    replacing = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, people, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["starts_on"].initial = timezone.localdate()
        self.fields["replacing"].initial = current.pk if current else None
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "person",
            Row(
                Column("last_name", css_class="col-md-4"),
                Column("first_name", css_class="col-md-4"),
                Column("patronymic", css_class="col-md-4"),
            ),
            Row(
                Column("phone", css_class="col-md-4"),
                Column("email", css_class="col-md-5"),
                Column("birth_year", css_class="col-md-3"),
            ),
            Row(Column("starts_on", css_class="col-md-4"), Column("decision", css_class="col-md-8")),
            "replacing",
        )
        self.helper.add_input(Submit("submit", _("Appoint")))

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("last_name") and data.get("first_name")):
            raise ValidationError(_("Choose a person or enter at least a last and a first name."))
        return data


class PersonForm(PersonFieldsMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["last_name", "first_name", "patronymic", "phone", "email", "birth_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))

    def _post_clean(self):
        pass


class LocalBranchForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create")))


class ImportForm(forms.Form):
    MAX_BYTES = 20 * 1024 * 1024

    file = forms.FileField(
        label=_("File"),
        help_text=_("XLSX or CSV with the columns of the export; at most 20 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check the file")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an XLSX or CSV file."))
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload
