"""Reception state for tests, built through the services as production builds it."""

from datetime import time

from django.utils import timezone

from branches import services as branch_services
from branches.models import Position, Role
from receptions import services
from receptions.models import NOTICE, Schedule, Slot


def host_position(cast) -> Position:
    """The cast host's position: a deputy of the Amur regional parliament (serves the whole region)."""
    return Position.objects.current().get(person=cast.person("host"), role=Role.REGIONAL_DEPUTY)


def weekly_hours(
    cast=None,
    *,
    position: Position | None = None,
    weekday: int = 2,
    starts_at: time = time(10),
    ends_at: time = time(12),
    minutes: int = 30,
    recurrence: str = Schedule.Recurrence.WEEKLY,
    week_of_month: int | None = None,
    valid_from=None,
) -> Schedule:
    """Weekly hours (Wednesdays 10:00–12:00, four 30-minute slots) with slots for the coming weeks."""
    return services.schedule_create(
        position=position or host_position(cast),
        recurrence=recurrence,
        weekday=weekday,
        week_of_month=week_of_month,
        starts_at=starts_at,
        ends_at=ends_at,
        slot_minutes=minutes,
        place="Благовещенск, ул. Ленина, 135, каб. 12",
        valid_from=valid_from or timezone.localdate(),
    )


def free_slot(schedule: Schedule, index: int = 0) -> Slot:
    """The index-th free slot of the hours that can still be booked."""
    return (
        Slot.objects.free()
        .filter(schedule=schedule, starts_at__gte=timezone.now() + NOTICE)
        .order_by("starts_at")[index]
    )


def book(cast, *, slot: Slot | None = None, secretary=None, topic: str = "Ремонт дороги в микрорайоне"):
    slot = slot or free_slot(weekly_hours(cast))
    return services.booking_create(slot=slot, secretary=secretary or cast.person("secretary"), topic=topic)


def make_secretaries(local_branch, count: int, *, start_number: int = 100) -> list:
    """`count` new branches of the local branch, each with a new secretary; returns the people."""
    people = []
    for number in range(start_number, start_number + count):
        branch = branch_services.branch_create(local_branch=local_branch, number=number, name=f"Ветка {number}")
        person = branch_services.person_create(last_name=f"Секретарь{number}", first_name="Ирина")
        branch_services.secretary_appoint(branch=branch, person=person, starts_on=timezone.localdate())
        people.append(person)
    return people
