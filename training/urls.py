from django.urls import path

from training import views

app_name = "training"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("regions/<int:region_pk>/", views.region, name="region"),
    path("regions/<int:region_pk>/report.xlsx", views.region_xlsx, name="region_xlsx"),
    path("regions/<int:region_pk>/upload/", views.upload, name="upload"),
    path("regions/<int:region_pk>/unmatched/", views.unmatched, name="unmatched"),
    path("runs/<int:pk>/", views.run_detail, name="import_detail"),
    path("assignments/<int:pk>/waive/", views.waive, name="waive"),
    path("national/", views.national, name="national"),
    path("push/", views.push, name="push"),
]
