from datetime import date

from django.urls import path, register_converter

from receptions import views


class IsoDateConverter:
    """A calendar day as 2026-05-14; anything else does not match (404)."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError (e.g. 2026-02-30): no match

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "receptions"

urlpatterns = [
    path("receptions/", views.hosts, name="hosts"),
    path("receptions/hosts/<int:pk>/", views.host_slots, name="host_slots"),
    path("receptions/hosts/<int:pk>/manage/", views.host_manage, name="host_manage"),
    path("receptions/hosts/<int:pk>/follow-ups/", views.host_follow_ups, name="host_follow_ups"),
    path("receptions/hosts/<int:pk>/day/<isodate:day>/", views.host_day, name="host_day"),
    path("receptions/hosts/<int:pk>/hours/new/", views.schedule_create, name="schedule_create"),
    path("receptions/hosts/<int:pk>/days-off/new/", views.day_off_create, name="day_off_create"),
    path("receptions/hosts/<int:pk>/days-off/<int:day_off_pk>/remove/", views.day_off_remove, name="day_off_remove"),
    path("receptions/hours/<int:pk>/end/", views.schedule_end, name="schedule_end"),
    path("receptions/slots/<int:pk>/book/", views.slot_book, name="slot_book"),
    path("receptions/bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("receptions/bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("receptions/bookings/<int:pk>/move/", views.booking_move, name="booking_move"),
    path("receptions/bookings/<int:pk>/outcome/", views.booking_outcome, name="booking_outcome"),
    path("receptions/bookings/<int:pk>/reception.ics", views.booking_ics, name="booking_ics"),
    path("receptions/calendar/", views.calendar, name="calendar"),
    path("receptions/calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("receptions/regions/", views.national_report, name="national_report"),
    path("receptions/regions/<int:region_pk>/", views.report, name="report"),
    path("receptions/regions/<int:region_pk>/norm/", views.policy_edit, name="policy_edit"),
    path("receptions/regions/<int:region_pk>/follow-ups/", views.region_follow_ups, name="region_follow_ups"),
]
