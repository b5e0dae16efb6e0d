from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # The person's private calendar feed (kept by receptions) carries their events too.
        from branches import hooks
        from core import calendar_feed
        from events import selectors
        from events.calendars import feed_entries

        calendar_feed.register(feed_entries)
        # Its figures on the region's page (the region's overview).
        hooks.register_region_section(selectors.region_section, order=10)
