from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.access import viewer_for
from desk.selectors import desk_for


@login_required
def home(request):
    return render(request, "desk/home.html", {"items": desk_for(viewer_for(request.user))})
