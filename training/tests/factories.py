"""Training's small world on top of the cast, built through services."""

from training import services
from training.models import Course, CourseAssignment

PLATFORM_COURSE_ID = "42"


def course(**fields) -> Course:
    found = Course.objects.filter(code="secretary-101").first()
    if found is not None:
        return found
    defaults = {
        "code": "secretary-101",
        "title": "Школа секретаря первичного отделения",
        "link": "https://school.example.org/course/view.php?id=42",
        "platform_course_id": PLATFORM_COURSE_ID,
    }
    return services.course_create(**(defaults | fields))


def secretary_assignment(cast) -> CourseAssignment:
    """The cast's secretary, in post since 2020, assigned by the catch-up (due today + 90 days)."""
    course()
    services.assignments_sync()
    return CourseAssignment.objects.get(person=cast.person("secretary"))


def link(cast, platform_user_id: str = "u-100"):
    from training.models import PlatformAccount

    return PlatformAccount.objects.get_or_create(platform_user_id=platform_user_id, person=cast.person("secretary"))[0]


def export_csv(rows: list[dict]) -> bytes:
    """A platform export in CSV as the tests upload it."""
    header = ["ID пользователя", "E-mail", "ФИО", "Курс", "Прогресс, %", "Дата завершения", "Балл", "Номер сертификата"]
    keys = ["user", "email", "name", "course", "progress", "completed", "score", "certificate"]
    lines = [";".join(header)]
    for row in rows:
        lines.append(";".join(str(row.get(key, "")) for key in keys))
    return ("\n".join(lines) + "\n").encode()
