from typing import cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assignments.models import MAX_REPORT_FILES, Figure
from branches.forms import DateInput
from branches.models import LocalBranch, Person, Role
from core.uploads import check_file


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way): a list of uploads, possibly empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    report = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    attachments = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Optional: up to %(count)s images (JPEG, PNG, WebP, GIF) or PDF files, at most 10 MB each.")
        % {"count": MAX_REPORT_FILES},
    )

    def clean_attachments(self):
        uploads = self.cleaned_data["attachments"]
        if len(uploads) > MAX_REPORT_FILES:
            raise forms.ValidationError(
                _("A report can have at most %(count)s files.") % {"count": MAX_REPORT_FILES}, code="too_many_files"
            )
        for upload in uploads:
            check_file(upload)
        return uploads

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "report-form"
        self.helper.form_action = reverse("assignments:report", kwargs={"pk": assignment.pk})
        self.helper.add_input(Submit("submit", _("Report")))


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Why it is returned"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "review-form"
        self.helper.form_action = reverse("assignments:review", kwargs={"pk": assignment.pk})
        self.helper.add_input(Submit("accept", _("Accept"), css_class="btn-success"))
        self.helper.add_input(Submit("return", _("Return"), css_class="btn-outline-danger"))


class PassDownForm(forms.Form):
    local_branches = forms.ModelMultipleChoiceField(
        label=_("Local branches"), queryset=LocalBranch.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(label=_("Due"), widget=DateInput(), required=False)

    def __init__(self, *args, assignment, local_branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local_branches"].queryset = local_branches
        self.helper = FormHelper()
        self.helper.form_id = "pass-down-form"
        self.helper.form_action = reverse("assignments:pass_down", kwargs={"pk": assignment.pk})
        self.helper.add_input(Submit("submit", _("Pass down")))


class DirectiveForm(forms.Form):
    """A decision's directive: what, by when, to whom; measured by a figure, optionally."""

    TO_ALL_REGIONS = "regions"
    TO_LOCAL_BRANCHES = "local_branches"
    TO_REGIONAL_SECRETARIES = "regional_secretaries"

    title = forms.CharField(label=_("What must be done"), max_length=300)
    text = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    to = forms.ChoiceField(label=_("To"))
    figure = forms.ModelChoiceField(
        label=_("Measured by"),
        queryset=Figure.objects.order_by("code"),
        required=False,
        empty_label=_("— reported, not measured —"),
    )
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=9, decimal_places=2)

    def __init__(self, *args, federal: bool, action: str, **kwargs):
        super().__init__(*args, **kwargs)
        to = cast(forms.ChoiceField, self.fields["to"])
        if federal:
            to.choices = [
                (self.TO_ALL_REGIONS, _("every region")),
                (self.TO_REGIONAL_SECRETARIES, _("secretaries of regional branches")),
            ]
        else:
            to.choices = [(self.TO_LOCAL_BRANCHES, _("every local branch of the region"))]
        self.helper = FormHelper()
        self.helper.form_id = "directive-form"
        self.helper.form_action = action
        self.helper.add_input(Submit("submit", _("Issue the assignment")))

    def clean(self):
        data = super().clean()
        if data.get("figure") and data.get("target") is None:
            self.add_error("target", _("A measured assignment needs a target."))
        return data


class StaffDirectiveForm(forms.Form):
    """An assignment regional staff write themselves, without a council decision: what, by when,
    to whom in their region (every local branch, chosen local branches, a post's holders, a person)."""

    TO_EVERY_LOCAL = "every_local"
    TO_LOCAL = "local"
    TO_POST = "post"
    TO_PERSON = "person"
    # Posts held in a region's units (not the federal administrators).
    POSTS = [role for role in Role if role != Role.FEDERAL_ADMIN]

    title = forms.CharField(label=_("What must be done"), max_length=300)
    text = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    to = forms.ChoiceField(
        label=_("To"),
        widget=forms.RadioSelect,
        choices=[
            (TO_EVERY_LOCAL, _("every local branch of the region")),
            (TO_LOCAL, _("chosen local branches")),
            (TO_POST, _("the holders of a post in the region")),
            (TO_PERSON, _("one person")),
        ],
        initial=TO_EVERY_LOCAL,
    )
    local_branches = forms.ModelMultipleChoiceField(
        label=_("Local branches"),
        queryset=LocalBranch.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    post = forms.ChoiceField(label=_("Post"), choices=[("", "—"), *[(r.value, r.label) for r in POSTS]], required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        from branches.models import Position

        cast(forms.ModelMultipleChoiceField, self.fields["local_branches"]).queryset = LocalBranch.objects.filter(
            region=region, closed_on__isnull=True
        ).order_by("name")
        people = Position.objects.current().filter(region=region).values("person_id")
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = Person.objects.filter(pk__in=people).order_by(
            "last_name", "first_name", "pk"
        )
        self.helper = FormHelper()
        self.helper.form_id = "staff-directive-form"
        self.helper.add_input(Submit("submit", _("Issue the assignment")))

    def clean(self):
        data = super().clean()
        to = data.get("to")
        if to == self.TO_LOCAL and not data.get("local_branches"):
            self.add_error("local_branches", _("Choose the local branches."))
        if to == self.TO_POST and not data.get("post"):
            self.add_error("post", _("Choose the post."))
        if to == self.TO_PERSON and not data.get("person"):
            self.add_error("person", _("Choose the person."))
        return data
