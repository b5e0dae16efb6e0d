"""The sections of the top navigation, each shown only to the roles that may open it."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    visible: callable

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS = [
    Section(_("Home"), "core:home", lambda v: v.is_authenticated),
    Section(_("Administration"), "admin:index", lambda v: v.is_admin),
]


def sections_for(viewer) -> list[Section]:
    return [section for section in SECTIONS if section.visible(viewer)]
