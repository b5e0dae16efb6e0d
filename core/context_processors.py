from core.access import viewer_for
from core.navigation import sections_for


def navigation(request):
    """Give base.html the sections this viewer may open, and the viewer itself."""
    viewer = viewer_for(request.user)
    return {"viewer": viewer, "nav_sections": sections_for(viewer)}
