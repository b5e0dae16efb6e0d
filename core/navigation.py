"""The sections of the top navigation, each shown only to the roles that may open it.

Sections of one `group` fold into one menu of the bar (a group with a single visible
section shows as a plain link), so the bar fits at 1366 px for every role however many
apps there are. The home page lists every section flat.
"""

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
    group: str | Promise | None = None


@dataclass(frozen=True)
class Link:
    label: str | Promise
    url: str


@dataclass(frozen=True)
class Menu:
    label: str | Promise
    links: list[Link]


STRUCTURE = _("Structure")
WORK = _("Work")
CONTESTS = _("Contests")


def _first(ids):
    return {"pk": min(ids)}


SECTIONS = [
    Section(_("Home"), "desk:home", lambda v: v.is_authenticated),
    Section(_("Country"), "branches:national", lambda v: v.is_admin, group=STRUCTURE),
    Section(
        _("My region"),
        "branches:region",
        lambda v: v.is_regional_staff and not v.is_admin,
        lambda v: _first(v.staff_region_ids),
        group=STRUCTURE,
    ),
    Section(_("Branches"), "branches:list", lambda v: v.is_admin or v.is_regional_staff, group=STRUCTURE),
    Section(
        _("Council"),
        "councils:council",
        lambda v: v.is_regional_staff and not v.is_admin,
        lambda v: {"region_pk": min(v.staff_region_ids)},
        group=STRUCTURE,
    ),
    Section(_("Councils"), "councils:overview", lambda v: v.is_admin, group=STRUCTURE),
    Section(
        _("My branch"),
        "branches:branch",
        lambda v: v.is_secretary and not (v.is_admin or v.is_regional_staff),
        lambda v: _first(v.secretary_branch_ids),
    ),
    Section(_("Receptions"), "receptions:hosts", lambda v: v.is_secretary, group=WORK),
    Section(
        _("My receptions"),
        "receptions:host_manage",
        lambda v: v.is_host,
        lambda v: _first(t.position_id for t in v.host_territories),
        group=WORK,
    ),
    Section(
        _("Receptions"),
        "receptions:report",
        lambda v: v.is_regional_staff and not v.is_admin,
        lambda v: {"region_pk": min(v.staff_region_ids)},
        group=WORK,
    ),
    Section(_("Receptions"), "receptions:national_report", lambda v: v.is_admin, group=WORK),
    Section(_("My courses"), "training:mine", lambda v: v.is_secretary, group=WORK),
    Section(
        _("Training"),
        "training:region",
        lambda v: v.is_regional_staff and not v.is_admin,
        lambda v: {"region_pk": min(v.staff_region_ids)},
        group=WORK,
    ),
    Section(_("Training"), "training:national", lambda v: v.is_admin, group=WORK),
    Section(
        _("Mentoring"), "mentorship:list", lambda v: v.is_admin or v.is_regional_staff or v.is_secretary, group=WORK
    ),
    Section(_("Reserve"), "reserve:list", lambda v: v.is_admin or v.is_regional_staff, group=WORK),
    Section(_("My reserve"), "reserve:mine", lambda v: v.is_secretary and not v.is_staff_anywhere, group=WORK),
    Section(_("Events"), "events:list", lambda v: v.is_authenticated, group=WORK),
    Section(_("Attendance at events"), "events:national_report", lambda v: v.is_admin, group=WORK),
    Section(_("Assignments"), "assignments:mine", lambda v: v.is_authenticated, group=WORK),
    Section(_("Contests"), "contests:list", lambda v: v.is_authenticated, group=CONTESTS),
    Section(_("Library"), "contests:library", lambda v: v.is_authenticated, group=CONTESTS),
    Section(_("Administration"), "admin:index", lambda v: v.is_admin),
]


def _visible(viewer) -> list[tuple[Section, Link]]:
    return [
        (
            section,
            Link(section.label, reverse(section.url_name, kwargs=section.kwargs(viewer) if section.kwargs else None)),
        )
        for section in SECTIONS
        if section.visible(viewer)
    ]


def sections_for(viewer) -> list[Link]:
    """Every section the viewer may open, flat (the home page's cards)."""
    return [link for _section, link in _visible(viewer)]


def menu_for(viewer) -> list[Link | Menu]:
    """The bar: ungrouped sections as links, each group as one menu where it holds more than one."""
    entries: list[Link | Menu] = []
    menus: dict[str, Menu] = {}
    for section, link in _visible(viewer):
        if section.group is None:
            entries.append(link)
            continue
        key = str(section.group)
        if key not in menus:
            menus[key] = Menu(section.group, [])
            entries.append(menus[key])
        menus[key].links.append(link)
    return [entry.links[0] if isinstance(entry, Menu) and len(entry.links) == 1 else entry for entry in entries]
