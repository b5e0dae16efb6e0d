from django.contrib import admin

from contests.models import Attachment, Contest, Criterion, Entry, Juror, Nomination, Result


class NominationInline(admin.TabularInline):
    model = Nomination
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Contest)
class ContestAdmin(admin.ModelAdmin):
    """Read and correct; the steps (open, judge, publish) are taken on the contest's page."""

    list_display = ["year", "level", "region", "status", "entries_close_on", "results_on"]
    list_filter = ["level", "status", "year"]
    list_select_related = ["region"]
    readonly_fields = ["status", "opened_at", "judging_started_at", "published_at", "archived_at"]
    inlines = [NominationInline, CriterionInline]


@admin.register(Juror)
class JurorAdmin(admin.ModelAdmin):
    list_display = ["person", "contest", "nomination", "home_local_branch"]
    list_select_related = ["person", "contest__region", "nomination", "home_local_branch"]
    autocomplete_fields = ["person", "home_local_branch"]
    search_fields = ["person__last_name"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["file", "original_name", "content_type", "size", "uploaded_at"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "contest", "nomination", "branch", "status", "submitted_at"]
    list_filter = ["status", "contest__year", "contest__level"]
    list_select_related = ["contest__region", "nomination", "branch"]
    search_fields = ["title", "branch__name"]
    autocomplete_fields = ["branch"]
    raw_id_fields = ["source"]
    exclude = ["practice_text"]
    readonly_fields = ["status", "submitted_at", "withdrawn_at", "created_by"]
    inlines = [AttachmentInline]
    show_full_result_count = False


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """Frozen at publication: read only."""

    list_display = ["entry", "contest", "nomination", "rank", "place", "score", "jurors", "spread"]
    list_filter = ["place"]
    list_select_related = ["entry", "contest__region", "nomination"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
