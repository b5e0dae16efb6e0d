from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("events/<int:pk>/propose/", views.event_propose, name="propose"),
    path("events/<int:pk>/publish/", views.event_publish, name="publish"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("events/<int:pk>/answer/", views.answer, name="answer"),
    path("events/<int:pk>/expected/add/", views.expected_add, name="expected_add"),
    path("events/<int:pk>/walk-in/", views.walk_in, name="walk_in"),
    path("events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("events/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("events/<int:pk>/close/", views.event_close, name="close"),
    path("events/<int:pk>/questions/new/", views.question_ask, name="question_ask"),
    path("event-questions/<int:pk>/", views.question_answer, name="question_answer"),
    path("event-questions/<int:pk>/assign/", views.question_assign, name="question_assign"),
    path("events/<int:pk>/event.ics", views.event_calendar, name="ics"),
    path("events/<int:pk>/invitation/", views.invitation, name="invitation"),
    path("events/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("events/<int:pk>/nominations/<int:line_pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("regions/<int:region_pk>/events/plan/", views.head_meeting_plan, name="head_meeting_plan"),
    path("regions/<int:region_pk>/events/report/", views.region_report, name="region_report"),
    path("local-branches/<int:pk>/events/report/", views.local_report, name="local_report"),
    path("events/report/", views.national_report, name="national_report"),
    path("people/<int:pk>/events/", views.person_duty, name="person_duty"),
]
