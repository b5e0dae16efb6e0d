"""The sections of the top navigation, each shown only to the roles that may open it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    label: str | Promise
    url_name: str
    visible: Callable
    # Builds the URL arguments for a viewer (their region, their branch), if any.
    kwargs: Callable | None = None


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str


def _first(ids):
    return {"pk": min(ids)}


SECTIONS = [
    Section(_("Home"), "desk:home", lambda v: v.is_authenticated),
    Section(_("Country"), "branches:national", lambda v: v.is_admin),
    Section(
        _("My region"),
        "branches:region",
        lambda v: v.is_regional_staff and not v.is_admin,
        lambda v: _first(v.staff_region_ids),
    ),
    Section(_("Branches"), "branches:list", lambda v: v.is_admin or v.is_regional_staff),
    Section(
        _("Council"),
        "councils:council",
        lambda v: v.is_regional_staff and not v.is_admin,
        lambda v: {"region_pk": min(v.staff_region_ids)},
    ),
    Section(_("Councils"), "councils:overview", lambda v: v.is_admin),
    Section(
        _("My branch"),
        "branches:branch",
        lambda v: v.is_secretary and not (v.is_admin or v.is_regional_staff),
        lambda v: _first(v.secretary_branch_ids),
    ),
    Section(_("Receptions"), "receptions:hosts", lambda v: v.is_secretary),
    Section(
        _("My receptions"),
        "receptions:host_manage",
        lambda v: v.is_host,
        lambda v: _first(t.position_id for t in v.host_territories),
    ),
    Section(
        _("Receptions"),
        "receptions:report",
        lambda v: v.is_regional_staff and not v.is_admin,
        lambda v: {"region_pk": min(v.staff_region_ids)},
    ),
    Section(_("Receptions"), "receptions:national_report", lambda v: v.is_admin),
    Section(_("Contests"), "contests:list", lambda v: v.is_authenticated),
    Section(_("Library"), "contests:library", lambda v: v.is_authenticated),
    Section(_("Events"), "events:list", lambda v: v.is_authenticated),
    Section(_("Administration"), "admin:index", lambda v: v.is_admin),
]


def sections_for(viewer) -> list[Link]:
    return [
        Link(section.label, reverse(section.url_name, kwargs=section.kwargs(viewer) if section.kwargs else None))
        for section in SECTIONS
        if section.visible(viewer)
    ]
