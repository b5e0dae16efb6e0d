from django.urls import path

from assignments import views

app_name = "assignments"

urlpatterns = [
    path("assignments/", views.mine, name="mine"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/report/", views.report, name="report"),
    path("assignments/<int:pk>/review/", views.review, name="review"),
    path("assignments/<int:pk>/pass-down/", views.pass_down, name="pass_down"),
    path("assignments/files/<int:pk>/", views.report_file, name="file"),
    path("people/<int:person_pk>/assignments/", views.person, name="person"),
    path("regions/<int:region_pk>/assignments/", views.region, name="region"),
    path("regions/<int:region_pk>/assignments/new/", views.staff_directive, name="staff_directive"),
    path("directives/<int:pk>/", views.directive, name="directive"),
    path("directives/<int:pk>/export.xlsx", views.directive_export, name="directive_export"),
]
