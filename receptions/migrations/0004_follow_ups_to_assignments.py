"""Follow-ups of receptions become assignments (the assignments engine): one directive per
follow-up, its source the reception, addressed to the host in the region of the reception;
done becomes accepted, dropped stays dropped; the history says who wrote it and when."""

import zoneinfo

from django.conf import settings
from django.db import migrations
from django.utils import formats, translation

STATES = {"open": "open", "done": "accepted", "dropped": "dropped"}


def forward(apps, schema_editor):
    FollowUp = apps.get_model("receptions", "FollowUp")
    Directive = apps.get_model("assignments", "Directive")
    Assignment = apps.get_model("assignments", "Assignment")
    Event = apps.get_model("assignments", "Event")
    items = FollowUp.objects.select_related(
        "booking__slot__schedule__position__region", "booking__branch"
    ).order_by("pk")
    with translation.override(settings.LANGUAGE_CODE):
        for item in items.iterator(chunk_size=2000):
            booking = item.booking
            zone = zoneinfo.ZoneInfo(booking.slot.schedule.position.region.time_zone)
            day = booking.slot.starts_at.astimezone(zone).date()
            at = booking.outcome_recorded_at or booking.updated_at
            label = translation.gettext("Reception of %(date)s: %(topic)s") % {
                "date": formats.date_format(day, "SHORT_DATE_FORMAT"),
                "topic": booking.topic,
            }
            directive = Directive.objects.create(
                source_key=f"receptions.booking.{booking.pk}",
                source_label=label[:300],
                source_url=f"/receptions/bookings/{booking.pk}/",
                title=item.text[:300],
                issued_on=min(day, item.due_on),
                due_on=item.due_on,
                issued_by_id=booking.host_id,
                kind=item.kind,
                owner=item.owner,
                created_at=at,
            )
            state = STATES[item.status]
            assignment = Assignment.objects.create(
                directive=directive,
                region_id=booking.branch.region_id,
                person_id=booking.host_id,
                issued_on=directive.issued_on,
                due_on=item.due_on,
                state=state,
                changed_at=at,
            )
            events = [Event(assignment=assignment, state="open", at=at, by_id=booking.host_id)]
            if state != "open":
                events.append(Event(assignment=assignment, state=state, at=at, by_id=booking.host_id))
            Event.objects.bulk_create(events)


def backward(apps, schema_editor):
    FollowUp = apps.get_model("receptions", "FollowUp")
    Directive = apps.get_model("assignments", "Directive")
    Assignment = apps.get_model("assignments", "Assignment")
    back = {value: key for key, value in STATES.items()}
    for a in Assignment.objects.filter(directive__source_key__startswith="receptions.booking.").select_related(
        "directive"
    ):
        d = a.directive
        FollowUp.objects.create(
            booking_id=int(d.source_key.rsplit(".", 1)[1]),
            kind=d.kind or "task",
            text=d.title,
            owner=d.owner or "—",
            due_on=d.due_on,
            status=back.get(a.state, "open"),
        )
    Directive.objects.filter(source_key__startswith="receptions.booking.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("receptions", "0003_constraint_messages"),
        ("assignments", "0003_follow_ups_and_dropped"),
    ]

    operations = [migrations.RunPython(forward, backward)]
