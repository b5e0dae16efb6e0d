from django.urls import path

from councils import views

app_name = "councils"

urlpatterns = [
    path("councils/", views.overview, name="overview"),
    path("councils/export.xlsx", views.overview_export, name="overview_export"),
    # A council is addressed by its region: there is one per region.
    path("regions/<int:region_pk>/council/", views.council_detail, name="council"),
    path("regions/<int:region_pk>/council/appoint/", views.seat_appoint, name="seat_appoint"),
    path("regions/<int:region_pk>/council/policy/", views.policy_edit, name="policy"),
    path("regions/<int:region_pk>/council/meetings/", views.meeting_list, name="meetings"),
    path("regions/<int:region_pk>/council/meetings/new/", views.meeting_create, name="meeting_create"),
    path("council-seats/<int:pk>/", views.seat_detail, name="seat"),
    path("council-seats/<int:pk>/reappoint/", views.seat_reappoint, name="seat_reappoint"),
    path("council-seats/<int:pk>/end/", views.seat_end, name="seat_end"),
    path("council-meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("council-meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("council-meetings/<int:pk>/decisions/new/", views.decision_create, name="decision_create"),
    path("council-meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("federal-council/", views.federal_detail, name="federal"),
    path("federal-council/sessions/", views.federal_sessions, name="federal_sessions"),
    path("federal-council/sessions/new/", views.federal_session_create, name="federal_session_create"),
    path("federal-council/appoint/", views.federal_member_appoint, name="federal_member_appoint"),
    path("council-decisions/<int:pk>/assign/", views.decision_assign, name="decision_assign"),
]
