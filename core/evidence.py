"""Figures about primary branches that one app computes and another reads, without importing it.

An app that measures something about branches (contests: wins and library practices;
receptions: receptions booked) registers a figure in its AppConfig.ready(); an app that
weighs evidence (mentoring's suggestions and results) asks for it by name and gets an
empty answer when the app that measures it is not installed. The floors stay intact:
both sides import only this ground-floor module.

A figure is `func(branch_ids, since, until) -> {branch_id: value}` for the period
[since, until); a branch with nothing to count may be left out (it reads as 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise

type FigureFunc = Callable[[list[int], date, date], dict[int, float]]


@dataclass(frozen=True)
class BranchFigure:
    name: str
    label: str | Promise
    func: FigureFunc


_registry: dict[str, BranchFigure] = {}


def register(name: str, *, label: str | Promise, func: FigureFunc) -> BranchFigure:
    """Declare a figure (`<app>.<what>`); declaring it again replaces it (a reloaded app)."""
    figure = BranchFigure(name, label, func)
    _registry[name] = figure
    return figure


def available(name: str) -> bool:
    return name in _registry


def label(name: str) -> str | Promise:
    return _registry[name].label if name in _registry else name


def values(name: str, branch_ids: Iterable[int], since: date, until: date) -> dict[int, float]:
    """The figure for each branch over [since, until); empty when no installed app measures it."""
    figure = _registry.get(name)
    ids = list(branch_ids)
    if figure is None or not ids:
        return {}
    return figure.func(ids, since, until)
