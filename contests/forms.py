from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput, person_picker_field
from branches.models import LocalBranch, Person, Region
from contests import services
from contests.models import Contest, Criterion, EntryStatus, Level, Nomination, Theme
from contests.selectors import EntryFilters, LibraryFilters
from core.db import message_for

DATE_FIELDS = ["entries_open_on", "entries_close_on", "judging_close_on", "results_on"]
PAGE_SIZES = (25, 50, 100)


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def check_dates(form, data: dict) -> None:
    """The database's `contest_dates_in_order`, repeated field by field for clear messages."""
    opens, closes, judged, results = (data.get(name) for name in DATE_FIELDS)
    if opens and closes and closes < opens:
        form.add_error("entries_close_on", _("The deadline cannot come before entries open."))
    if closes and judged and judged <= closes:
        form.add_error("judging_close_on", _("Judging must close after the application deadline."))
    if judged and results and results < judged:
        form.add_error("results_on", _("Results cannot come before judging closes."))


class ContestForm(forms.ModelForm):
    """A new contest: a regional stage (staff: of their region) or the federal final (administrators)."""

    class Meta:
        model = Contest
        fields = ["year", "level", "region", "title", "method", "blind", *DATE_FIELDS]
        widgets = {name: DateInput() for name in DATE_FIELDS}

    def __init__(self, *args, regions, federal_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]  # a ModelChoiceField
        self.fields["title"].help_text = _("Leave empty for the usual title.")
        if not federal_allowed:
            self.fields["level"].choices = [(Level.REGIONAL, Level.REGIONAL.label)]  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("year", css_class="col-sm-3"),
                Column("level", css_class="col-sm-4"),
                Column("region", css_class="col-sm-5"),
            ),
            "title",
            Row(Column("method", css_class="col-sm-8"), Column("blind", css_class="col-sm-4 pt-sm-4")),
            Row(*[Column(name, css_class="col-sm-6 col-lg-3") for name in DATE_FIELDS]),
        )
        self.helper.add_input(Submit("submit", _("Create the contest")))

    def clean(self):
        data = super().clean()
        if data.get("level") == Level.REGIONAL and not data.get("region"):
            self.add_error("region", _("A regional stage needs a region."))
        if data.get("level") == Level.FEDERAL:
            data["region"] = None
        check_dates(self, data)
        year, level, region = data.get("year"), data.get("level"), data.get("region")
        if year and level and Contest.objects.filter(year=year, level=level, region=region).exists():
            raise ValidationError(message_for("contest_one_per_year_level_region"))
        return data

    def _post_clean(self):
        # The service and the database check the rest; skip ModelForm's full_clean().
        pass


class ContestEditForm(forms.ModelForm):
    """What a contest's stage still lets change (services.CONTEST_EDITABLE)."""

    class Meta:
        model = Contest
        fields = ["title", "method", "blind", *DATE_FIELDS]
        widgets = {name: DateInput() for name in DATE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        editable = services.CONTEST_EDITABLE[self.instance.status]
        for name in list(self.fields):
            if name not in editable:
                self.fields[name].disabled = True
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "title",
            Row(Column("method", css_class="col-sm-8"), Column("blind", css_class="col-sm-4 pt-sm-4")),
            Row(*[Column(name, css_class="col-sm-6 col-lg-3") for name in DATE_FIELDS]),
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean(self):
        data = super().clean()
        check_dates(self, data)
        return data

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if not self.fields[name].disabled}

    def _post_clean(self):
        pass


class NominationForm(forms.Form):
    theme = forms.ChoiceField(label=_("Nomination"), choices=())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(contest.nominations.values_list("theme", flat=True))
        self.fields["theme"].choices = [(value, label) for value, label in Theme.choices if value not in taken]
        self.helper = _helper(_("Add"))


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "max_score"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weight"].min_value = 0.01
        self.fields["max_score"].min_value = 1
        self.fields["max_score"].max_value = 100
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "name",
            "description",
            Row(Column("weight", css_class="col-sm-6"), Column("max_score", css_class="col-sm-6")),
        )
        self.helper.add_input(Submit("submit", _("Save")))

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and not 0 < weight <= 100:
            raise ValidationError(message_for("criterion_weight_positive"))
        return weight

    def _post_clean(self):
        pass


class JurorForm(forms.Form):
    """Assign a person with a login (jurors score here) to nominations of a contest."""

    person = forms.ModelChoiceField(
        label=_("Juror"),
        queryset=Person.objects.none(),
        help_text=_(
            "A person with a login: type a last name and pick; a person from another region: "
            "their exact phone or e-mail."
        ),
    )
    nominations = forms.ModelMultipleChoiceField(
        label=_("Nominations"), queryset=Nomination.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    home_local_branch = forms.ModelChoiceField(
        label=_("Juror's own local branch"),
        queryset=LocalBranch.objects.none(),
        required=False,
        help_text=_(
            "Entries of this local branch, and of the local branches where the juror holds a position, "
            "are never shown to the juror."
        ),
    )

    def __init__(self, *args, contest, people, search_url, **kwargs):
        super().__init__(*args, **kwargs)
        with_login = Person.objects.filter(user__is_active=True)
        person_picker_field(self, "person", people=people, search_url=search_url, among=with_login)
        self.fields["nominations"].queryset = contest.nominations.all()
        local_branches = LocalBranch.objects.filter(closed_on__isnull=True).select_related("region")
        if contest.region_id:
            local_branches = local_branches.filter(region_id=contest.region_id)
        self.fields["home_local_branch"].queryset = local_branches.order_by("region__code", "name")
        if not contest.region_id:
            self.fields["home_local_branch"].label_from_instance = lambda local: f"{local.region.code} · {local}"
        self.helper = _helper(_("Assign"))


class EntryForm(forms.Form):
    nomination = forms.ModelChoiceField(label=_("Nomination"), queryset=Nomination.objects.none())
    title = forms.CharField(label=_("Title of the practice"), max_length=300)
    practice = forms.CharField(
        label=_("The practice"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "What the branch did, how, and what came of it. Separate paragraphs with an empty line; "
            "simple formatting is kept: <b>bold</b>, <i>italic</i>, lists <ul><li>, links."
        ),
        max_length=50_000,
    )
    activists_involved = forms.IntegerField(label=_("Activists involved"), min_value=0, max_value=10_000_000)
    events_held = forms.IntegerField(label=_("Events held"), min_value=0, max_value=1_000_000)
    people_reached = forms.IntegerField(label=_("People reached"), min_value=0, max_value=100_000_000)

    def __init__(self, *args, nominations, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = nominations
        if branches is not None and len(branches) > 1:
            self.fields["branch"] = forms.ModelChoiceField(label=_("Primary branch"), queryset=branches)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(["branch"] if "branch" in self.fields else []),
            "nomination",
            "title",
            "practice",
            Row(
                Column("activists_involved", css_class="col-sm-4"),
                Column("events_held", css_class="col-sm-4"),
                Column("people_reached", css_class="col-sm-4"),
            ),
        )
        self.helper.add_input(Submit("submit", _("Save")))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"), help_text=_("An image (JPEG, PNG, WebP, GIF) or a PDF, at most 10 MB.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Upload"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.check_upload(upload)
        return upload


class ScoreSheetForm(forms.Form):
    """One field for the score and one for the comment of each criterion of the rubric."""

    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.helper = FormHelper()
        self.helper.form_tag = False
        rows = []
        for criterion in criteria:
            score = scores.get(criterion.pk)
            self.fields[f"value_{criterion.pk}"] = forms.IntegerField(
                label=_("%(criterion)s (0 to %(max)s)") % {"criterion": criterion.name, "max": criterion.max_score},
                min_value=0,
                max_value=criterion.max_score,
                initial=score.value if score else None,
                help_text=criterion.description,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.comment if score else "",
            )
            rows.append(
                Row(
                    Column(f"value_{criterion.pk}", css_class="col-md-4"),
                    Column(f"comment_{criterion.pk}", css_class="col-md-8"),
                )
            )
        self.helper.layout = Layout(*rows)

    def scores(self) -> dict:
        return {
            criterion.pk: (self.cleaned_data[f"value_{criterion.pk}"], self.cleaned_data[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        }


class EntryFilterForm(forms.Form):
    """Filters of the entry list; bad values fall back to defaults, never to an error page."""

    q = forms.CharField(label=_("Title, branch name or number"), required=False, max_length=100)
    nomination = forms.ModelChoiceField(
        label=_("Nomination"), queryset=Nomination.objects.none(), required=False, empty_label=_("any")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any")), *EntryStatus.choices])
    size = forms.TypedChoiceField(
        label=_("Rows"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in PAGE_SIZES],
        empty_value=50,  # type: ignore[arg-type]
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = contest.nominations.all()

    def filters(self) -> tuple[EntryFilters, int]:
        data = self.cleaned_data if self.is_valid() else {}
        filters = EntryFilters(
            nomination=data.get("nomination"), status=data.get("status") or "", q=data.get("q") or ""
        )
        return filters, data.get("size") or 50


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ChoiceField(label=_("Nomination"), required=False, choices=[("", _("any")), *Theme.choices])
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("name"), required=False, empty_label=_("any")
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("any")), *[(year, year) for year in years]]

    def filters(self) -> LibraryFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return LibraryFilters(
            q=data.get("q") or "", theme=data.get("theme") or "", region=data.get("region"), year=data.get("year")
        )
