import zoneinfo
from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from branches.models import (
    LOCAL_ROLES,
    SINGLE_HOLDER_ROLES,
    LocalBranch,
    Person,
    PrimaryBranch,
    Region,
    Role,
    SecretaryEndReason,
)
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
                if name == "size":
                    chosen = str(self.filters()[1])  # the size in use, also when none was asked for
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


class PersonPicker(forms.Widget):
    """A search box that finds a person (htmx, branches:person_search) instead of a select of thousands."""

    template_name = "branches/widgets/person_picker.html"

    def __init__(self, attrs=None, *, search_url: str = ""):
        super().__init__(attrs)
        self.search_url = search_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        person = Person.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        context["widget"]["label"] = person.full_name if person else ""
        context["widget"]["contact"] = self.contact
        context["widget"]["search_url"] = self.search_url
        return context

    contact = ""

    def render(self, name, value, attrs=None, renderer=None):
        """Render from the project's templates (the form renderer reads only Django's own widgets)."""
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data, files, name):
        self.contact = data.get(f"{name}_contact", "")
        return data.get(name) or None

    def value_omitted_from_data(self, data, files, name):
        return name not in data


def person_picker_field(form, name: str, *, people, search_url: str, among=None) -> None:
    """Make `form.fields[name]` a person picker over `people`, plus whoever the exact contact typed found.

    A person outside `people` (another region's) is accepted only together with the exact
    phone or e-mail that found them, so no one reaches another region's people by guessing ids.
    `among`, when given, is who may be found by contact at all (for a jury: people with a
    login); the search URL must then say the same (`login=1`).
    """
    from branches.selectors import people_found_by_contact

    field = form.fields[name]
    field.widget = PersonPicker(search_url=search_url)
    contact = form.data.get(f"{form.add_prefix(name)}_contact", "") if form.is_bound else ""
    found = people_found_by_contact(contact, among=among)
    field.queryset = Person.objects.filter(Q(pk__in=people.values("pk")) | Q(pk__in=found.values("pk")))


class PersonFieldsMixin:
    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone", ""))


# The picker, or a new person's fields: the layout every appointment form shares.
PERSON_ROWS = (
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
)


class SecretaryAppointForm(PersonFieldsMixin, forms.Form):
    """Appoint an existing person of the region, or a new person typed in here."""

    person = forms.ModelChoiceField(
        label=_("Person already in the region"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_(
            "Type a last name and pick; a person who holds or held posts in another region: their exact phone or "
            "e-mail. Leave empty to enter a new person below."
        ),
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
    # Shown (as a checkbox) once the service warned that the person is a secretary elsewhere.
    other_posts_confirmed = forms.BooleanField(
        label=_("Appoint anyway: the person keeps their other secretary post."),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, people, current, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        person_picker_field(self, "person", people=people, search_url=search_url)
        self.fields["starts_on"].initial = timezone.localdate()
        self.fields["replacing"].initial = current.pk if current else None
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *PERSON_ROWS,
            Row(Column("starts_on", css_class="col-md-4"), Column("decision", css_class="col-md-8")),
            "replacing",
            "other_posts_confirmed",
        )
        self.helper.add_input(Submit("submit", _("Appoint")))

    def ask_to_confirm_other_posts(self, error: ValidationError) -> None:
        """Show the service's warning and the box that confirms it."""
        self.fields["other_posts_confirmed"].widget = forms.CheckboxInput()
        self.add_error(None, error)

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("last_name") and data.get("first_name")):
            raise ValidationError(_("Choose a person or enter at least a last and a first name."))
        return data


class SecretaryEndForm(forms.Form):
    """End a secretary's term with nobody appointed; the position the user saw rides along."""

    ends_on = forms.DateField(
        label=_("End of term"),
        widget=DateInput(),
        help_text=_("The first day the person is no longer the secretary; the branch is vacant from that day."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=SecretaryEndReason.choices)
    details = forms.CharField(label=_("Details"), max_length=150, required=False)
    position = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()
        self.fields["position"].initial = current.pk
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("End the term"), css_class="btn-danger"))


class PostAppointForm(SecretaryAppointForm):
    """A post of the regional branch or of one of its local branches, for an existing or a new person."""

    role = forms.ChoiceField(label=_("Post"))
    local_branch = forms.ModelChoiceField(
        label=_("Local branch"),
        queryset=LocalBranch.objects.none(),
        required=False,
        help_text=_("For the posts of a local branch: its secretary, executive head, municipal deputies."),
    )
    ends_on = forms.DateField(
        label=_("End of term"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty when the term has no set end."),
    )

    def __init__(self, *args, roles, local_branches, post=None, **kwargs):
        """`post`: (role, local branch or None) of a one-holder post the page was opened for.

        A secretary's post changes hands on its own page (the intro names the holder whose term
        ends); the general form offers only the posts that may have several holders.
        """
        super().__init__(*args, **kwargs)
        self.fields["local_branch"].queryset = local_branches
        if post is not None:
            role, local = post
            self.fields["role"].choices = [(role, role)]
            self.fields["role"].initial = role
            self.fields["local_branch"].initial = local.pk if local else None
            self.fields["role"].widget = self.fields["local_branch"].widget = forms.HiddenInput()
        else:
            roles = [role for role in roles if role not in SINGLE_HOLDER_ROLES]
            self.fields["role"].choices = [("", _("— choose a post —"))] + [
                (role, Role(role).label.capitalize()) for role in roles
            ]
        self.helper.layout = Layout(
            Row(Column("role", css_class="col-md-6"), Column("local_branch", css_class="col-md-6")),
            *PERSON_ROWS,
            Row(
                Column("starts_on", css_class="col-md-3"),
                Column("ends_on", css_class="col-md-3"),
                Column("decision", css_class="col-md-6"),
            ),
            "replacing",
        )

    def clean(self):
        data = super().clean()
        role, local = data.get("role"), data.get("local_branch")
        if role in LOCAL_ROLES and local is None:
            self.add_error("local_branch", _("Choose the local branch of this post."))
        if role and role not in LOCAL_ROLES:
            data["local_branch"] = None
        ends_on, starts_on = data.get("ends_on"), data.get("starts_on")
        if ends_on and starts_on and ends_on <= starts_on:
            self.add_error("ends_on", _("A term must end after it starts."))
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


class ImportConfirmForm(forms.Form):
    """Applying a checked import; new local branches need a tick of their own."""

    local_branches_confirmed = forms.BooleanField(
        label=_("I have checked the new local branches: they are new, not misspelt names of existing ones."),
        required=False,
    )


class DataLogFilterForm(forms.Form):
    """The filters of the personal-data access log; a bad value is ignored, never an error page."""

    person = forms.CharField(label=_("Whose data (last name)"), required=False, max_length=100)
    viewer = forms.CharField(label=_("Who looked (last name or login)"), required=False, max_length=100)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())


def time_zone_choices() -> list[tuple[str, str]]:
    """The zones of the regions, east of Moscow last, each named as people say it, with its regions."""
    from core.timezones import zone_label

    regions: dict[str, list[str]] = {}
    for zone, name in Region.objects.order_by("name").values_list("time_zone", "name"):
        regions.setdefault(zone, []).append(name)
    now = timezone.now()
    ordered = sorted(regions, key=lambda zone: now.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset() or timedelta())
    return [(zone, f"{zone_label(zone, at=now)}: {', '.join(regions[zone][:3])}") for zone in ordered]


class PreferencesForm(forms.Form):
    """The zone and language of a person's pages and messages."""

    chosen_time_zone = forms.ChoiceField(label=_("Time zone of my pages and messages"), required=False)
    language = forms.ChoiceField(label=_("Language of messages"), required=False)

    def __init__(self, *args, default_zone_label, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        default = _("By my newest post (now %(zone)s)") % {"zone": default_zone_label}
        self.fields["chosen_time_zone"].choices = [("", default), *time_zone_choices()]
        self.fields["language"].choices = [("", _("The site's language")), *settings.LANGUAGES]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save")))
