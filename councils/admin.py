from django.contrib import admin

from councils.models import Attendance, Council, CouncilDecision, CouncilMeeting, CouncilSeat, TermPolicy


class TermPolicyInline(admin.TabularInline):
    model = TermPolicy
    extra = 0


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["region", "created_on"]
    list_select_related = ["region"]
    search_fields = ["region__name", "region__code"]
    inlines = [TermPolicyInline]


@admin.register(CouncilSeat)
class CouncilSeatAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "local_branch", "council", "starts_on", "ends_on"]
    list_filter = ["role", "region"]
    list_select_related = ["person", "local_branch", "council__region"]
    search_fields = ["person__last_name", "decision_number"]
    autocomplete_fields = ["person", "local_branch", "council", "region", "decision"]
    date_hierarchy = "starts_on"
    show_full_result_count = False


class DecisionInline(admin.TabularInline):
    model = CouncilDecision
    extra = 0
    fields = ["council", "number", "text"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["seat"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "council", "seats_filled"]
    list_select_related = ["council__region"]
    list_filter = ["council__region"]
    inlines = [AttendanceInline, DecisionInline]


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "meeting", "council"]
    list_select_related = ["meeting", "council__region"]
    search_fields = ["number", "text"]
