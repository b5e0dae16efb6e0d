"""The figures receptions offer to measured assignments (assignments/figures.py)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from assignments.figures import register, share
from branches.models import Region


def _hosts_at_norm(*, region_id: int, local_branch_id: int | None, today: date):
    """The share of the region's hosts who held at least the norm of receptions last month, %.

    A local branch's figure counts the hosts whose territory is that local branch.
    """
    from receptions.selectors import host_rows, policy_for, previous_month

    region = Region.objects.get(pk=region_id)
    month = previous_month(today.replace(day=1))
    rows = host_rows(region, month, norm=policy_for(region).held_per_month)
    if local_branch_id is not None:
        rows = [row for row in rows if any(p.local_branch_id == local_branch_id for p in row.positions)]
    return share(sum(row.status == "meets" for row in rows), len(rows))


HOSTS_AT_NORM = register(
    "receptions.hosts_at_norm",
    label=_("hosts who held the norm of receptions last month, %"),
    compute=_hosts_at_norm,
)
