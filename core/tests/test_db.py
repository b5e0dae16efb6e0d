"""A violated rule comes back as the message declared with it; anything else stays an IntegrityError."""

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.db.models import F
from django.utils import translation

from branches.models import LocalBranch, Person, PrimaryBranch
from core.db import explain_violations, message_for, save_or_explain
from councils.models import Council, CouncilSeat, SeatRole

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _declared(model, name):
    return next(constraint for constraint in model._meta.constraints if constraint.name == name)


def test_a_violated_constraint_gives_its_own_message_and_its_name_as_the_code(cast):
    twin = LocalBranch(region=cast.region_a, name=cast.local_a1.name)
    with pytest.raises(ValidationError) as error:
        save_or_explain(twin)
    constraint = _declared(LocalBranch, "local_branch_name_unique_in_region")
    assert error.value.messages == [str(constraint.violation_error_message)]
    assert error.value.messages == ["A local branch with this name already exists in the region."]
    assert error.value.code == "local_branch_name_unique_in_region"


def test_a_bulk_update_inside_explain_violations_gives_the_message_too(cast):
    with pytest.raises(ValidationError, match="There cannot be more activists than members"), explain_violations():
        PrimaryBranch.objects.filter(pk=cast.branch_a.pk).update(activists_count=F("members_count") + 1)
    cast.branch_a.refresh_from_db()  # the savepoint was rolled back; the transaction goes on
    assert cast.branch_a.activists_count == 0


def test_a_constraint_declared_only_in_sql_gives_the_message_registered_on_its_model(cast):
    """council_seat_council_in_region is a composite foreign key of councils migration 0002."""
    seat = CouncilSeat(
        council=Council.objects.get_or_create(region=cast.region_a)[0],
        region=cast.region_b,
        role=SeatRole.CHAIR,
        person=cast.person("staff_a"),
        starts_on=date(2025, 1, 1),
        ends_on=date(2030, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        save_or_explain(seat)
    assert error.value.messages == [str(CouncilSeat.sql_constraint_messages["council_seat_council_in_region"])]
    assert error.value.messages == ["The seat belongs to the council of another region."]
    assert error.value.code == "council_seat_council_in_region"


def test_a_constraint_without_a_message_of_its_own_re_raises_the_integrity_error(cast):
    person = Person(last_name="Долгожитель", first_name="Иван", birth_year=1800)
    with pytest.raises(IntegrityError, match="person_birth_year_plausible"):
        save_or_explain(person)
    assert Person.objects.filter(last_name="Долгожитель").count() == 0  # the transaction is still usable


def test_message_for_reads_the_same_declaration():
    assert message_for("booking_one_per_slot") == "Someone has just booked this time. Choose another one."
    assert message_for("position_primary_in_local") == "The primary branch belongs to another local branch."
    with pytest.raises(KeyError):
        message_for("no_such_constraint")


def test_every_sql_only_rule_exists_in_the_database_and_is_not_also_declared_in_meta():
    declared = {constraint.name for model in apps.get_models() for constraint in model._meta.constraints}
    registered = 0
    for model in apps.get_models():
        names = set(getattr(model, "sql_constraint_messages", {}))
        if not names:
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", [model._meta.db_table])
            in_database = {row[0] for row in cursor.fetchall()}
            # A rule that reads other tables is raised by a trigger of the table under its name
            # (RAISE ... USING CONSTRAINT = '<name>'): its function's source names it.
            cursor.execute(
                "SELECT p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                " WHERE t.tgrelid = %s::regclass AND NOT t.tgisinternal",
                [model._meta.db_table],
            )
            sources = " ".join(row[0] for row in cursor.fetchall())
            in_database |= {name for name in names if f"CONSTRAINT = '{name}'" in sources}
        assert names <= in_database, f"{model.__name__}: {sorted(names - in_database)} not in the database"
        assert not names & declared, f"{model.__name__}: {sorted(names & declared)} also declared in Meta"
        registered += len(names)
    # branches 3, councils 6 (one a trigger), contests 5, events 2, mentorship 2 (a trigger),
    # assignments 1 and reserve 2 (constraint triggers)
    assert registered == 21
