from django.urls import path

from reserve import views

app_name = "reserve"

urlpatterns = [
    path("reserve/", views.pool_list, name="list"),
    path("reserve/new/", views.pool_create, name="pool_create"),
    path("reserve/mine/", views.mine, name="mine"),
    path("reserve/country/", views.national, name="national"),
    path("reserve/<int:pk>/", views.pool_detail, name="pool"),
    path("reserve/<int:pk>/export.xlsx", views.pool_export, name="pool_export"),
    path("reserve/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("reserve/nominations/<int:pk>/", views.nomination_detail, name="nomination"),
    path("reserve/nominations/<int:pk>/decide/", views.nomination_decide, name="decide"),
    path("regions/<int:region_pk>/reserve/weights/", views.weights, name="weights"),
    path("regions/<int:region_pk>/reserve/demand/", views.demand, name="demand"),
]
