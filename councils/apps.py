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

        def ending_regions(role):
            return lambda region_ids, today, until: selectors.seats_ending(region_ids, [role], today, until).values(
                "region_id"
            )

        for post, role in (("council_chair", SeatRole.CHAIR), ("council_representative", SeatRole.REPRESENTATIVE)):
            records.register_term_ends(post, ends(role))
            records.register_term_ends_regions(post, ending_regions(role))
