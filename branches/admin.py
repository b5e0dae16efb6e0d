from django.contrib import admin

from branches.models import ImportJob, LocalBranch, Person, PersonalDataAccess, Position, PrimaryBranch, Region
from branches.selectors import region_choices_forget
from core.admin import ReadOnlyAdminMixin

# Branches, people and positions change through branches.services (which keeps their
# history, closes terms and tells the other apps); here they are only looked up.


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "federal_district", "time_zone"]
    list_filter = ["federal_district"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        region_choices_forget()


@admin.register(LocalBranch)
class LocalBranchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "region", "closed_on"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name"]
    autocomplete_fields = ["region"]


@admin.register(PrimaryBranch)
class PrimaryBranchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number_shown", "name", "local_branch", "region", "settlement", "members_count", "closed_on"]
    list_filter = ["region"]
    list_select_related = ["region", "local_branch"]
    list_per_page = 50
    search_fields = ["=number", "name", "settlement"]
    autocomplete_fields = ["region", "local_branch"]
    show_full_result_count = False

    @admin.display(description=PrimaryBranch._meta.get_field("number").verbose_name, ordering="number")
    def number_shown(self, branch):
        return str(branch.number)  # a name, not a quantity: no thousands separator


class PositionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Position
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["region", "local_branch", "primary_branch"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["last_name", "first_name", "patronymic", "phone", "email", "user"]
    list_select_related = ["user"]
    search_fields = ["last_name", "first_name", "phone", "email"]
    autocomplete_fields = ["user"]
    inlines = [PositionInline]
    show_full_result_count = False


@admin.register(Position)
class PositionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "role", "region", "local_branch", "primary_branch", "starts_on", "ends_on"]
    list_filter = ["role", "region"]
    list_select_related = ["person", "region", "local_branch", "primary_branch"]
    search_fields = ["person__last_name", "decision"]
    autocomplete_fields = ["person", "region", "local_branch", "primary_branch"]
    date_hierarchy = "starts_on"
    show_full_result_count = False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A log is read, never edited (the database refuses it too)."""

    list_display = ["at", "viewer", "action", "person", "region", "detail"]
    list_filter = ["action"]
    list_select_related = ["viewer", "person", "region"]
    search_fields = ["person__last_name", "viewer__username"]
    date_hierarchy = "at"


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "region", "created_by", "status", "total_rows", "created_at"]
    list_filter = ["status"]
    list_select_related = ["region", "created_by"]
    exclude = ["content"]
    readonly_fields = ["summary", "errors"]
