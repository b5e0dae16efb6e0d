from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from mentorship.models import CheckIn, Goal, Pair, Programme, YoungCadre

# Programmes, pairs, goals and check-ins change through mentorship.services, which keeps the
# capacity under a lock, the pairs' statuses and the reminders; here they are only looked up.


class GoalInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Goal
    extra = 0


class CheckInInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CheckIn
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "region", "year", "status", "starts_on", "ends_on", "capacity"]
    list_filter = ["status", "year"]
    list_select_related = ["region"]
    search_fields = ["title", "region__name"]


@admin.register(Pair)
class PairAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["mentor_branch", "mentee_branch", "mentee_cadre", "programme", "status", "starts_on", "ends_on"]
    list_filter = ["status", "track", "focus"]
    list_select_related = ["mentor_branch", "mentee_branch", "mentee_cadre__person", "programme"]
    search_fields = ["mentor_branch__name", "mentee_branch__name"]
    raw_id_fields = ["programme", "mentor_branch", "mentee_branch", "mentee_cadre"]
    inlines = [GoalInline, CheckInInline]


@admin.register(YoungCadre)
class YoungCadreAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "branch", "birth_year", "marked_on"]
    list_select_related = ["person", "branch"]
    search_fields = ["person__last_name"]
    raw_id_fields = ["person", "branch"]
