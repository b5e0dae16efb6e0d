from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from receptions.models import Booking, CalendarFeed, DayOff, ReceptionPolicy, Schedule, Slot

# Hours, days off, slots and bookings change through receptions.services,
# which keeps the slots right, tells the other side and plans the reminders; the norm and
# the calendar addresses too. Here they are only looked up.


@admin.register(ReceptionPolicy)
class ReceptionPolicyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["region", "held_per_month", "bookings_per_month", "updated_at"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "host",
        "recurrence",
        "weekday",
        "starts_at",
        "ends_at",
        "slot_minutes",
        "valid_from",
        "valid_until",
    ]
    list_filter = ["recurrence", "position__region"]
    list_select_related = ["host"]
    search_fields = ["host__last_name", "place"]
    raw_id_fields = ["position", "host"]
    show_full_result_count = False


@admin.register(DayOff)
class DayOffAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["host", "date", "kind", "reason"]
    list_select_related = ["host"]
    search_fields = ["host__last_name"]
    raw_id_fields = ["host"]
    date_hierarchy = "date"


@admin.register(Slot)
class SlotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["host", "starts_at", "ends_at", "cancelled_at"]
    list_select_related = ["host"]
    search_fields = ["host__last_name"]
    raw_id_fields = ["schedule", "host"]
    date_hierarchy = "starts_at"
    show_full_result_count = False


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["secretary", "host", "topic", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["secretary", "host"]
    search_fields = ["secretary__last_name", "host__last_name", "topic"]
    raw_id_fields = ["slot", "host", "secretary", "branch"]
    show_full_result_count = False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "created_at", "revoked_at"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]
    exclude = ["token_hash"]
