from django.contrib import admin

from assignments.models import Assignment, Directive, Event, Figure
from core.admin import ReadOnlyAdminMixin


@admin.register(Figure)
class FigureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "label"]


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "source_label", "issued_on", "due_on", "figure"]
    search_fields = ["title", "source_label"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["directive", "region", "local_branch", "person", "state", "due_on"]
    list_filter = ["state"]
    list_select_related = ["directive", "region", "local_branch", "person"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["assignment", "state", "at", "by"]
    list_select_related = ["assignment__directive", "by"]
