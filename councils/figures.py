"""The figures councils offer to measured assignments (assignments/figures.py)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from assignments.figures import register, share


def _seats_filled(*, region_id: int, local_branch_id: int | None, today: date):
    """The share of the regional council's places (chair, deputy chair, one per open local branch) filled today, %."""
    from councils.models import Council
    from councils.selectors import council_composition

    council = Council.objects.select_related("region").filter(region_id=region_id).first()
    if council is None:
        return None
    composition = council_composition(council, today)
    return share(composition.seats_filled, len(composition.rows))


SEATS_FILLED = register(
    "councils.seats_filled",
    label=_("council seats filled, %"),
    compute=_seats_filled,
)
