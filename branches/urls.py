from django.urls import path

from branches import views

app_name = "branches"

urlpatterns = [
    path("branches/", views.branch_list, name="list"),
    path("branches/<int:pk>/", views.branch_detail, name="branch"),
    path("branches/<int:pk>/edit/", views.branch_edit, name="branch_edit"),
    path("branches/<int:pk>/close/", views.branch_close, name="branch_close"),
    path("branches/<int:pk>/secretary/", views.secretary_appoint, name="secretary_appoint"),
    path("branches/<int:pk>/secretary/end/", views.secretary_end, name="secretary_end"),
    path("regions/", views.national, name="national"),
    path("regions/<int:pk>/", views.region_detail, name="region"),
    path("regions/<int:region_pk>/branches/new/", views.branch_create, name="branch_create"),
    path("regions/<int:region_pk>/local-branches/new/", views.local_branch_create, name="local_branch_create"),
    path("regions/<int:region_pk>/posts/", views.posts, name="posts"),
    path("regions/<int:region_pk>/posts/new/", views.post_appoint, name="post_appoint"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("regions/<int:region_pk>/export.<str:fmt>", views.export, name="export"),
    path("regions/<int:region_pk>/import/", views.import_upload, name="import"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("personal-data-log/", views.data_log, name="data_log"),
    path("people/search/", views.person_search, name="person_search"),
    path("preferences/", views.preferences, name="preferences"),
]
