from django.urls import path

from mentorship import views

app_name = "mentorship"

urlpatterns = [
    path("mentoring/", views.programme_list, name="list"),
    path("mentoring/new/", views.programme_create, name="programme_create"),
    path("mentoring/country/", views.national, name="national"),
    path("mentoring/<int:pk>/", views.programme_detail, name="programme"),
    path("mentoring/<int:pk>/advance/", views.programme_advance, name="programme_advance"),
    path("mentoring/<int:pk>/pairs/new/", views.pair_create, name="pair_create"),
    path("mentoring/<int:pk>/suggestions/", views.suggestions, name="suggestions"),
    path("mentoring/<int:pk>/young-activists/new/", views.young_cadre_mark, name="young_cadre_mark"),
    path("mentoring/pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("mentoring/pairs/<int:pk>/status/", views.pair_status, name="pair_status"),
    path("mentoring/pairs/<int:pk>/end/", views.pair_end, name="pair_end"),
    path("mentoring/pairs/<int:pk>/check-ins/new/", views.check_in_create, name="check_in_create"),
    path("mentoring/pairs/<int:pk>/goals/new/", views.goal_create, name="goal_create"),
    path("mentoring/pairs/<int:pk>/goals/<int:goal_pk>/status/", views.goal_status, name="goal_status"),
]
