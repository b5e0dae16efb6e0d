from datetime import date

from assignments import services
from branches import services as branches
from branches.models import Role

ISSUED = date(2026, 9, 1)
DUE = date(2026, 10, 1)


def issue(*, to, title="Проводить личные приёмы секретарей", figure="", target=None, issued_by=None, due_on=DUE):
    return services.directive_issue(
        source_key="test.decision.1",
        source_label="Решение №1",
        title=title,
        issued_on=ISSUED,
        due_on=due_on,
        to=to,
        figure=figure,
        target=target,
        issued_by=issued_by,
    )


def local_secretary(local_branch, last_name="Местная"):
    person = branches.person_create(last_name=last_name, first_name="Мария", patronymic="", email="")
    branches.position_create(
        person=person,
        role=Role.LOCAL_SECRETARY,
        region=local_branch.region,
        local_branch=local_branch,
        starts_on=date(2020, 1, 1),
    )
    return person
