from django.utils.functional import SimpleLazyObject

from core.access import viewer_for
from core.navigation import menu_for, sections_for


def navigation(request):
    """Give base.html the viewer and the bar's menu; the flat list of sections only to a page that reads it."""
    viewer = viewer_for(request.user)
    return {
        "viewer": viewer,
        "nav_menu": menu_for(viewer),
        "nav_sections": SimpleLazyObject(lambda: sections_for(viewer)),
    }
