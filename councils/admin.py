from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from councils.models import Attendance, Council, CouncilDecision, CouncilMeeting, CouncilSeat, TermPolicy

# Seats, policies, meetings and decisions change through councils.services, which keeps the
# terms from overlapping, their history and the council's reminders; here they are only looked up.


class TermPolicyInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TermPolicy
    extra = 0


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["region", "created_on"]
    list_select_related = ["region"]
    search_fields = ["region__name", "region__code"]
    inlines = [TermPolicyInline]


@admin.register(CouncilSeat)
class CouncilSeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "role", "local_branch", "council", "starts_on", "ends_on"]
    list_filter = ["role", "region"]
    list_select_related = ["person", "local_branch", "council__region"]
    search_fields = ["person__last_name", "decision_number"]
    autocomplete_fields = ["person", "local_branch", "council", "region", "decision"]
    date_hierarchy = "starts_on"
    show_full_result_count = False


class DecisionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CouncilDecision
    extra = 0
    fields = ["council", "number", "text"]


class AttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["seat"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["held_on", "council", "seats_filled"]
    list_select_related = ["council__region"]
    list_filter = ["council__region"]
    inlines = [AttendanceInline, DecisionInline]


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "meeting", "council"]
    list_select_related = ["meeting", "council__region"]
    search_fields = ["number", "text"]
