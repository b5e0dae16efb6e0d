from django.contrib import admin

from contests.models import Attachment, Contest, Criterion, Entry, Juror, Nomination, Result
from core.admin import ReadOnlyAdminMixin

# Contests, their rubric, jurors and entries change through contests.services, which checks
# each stage's rules and keeps the reminders in line; here they are only looked up.


class NominationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Nomination
    extra = 0


class CriterionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The steps (open, judge, publish) are taken on the contest's page."""

    list_display = ["year_shown", "level", "region", "status", "entries_close_on", "results_on"]
    list_filter = ["level", "status", "year"]
    list_select_related = ["region"]
    inlines = [NominationInline, CriterionInline]

    @admin.display(description=Contest._meta.get_field("year").verbose_name, ordering="year")
    def year_shown(self, contest):
        return str(contest.year)  # a year, not a quantity: no thousands separator


@admin.register(Juror)
class JurorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "contest", "nomination", "home_local_branch"]
    list_select_related = ["person", "contest__region", "nomination", "home_local_branch"]
    autocomplete_fields = ["person", "home_local_branch"]
    search_fields = ["person__last_name"]


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "contest", "nomination", "branch", "status", "submitted_at"]
    list_filter = ["status", "contest__year", "contest__level"]
    list_select_related = ["contest__region", "nomination", "branch"]
    search_fields = ["title", "branch__name"]
    autocomplete_fields = ["branch"]
    raw_id_fields = ["source"]
    exclude = ["practice_text"]
    inlines = [AttachmentInline]
    show_full_result_count = False


@admin.register(Result)
class ResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Frozen at publication."""

    list_display = ["entry", "contest", "nomination", "rank", "place", "score", "jurors", "spread"]
    list_filter = ["place"]
    list_select_related = ["entry", "contest__region", "nomination"]
