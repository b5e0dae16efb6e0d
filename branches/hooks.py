"""What other apps do when someone takes up or leaves a post, called by the position services.

A domain app (training, say) must act in the same transaction that appoints or dismisses,
yet the trunk may not import it (core/tests/test_floors.py). So the app registers plain
functions here from its `AppConfig.ready()`, and `position_create`, `position_end` and the
branch import call them explicitly, inside their own transaction: no Django signals, no
hidden dispatch, and a failing hook rolls the appointment back with it.

A hook receives a list of positions (the import appoints thousands at once) and must
work in a few queries whatever the list's length.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

PositionsHook = Callable[[Sequence], None]

_taken: list[PositionsHook] = []
_ended: list[PositionsHook] = []


def register(*, taken: PositionsHook | None = None, ended: PositionsHook | None = None) -> None:
    """Add hooks (once each: a second `ready()` in tests does not double them)."""
    if taken is not None and taken not in _taken:
        _taken.append(taken)
    if ended is not None and ended not in _ended:
        _ended.append(ended)


def positions_taken(positions: Sequence) -> None:
    """Tell every registered app that these positions were just created."""
    if positions:
        for hook in _taken:
            hook(positions)


def positions_ended(positions: Sequence) -> None:
    """Tell every registered app that these positions' terms were just given an end."""
    if positions:
        for hook in _ended:
            hook(positions)


# Sections of a person's page ------------------------------------------------------
# The person page lives in the trunk, yet what a person has done lives in the domain apps
# (a completed course, later the reserve's evidence). An app registers a function
# `(viewer, person) -> PersonSection | None` from its `ready()`; the page renders each
# section's template with its context, in the order registered.

PersonSectionHook = Callable[..., object]

_person_sections: list[PersonSectionHook] = []


def register_person_section(section: PersonSectionHook) -> None:
    if section not in _person_sections:
        _person_sections.append(section)


def person_sections(viewer, person) -> list:
    """The sections the registered apps offer for this person and this viewer (None: nothing to show)."""
    return [found for section in _person_sections if (found := section(viewer, person)) is not None]


# Sections of a branch's page: the same, `(viewer, branch) -> section | None`.

_branch_sections: list[PersonSectionHook] = []


def register_branch_section(section: PersonSectionHook) -> None:
    if section not in _branch_sections:
        _branch_sections.append(section)


def branch_sections(viewer, branch) -> list:
    """The sections the registered apps offer for this primary branch and this viewer."""
    return [found for section in _branch_sections if (found := section(viewer, branch)) is not None]


# Sections of a region's page (the region's overview) --------------------------------------
# Each second-wave app shows its own figures on `branches:region` without the trunk importing
# it: it registers `(viewer, region) -> RegionSectionPlan | None` from its `ready()`, with an
# `order` so the page reads the same whatever the order the apps were loaded in. A plan is
# two-phase: the app names the `.values()` querysets it needs for the region (one-row
# aggregates by `core.db.one_row`, or rows grouped by something fixed, never one query per
# item), the trunk sends every app's querysets together with its own in ONE statement
# (`core.db.fetch_together`), then each app renders its section from its rows. The page's
# queries stay fixed whatever the apps and the data. A section links only to pages the
# viewer may open, and says plainly when there is nothing (`empty`) rather than showing a
# row of zeros.


@dataclass(frozen=True)
class RegionFigure:
    """One figure of a region's section: its label, its value and, when the viewer may open it, where it comes from."""

    label: object
    value: object
    url: str = ""
    alert: bool = False


@dataclass(frozen=True)
class RegionSection:
    """An app's block on the region page: a title, its figures, a link to its own region page, its template."""

    app: str
    title: object
    figures: list[RegionFigure] = field(default_factory=list)
    url: str = ""
    link_label: object = ""
    empty: object = ""
    template: str = "branches/_region_section.html"
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RegionSectionPlan:
    """What an app needs for its section (`queries`: name → `.values()` queryset) and how it renders their rows.

    `render(rows)` gets {name: list of dicts} for its own names and returns the section (None: nothing to show).
    """

    queries: dict
    render: Callable[[dict[str, list[dict]]], RegionSection | None]

    def run(self) -> RegionSection | None:
        """This section alone: its queries in one statement, then its render (the app's own tests use it)."""
        from core.db import fetch_together

        return self.render(fetch_together(self.queries))


RegionSectionHook = Callable[..., RegionSectionPlan | None]

_region_sections: list[tuple[int, str, RegionSectionHook]] = []


def register_region_section(section: RegionSectionHook, *, order: int) -> None:
    """Add an app's region section (once: a second `ready()` in tests does not double it)."""
    if all(registered is not section for _order, _name, registered in _region_sections):
        _region_sections.append((order, section.__module__, section))
        _region_sections.sort(key=lambda entry: (entry[0], entry[1]))


def region_sections(viewer, region, *, also: dict | None = None) -> tuple[list[RegionSection], dict[str, list[dict]]]:
    """The sections the registered apps offer for this region and viewer, in their stated order: one query.

    `also` holds the page's own querysets, sent in the same statement; their rows come back
    as the second value. Each app's names are kept apart, so two apps may use the same name.
    """
    from core.db import fetch_together

    plans = [plan for _order, _name, section in _region_sections if (plan := section(viewer, region)) is not None]
    queries = dict(also or {})
    for index, plan in enumerate(plans):
        queries |= {f"{index}:{name}": queryset for name, queryset in plan.queries.items()}
    rows = fetch_together(queries)
    sections = []
    for index, plan in enumerate(plans):
        prefix = f"{index}:"
        own = {name.removeprefix(prefix): value for name, value in rows.items() if name.startswith(prefix)}
        found = plan.render(own)
        if found is not None:
            sections.append(found)
    return sections, {name: rows[name] for name in also or {}}
