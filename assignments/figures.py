"""Figures an assignment can be measured by: one registry the apps add to from their own `figures.py`.

An app that computes something offers it once, in code::

    # receptions/figures.py
    from assignments.figures import register

    register("receptions.norm_met", label=_("hosts at the receptions norm last month, %"), compute=_share)

`compute(region_id=..., local_branch_id=..., today=...)` returns the figure for one
addressee on a day (a Decimal; None when it cannot be told). Every `<app>/figures.py` is
imported when Django starts (AssignmentsConfig.ready), and the Figure table, target of
the measured assignment's foreign key, is kept in step after each migrate. So the engine
imports no domain app: the apps come to it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")

Compute = Callable[..., Decimal | None]


@dataclass(frozen=True)
class FigureDef:
    code: str
    label: str | Promise
    compute: Compute


_registry: dict[str, FigureDef] = {}


def register(code: str, *, label: str | Promise, compute: Compute) -> FigureDef:
    """Offer a figure (`<app>.<what>`); offering it again is a no-op."""
    if not NAME.match(code) or len(code) > 64:
        raise ValueError(f"figure {code!r}: expected lowercase <app>.<what>, at most 64 characters")
    return _registry.setdefault(code, FigureDef(code, label, compute))


def get(code: str) -> FigureDef:
    try:
        return _registry[code]
    except KeyError:
        raise LookupError(f"unknown figure {code!r}: register it in <app>/figures.py") from None


def all_figures() -> list[FigureDef]:
    return sorted(_registry.values(), key=lambda figure: figure.code)


def compute(code: str, *, region_id: int, local_branch_id: int | None, today: date) -> Decimal | None:
    value = get(code).compute(region_id=region_id, local_branch_id=local_branch_id, today=today)
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def sync() -> None:
    """Insert or relabel a Figure row for every registered figure (rows of figures gone stay: PROTECT)."""
    from django.db import connection
    from django.utils import translation

    from assignments.models import Figure

    if Figure._meta.db_table not in connection.introspection.table_names():
        return  # migrated back before the table exists
    with translation.override("ru"):
        for figure in all_figures():
            Figure.objects.update_or_create(code=figure.code, defaults={"label": str(figure.label)[:300]})


def share(part: int, whole: int) -> Decimal | None:
    return None if not whole else (Decimal(100) * part / whole).quantize(Decimal("0.01"))


# The engine's own figure, from the trunk it may read: the share of open primary branches
# of the addressee that have a secretary today.
def _branches_with_secretary(*, region_id: int, local_branch_id: int | None, today: date) -> Decimal | None:
    from django.db.models import Count, Exists, OuterRef, Q

    from branches.models import Position, PrimaryBranch, Role

    branches = PrimaryBranch.objects.filter(local_branch__region_id=region_id).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=today)
    )
    if local_branch_id is not None:
        branches = branches.filter(local_branch_id=local_branch_id)
    secretary = Position.objects.current(today).filter(role=Role.PRIMARY_SECRETARY, primary_branch=OuterRef("pk"))
    counts = branches.aggregate(whole=Count("pk"), part=Count("pk", filter=Q(Exists(secretary))))
    return share(counts["part"], counts["whole"])


BRANCHES_WITH_SECRETARY = register(
    "branches.with_secretary",
    label=_("primary branches with a secretary, %"),
    compute=_branches_with_secretary,
)
