"""Who may open each contest page. The contest is region A's (Amur) regional stage; its
deadline has passed, so a POST that reaches a service is refused with a message (302)
and changes nothing for the roles tried after it."""

from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from core.testing import ALL_LOGGED_IN, AccessRow

RUNNERS = frozenset({"staff_a", "admin"})
# Those who see region A's open contest without running it get 403 on the runners' pages.
READERS = {"secretary": 403, "juror": 403}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _world(cast, status="accepting"):
    """Region A's stage at `status`, one nomination and criterion, branch_a's submitted entry, the juror."""
    from contests.models import Contest, Criterion, Entry, Juror, Nomination

    today, now = timezone.localdate(), timezone.now()
    # This year's stage, or the first free year after it where one exists (the bench opens these
    # pages on the national data, whose Amur stages take this year and last).
    taken = set(Contest.objects.filter(level="regional", region=cast.region_a).values_list("year", flat=True))
    contest = Contest.objects.create(
        year=next(year for year in range(today.year, 2101) if year not in taken),
        level="regional",
        region=cast.region_a,
        status=status,
        entries_open_on=today - timedelta(days=40),
        entries_close_on=today - timedelta(days=20),
        judging_close_on=today + timedelta(days=20),
        results_on=today + timedelta(days=30),
        published_at=now if status == "published" else None,
    )
    nomination = Nomination.objects.create(contest=contest, theme="mentoring")
    criterion = Criterion.objects.create(contest=contest, name="Результат", weight=1, max_score=10)
    entry = Entry.objects.create(
        contest=contest,
        nomination=nomination,
        branch=cast.branch_a,
        title="Наставничество",
        practice="<p>Текст</p>",
        practice_text="Текст",
        status="submitted",
        submitted_at=now,
    )
    juror = Juror.objects.create(contest=contest, nomination=nomination, person=cast.person("juror"))
    return {"contest": contest, "nomination": nomination, "criterion": criterion, "entry": entry, "juror": juror}


def _contest(status="accepting"):
    return lambda cast: {"pk": _world(cast, status)["contest"].pk}


def _of(name, status="accepting"):
    return lambda cast: {"pk": _world(cast, status)[name].pk}


def _score(cast):
    world = _world(cast, "judging")
    return {"pk": world["contest"].pk, "entry_pk": world["entry"].pk}


def _attachment(cast):
    from contests.models import Attachment

    entry = _world(cast)["entry"]
    attachment = Attachment(entry=entry, original_name="отчёт.pdf", content_type="application/pdf", size=len(PDF))
    attachment.file.save("access.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return {"pk": attachment.pk}


def _practice(cast):
    from contests.models import Result

    world = _world(cast, "published")
    Result.objects.create(
        entry=world["entry"],
        contest=world["contest"],
        nomination=world["nomination"],
        jurors=1,
        score=90,
        rank=1,
        place=1,
    )
    return {"pk": world["entry"].pk}


RUNNER_PAGE: dict[str, Any] = {"ok": RUNNERS, "denied": 404, "overrides": READERS}
RUNNER_POST: dict[str, Any] = {**RUNNER_PAGE, "ok_status": 302, "method": "post"}
SECRETARY_POST: dict[str, Any] = {
    "ok": frozenset({"secretary"}),
    "denied": 404,
    "ok_status": 302,
    "method": "post",
    "overrides": {"staff_a": 403, "admin": 403},
}

ROWS = [
    AccessRow("contests:list", ok=ALL_LOGGED_IN),
    AccessRow("contests:create", ok=RUNNERS | {"staff_b"}),
    # An open regional stage: its region's staff and secretaries, its jurors, administrators.
    AccessRow("contests:detail", ok=RUNNERS | {"secretary", "juror"}, denied=404, kwargs=_contest()),
    AccessRow("contests:edit", **RUNNER_PAGE, kwargs=_contest()),
    AccessRow("contests:step", **RUNNER_POST, kwargs=_contest()),
    AccessRow("contests:step", **RUNNER_PAGE, kwargs=_contest()),  # asks first
    # A draft is its runners' alone: everyone else gets 404.
    AccessRow("contests:nomination_add", ok=RUNNERS, denied=404, kwargs=_contest("draft")),
    AccessRow("contests:nomination_remove", **RUNNER_POST, kwargs=_of("nomination")),
    AccessRow("contests:nomination_remove", **RUNNER_PAGE, kwargs=_of("nomination")),  # asks first
    AccessRow("contests:criterion_add", **RUNNER_PAGE, kwargs=_contest()),
    AccessRow("contests:criterion_edit", **RUNNER_PAGE, kwargs=_of("criterion")),
    AccessRow("contests:criterion_remove", **RUNNER_POST, kwargs=_of("criterion")),
    AccessRow("contests:criterion_remove", **RUNNER_PAGE, kwargs=_of("criterion")),  # asks first
    AccessRow("contests:juror_add", **RUNNER_PAGE, kwargs=_contest()),
    # Once published, the contest is everyone's to read, and the jury no one's to change.
    AccessRow(
        "contests:juror_remove",
        **{**RUNNER_POST, "overrides": READERS | {"staff_b": 403, "host": 403}},
        kwargs=_of("juror", "published"),
    ),
    AccessRow("contests:progress", **RUNNER_PAGE, kwargs=_contest("judging")),
    # Entries: the runners and region A's staff see all, a secretary their own; a juror only judges.
    AccessRow("contests:entries", ok=RUNNERS | {"secretary"}, denied=404, overrides={"juror": 403}, kwargs=_contest()),
    AccessRow(
        "contests:entry_create",
        ok=frozenset({"secretary"}),
        denied=404,
        overrides={"staff_a": 403, "admin": 403, "juror": 403},
        kwargs=_contest(),
    ),
    AccessRow("contests:entry", ok=RUNNERS | {"secretary"}, denied=404, kwargs=_of("entry")),
    AccessRow(
        "contests:entry_edit",
        ok=frozenset({"secretary"}),
        denied=404,
        overrides={"staff_a": 403, "admin": 403},
        kwargs=_of("entry"),
    ),
    AccessRow("contests:entry_submit", **SECRETARY_POST, kwargs=_of("entry")),
    AccessRow("contests:entry_withdraw", **SECRETARY_POST, kwargs=_of("entry")),
    AccessRow("contests:attachment_add", **SECRETARY_POST, kwargs=_of("entry")),
    # Before judging a juror does not reach an entry's files.
    AccessRow("contests:attachment", ok=RUNNERS | {"secretary"}, denied=404, kwargs=_attachment),
    AccessRow("contests:attachment_remove", **SECRETARY_POST, kwargs=_attachment),
    # Judging: the juror only; the runners follow it on the progress page.
    AccessRow(
        "contests:judging",
        ok=frozenset({"juror"}),
        denied=404,
        overrides={"staff_a": 403, "admin": 403, "secretary": 403},
        kwargs=_contest("judging"),
    ),
    AccessRow("contests:score", ok=frozenset({"juror"}), denied=404, kwargs=_score),
    # Results before publication: a preview for the runners only.
    AccessRow("contests:results", **RUNNER_PAGE, kwargs=_contest("judging")),
    AccessRow("contests:results_print", **RUNNER_PAGE, kwargs=_contest("judging")),
    AccessRow("contests:results_export", **RUNNER_PAGE, kwargs=_contest("judging")),
    AccessRow("contests:library", ok=ALL_LOGGED_IN),
    AccessRow("contests:practice", ok=ALL_LOGGED_IN, kwargs=_practice),
]
