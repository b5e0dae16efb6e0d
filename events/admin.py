from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from events.models import Event, ExpectedPerson, MarkRecord

# Events, their lists and marks change through events.services, which freezes the list,
# keeps it in line with the tree and plans the reminders; here they are only looked up.


@admin.register(Event)
class EventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "region", "kind", "status", "starts_at"]
    list_filter = ["status", "kind", "region"]
    list_select_related = ["region"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"


@admin.register(ExpectedPerson)
class ExpectedPersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["event", "person", "primary_branch", "source", "answer", "mark", "removed_at"]
    list_filter = ["source", "answer", "mark"]
    list_select_related = ["event", "person", "primary_branch"]
    raw_id_fields = ["event", "person", "primary_branch"]


@admin.register(MarkRecord)
class MarkRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["expected", "mark", "marked_by", "marked_at"]
    list_select_related = ["expected__event", "expected__person", "marked_by"]
    raw_id_fields = ["expected", "marked_by"]
