"""The personal-data access log is append-only: the database refuses to change or remove a row."""

import pytest
from django.db import InternalError, transaction
from django.db.models import ProtectedError

from branches import services
from branches.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(cast):
    return services.personal_data_log(
        viewer=cast.user("staff_a"), action=PersonalDataAccess.Action.VIEW, person=cast.person("secretary")
    )


def test_a_logged_access_cannot_be_updated(logged):
    logged.detail = "nothing to see"
    with pytest.raises(InternalError, match="Cannot update or delete rows"), transaction.atomic():
        logged.save()
    with pytest.raises(InternalError, match="Cannot update or delete rows"), transaction.atomic():
        PersonalDataAccess.objects.filter(pk=logged.pk).update(detail="")
    logged.refresh_from_db()
    assert logged.detail == ""


def test_a_logged_access_cannot_be_deleted(logged):
    with pytest.raises(InternalError, match="Cannot update or delete rows"), transaction.atomic():
        logged.delete()
    with pytest.raises(InternalError, match="Cannot update or delete rows"), transaction.atomic():
        PersonalDataAccess.objects.all().delete()
    assert PersonalDataAccess.objects.filter(pk=logged.pk).exists()


def test_a_person_whose_data_were_accessed_stays(logged, cast):
    with pytest.raises(ProtectedError):
        cast.person("secretary").delete()
    services.personal_data_log(viewer=cast.user("staff_a"), action=PersonalDataAccess.Action.VIEW)
    assert PersonalDataAccess.objects.count() == 2  # adding is what a log is for
