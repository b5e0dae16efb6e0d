from django.contrib import admin
from django.urls import include, path

from core import views as core_views

urlpatterns = [
    path("", include("desk.urls")),
    path("", include("accounts.urls")),
    path("", include("branches.urls")),
    path("", include("contests.urls")),
    path("", include("receptions.urls")),
    path("", include("councils.urls")),
    path("training/", include("training.urls")),
    path("", include("mentorship.urls")),
    path("", include("assignments.urls")),
    path("", include("events.urls")),
    path("", include("reserve.urls")),
    path("notifications/", include("notifications.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("ping", core_views.ping, name="ping"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
