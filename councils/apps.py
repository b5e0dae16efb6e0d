from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        """Tell the reserve when chairs' and representatives' terms end (core.records): as rows for its
        demand table, and as a query of their regions it composes into the desk's demand alert."""
        from core import records
        from councils import selectors
        from councils.models import SeatRole

        def ends(role):
            return lambda region_ids, today, until: selectors.seat_term_ends(region_ids, [role], today, until)

        def ending(role):
            return lambda region_ids, today, until: selectors.seat_term_ending(region_ids, [role], today, until)

        records.register_term_ends("council_chair", ends(SeatRole.CHAIR), query=ending(SeatRole.CHAIR))
        records.register_term_ends(
            "council_representative", ends(SeatRole.REPRESENTATIVE), query=ending(SeatRole.REPRESENTATIVE)
        )
