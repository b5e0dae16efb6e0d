from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The top floor: pages that gather from several apps (each person's home), and the demo seeder.

    It reads other apps through their selectors and gates; nothing imports it.
    """

    name = "desk"
    verbose_name = _("Desk")

    def ready(self):
        # Contest winners and council members for the invitation rules of heads' meetings
        # (events.invitations): only the top floor may read those apps and events together.
        from desk import invitations

        invitations.register()
