from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from training.models import CompletionRecord, Course, CourseAssignment, PlatformAccount, SyncRun


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    """Courses are configuration: administrators keep them here (a new version is a new row)."""

    list_display = ["code", "version", "title", "days_allowed", "validity_months", "is_active"]


@admin.register(CourseAssignment)
class CourseAssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "course", "status", "assigned_on", "due_on", "completed_at"]
    list_filter = ["status", "course"]
    list_select_related = ["person", "course"]
    raw_id_fields = ["person", "position", "completion"]


@admin.register(CompletionRecord)
class CompletionRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["platform_user_id", "course", "source", "progress", "completed_at", "received_at"]
    list_filter = ["source"]
    search_fields = ["platform_user_id"]


@admin.register(PlatformAccount)
class PlatformAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["platform_user_id", "person", "created_at"]
    search_fields = ["platform_user_id"]
    raw_id_fields = ["person"]


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["started_at", "source", "region", "status", "finished_at"]
    list_filter = ["source", "status"]
    exclude = ["content"]
