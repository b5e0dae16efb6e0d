from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The top floor: pages that gather from several apps (each person's home), and the demo seeder.

    It reads other apps through their selectors and gates; nothing imports it.
    """

    name = "desk"
    verbose_name = _("Desk")

    def ready(self) -> None:
        """Show the activity record on person and branch pages; lend it to the reserve (core.records).

        Contest winners and council members for the invitation rules of heads' meetings
        (events.invitations): only the top floor may read those apps and events together.
        """
        from branches import hooks
        from core import records
        from desk import invitations, record

        hooks.register_person_section(record.person_section)
        hooks.register_branch_section(record.branch_section)
        records.register_person_records(record.person_records)
        records.register_person_figures(record.person_figures)
        records.register_presenter(record.groups)
        invitations.register()
