"""The Django admin reads what the services write; it never writes around them."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from branches.models import Region
from notifications.models import Preferences

pytestmark = pytest.mark.django_db

# Written in the admin: logins, the reference list of regions, and preferences (through
# notifications.services.preferences_update). Everything else is read-only there.
EDITABLE = {User, Group, Region, Preferences}
OURS = {"accounts", "branches", "councils", "receptions", "contests", "notifications"}  # not axes' lockouts


def test_every_other_model_is_read_only_in_the_admin(rf, cast):
    request = rf.get("/admin/")
    request.user = cast.user("admin")
    writable = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OURS:
            continue
        inlines = model_admin.get_inline_instances(request)
        for part in [model_admin, *inlines]:
            rights = (
                part.has_add_permission(request, None) if part in inlines else part.has_add_permission(request),
                part.has_change_permission(request),
                part.has_delete_permission(request),
            )
            if model not in EDITABLE and any(rights):
                writable.append(f"{type(part).__name__}: add, change, delete = {rights}")
    assert not writable, writable


def test_every_admin_list_and_page_opens(client_for, cast):
    browser = client_for("admin")
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert browser.get(changelist).status_code == 200, changelist
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            page = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            assert browser.get(page).status_code == 200, page
