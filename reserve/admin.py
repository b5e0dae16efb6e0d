from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from reserve.models import Nomination, Pool, Snapshot, Weights

# Pools, nominations and snapshots change through reserve.services (decisions freeze the
# record, the review reminder follows the pool); here they are only looked up.


class SnapshotInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Snapshot
    extra = 0
    fields = ["version", "status", "readiness", "decided_by", "decided_at", "decision_ref", "note"]


@admin.register(Pool)
class PoolAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "level", "region", "year", "owner", "is_open", "review_on"]
    list_filter = ["level", "is_open", "year"]
    list_select_related = ["region", "owner"]
    search_fields = ["title", "region__name"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "pool", "readiness", "status", "decided_at", "decision_ref"]
    list_filter = ["status", "readiness"]
    list_select_related = ["person", "pool"]
    raw_id_fields = ["pool", "person", "nominated_by", "decided_by"]
    inlines = [SnapshotInline]


@admin.register(Weights)
class WeightsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["region", "updated_at"]
