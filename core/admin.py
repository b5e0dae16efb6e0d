"""What every app's admin shares."""


class ReadOnlyAdminMixin:
    """Show the rows, never write them: their services keep the rules, the history and the reminders.

    For a ModelAdmin or an inline. An admin action that calls a service still works.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
