"""The columns of the execution dashboard's export."""

from django.utils.translation import gettext as _


def dashboard_table(rows) -> list[list]:
    table: list[list] = [[_("Code"), _("Region"), _("Status"), _("State"), _("Due"), _("Passed down"), _("Done below")]]
    for row in rows:
        a = row.assignment
        table.append(
            [
                row.region.code,
                row.region.name,
                row.label,
                a.get_state_display() if a else "",
                a.due_on if a else None,
                a.parts if a else 0,
                a.parts_done if a else 0,
            ]
        )
    return table
