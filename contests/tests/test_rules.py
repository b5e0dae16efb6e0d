"""The contest's rules: in the database where they can be, in the services where they cannot,
and each refusal a clear message."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from contests import services
from contests.models import Contest, EntryStatus, Juror, Level, Score, Status, Theme
from contests.tests.conftest import ACCEPTING, DATES, JUDGING, NEXT_YEAR, YEAR, give_local_position
from core.testing import run_concurrently

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _create(cast, role="admin", **changes):
    fields = {"year": YEAR, "level": Level.REGIONAL, "region": cast.region_a, **DATES} | changes
    return services.contest_create(actor=cast.user(role), **fields)


# One contest per year, level and region ----------------------------------------------------------------


def test_a_region_has_one_regional_stage_a_year(world, cast):
    with pytest.raises(ValidationError, match="already is a contest for this year"):
        _create(cast)
    assert _create(cast, region=cast.region_b).region == cast.region_b
    assert _create(cast, year=YEAR + 1).year == YEAR + 1


def test_there_is_one_federal_final_a_year_although_it_has_no_region(cast):
    _create(cast, level=Level.FEDERAL, region=None)
    with pytest.raises(ValidationError, match="already is a contest for this year"):
        _create(cast, level=Level.FEDERAL, region=None)


def test_the_database_refuses_a_second_final_even_without_the_service(cast):
    _create(cast, level=Level.FEDERAL, region=None)
    with pytest.raises(IntegrityError, match="contest_one_per_year_level_region"), transaction.atomic():
        Contest.objects.create(year=YEAR, level=Level.FEDERAL, **DATES)


def test_a_regional_stage_needs_a_region_and_the_final_has_none(cast):
    with pytest.raises(IntegrityError, match="contest_region_matches_level"), transaction.atomic():
        Contest.objects.create(year=YEAR, level=Level.REGIONAL, **DATES)
    with pytest.raises(IntegrityError, match="contest_region_matches_level"), transaction.atomic():
        Contest.objects.create(year=YEAR, level=Level.FEDERAL, region=cast.region_a, **DATES)


def test_the_dates_must_follow_each_other(cast):
    with pytest.raises(ValidationError, match="dates must follow each other"):
        _create(cast, judging_close_on=DATES["entries_close_on"])
    with pytest.raises(ValidationError, match="dates must follow each other"):
        _create(cast, results_on=date(YEAR, 4, 9))


@pytest.mark.django_db(transaction=True)
def test_two_administrators_creating_the_same_stage_at_once_one_wins_the_other_is_told(cast):
    """Regional staff and the federal administrator both create Amur's stage at the same instant."""
    outcomes = run_concurrently(
        lambda role: _create(cast, role=role), ["staff_a", "admin"], expected_errors=(ValidationError,)
    )
    created = [o for o in outcomes if isinstance(o, Contest)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(created) == 1 and len(refused) == 1
    assert refused[0].code == "contest_one_per_year_level_region"
    assert Contest.objects.filter(year=YEAR, region=cast.region_a).count() == 1


# Who runs what ---------------------------------------------------------------------------------------------


def test_regional_staff_run_their_own_region_s_stage_only(cast):
    with pytest.raises(PermissionDenied):
        _create(cast, role="staff_b")
    with pytest.raises(PermissionDenied):
        _create(cast, role="staff_a", level=Level.FEDERAL, region=None)
    assert _create(cast, role="staff_a").region == cast.region_a


@pytest.mark.parametrize("role", ["staff_b", "secretary", "host", "juror"])
def test_only_the_administrators_of_its_level_take_a_step(world, cast, role):
    world.clock.go(ACCEPTING)
    with pytest.raises(PermissionDenied):
        services.contest_open(actor=cast.user(role), contest=world.contest)
    assert services.contest_open(actor=cast.user("admin"), contest=world.contest).status == Status.ACCEPTING


# The steps and their dates ----------------------------------------------------------------------------------


def test_the_contest_opens_only_from_its_opening_day_and_says_so(world, cast):
    with pytest.raises(ValidationError, match=f"Entries open on March 1, {YEAR}"):
        services.contest_open(actor=cast.user("staff_a"), contest=world.contest)
    assert world.open().status == Status.ACCEPTING


def test_judging_starts_only_after_the_deadline_and_says_when(world, cast):
    world.open()
    with pytest.raises(ValidationError, match=f"deadline is March 15, {YEAR}: judging can start from March 16, {YEAR}"):
        services.contest_start_judging(actor=cast.user("staff_a"), contest=world.contest)
    assert world.start_judging().status == Status.JUDGING


def test_judging_waits_for_jurors_of_every_nomination_with_entries(world, cast):
    world.open()
    world.enter()
    world.clock.go(JUDGING)
    with pytest.raises(ValidationError, match="Assign jurors to the nomination «Mentoring»"):
        services.contest_start_judging(actor=cast.user("staff_a"), contest=world.contest)
    world.assign()
    assert world.start_judging().status == Status.JUDGING


def test_results_are_published_only_from_the_results_day(world, cast):
    world.open()
    world.start_judging()
    with pytest.raises(ValidationError, match=f"from April 15, {YEAR}"):
        services.contest_publish(actor=cast.user("staff_a"), contest=world.contest)
    contest = world.publish()
    assert contest.status == Status.PUBLISHED and contest.published_at is not None


def test_a_contest_is_archived_once_its_year_is_over(world, cast):
    world.open()
    world.start_judging()
    world.publish()
    with pytest.raises(ValidationError, match=f"from January 1, {YEAR + 1}"):
        services.contest_archive(actor=cast.user("staff_a"), contest=world.contest)
    world.clock.go(NEXT_YEAR)
    assert services.contest_archive(actor=cast.user("staff_a"), contest=world.contest).status == Status.ARCHIVED


def test_a_step_from_a_stale_page_is_refused(world, cast):
    world.open()
    with pytest.raises(ValidationError) as error:
        services.contest_advance(actor=cast.user("admin"), contest=world.contest, expected=Status.DRAFT)
    assert error.value.code == "stale"


def test_a_closed_deadline_must_move_before_opening(world, cast):
    world.clock.go(date(YEAR, 3, 16))
    with pytest.raises(ValidationError, match="has passed: move it"):
        services.contest_open(actor=cast.user("staff_a"), contest=world.contest)


# The rubric ---------------------------------------------------------------------------------------------------


def test_nominations_and_the_rubric_are_editable_in_the_draft(world, cast):
    criterion = services.criterion_add(
        actor=cast.user("staff_a"), contest=world.contest, name="Новизна", weight=3, max_score=20
    )
    services.criterion_update(actor=cast.user("staff_a"), criterion=criterion, max_score=15)
    services.nomination_remove(actor=cast.user("staff_a"), nomination=world.nomination(Theme.YOUTH))
    assert world.contest.nominations.count() == 3
    with pytest.raises(ValidationError, match="already has this nomination"):
        services.nomination_add(actor=cast.user("staff_a"), contest=world.contest, theme=Theme.MENTORING)


def test_nominations_and_the_rubric_are_frozen_once_entries_open(world, cast):
    world.open()
    criterion = world.criteria()[0]
    frozen = "frozen once entries open"
    with pytest.raises(ValidationError, match=frozen):
        services.criterion_update(actor=cast.user("staff_a"), criterion=criterion, weight=5)
    with pytest.raises(ValidationError, match=frozen):
        services.criterion_add(actor=cast.user("staff_a"), contest=world.contest, name="X", weight=1, max_score=5)
    with pytest.raises(ValidationError, match=frozen):
        services.criterion_remove(actor=cast.user("staff_a"), criterion=criterion)
    with pytest.raises(ValidationError, match=frozen):
        services.nomination_remove(actor=cast.user("staff_a"), nomination=world.nomination())


def test_a_weight_and_a_maximum_stay_in_range(world, cast):
    with pytest.raises(ValidationError, match="greater than 0"):
        services.criterion_add(actor=cast.user("staff_a"), contest=world.contest, name="X", weight=0, max_score=5)
    with pytest.raises(ValidationError, match="between 1 and 100"):
        services.criterion_add(actor=cast.user("staff_a"), contest=world.contest, name="Y", weight=1, max_score=0)


def test_the_stage_decides_which_settings_may_change(world, cast):
    world.open()
    services.contest_update(actor=cast.user("staff_a"), contest=world.contest, entries_close_on=date(YEAR, 3, 20))
    with pytest.raises(ValidationError, match="can no longer change: entries open on"):
        services.contest_update(actor=cast.user("staff_a"), contest=world.contest, entries_open_on=date(YEAR, 3, 2))
    world.clock.go(date(YEAR, 3, 21))
    world.contest = services.contest_start_judging(actor=cast.user("staff_a"), contest=world.contest)
    with pytest.raises(ValidationError, match="blind judging"):
        services.contest_update(actor=cast.user("staff_a"), contest=world.contest, blind=True)


# Entries --------------------------------------------------------------------------------------------------------


def test_no_entry_before_the_contest_opens(world, cast):
    with pytest.raises(ValidationError, match=f"they open on March 1, {YEAR}"):
        world.enter()


def test_no_entry_and_no_change_after_the_deadline(world, cast):
    world.open()
    entry = world.enter(submit=False)
    world.clock.go(date(YEAR, 3, 16))
    with pytest.raises(ValidationError, match=f"deadline was March 15, {YEAR}"):
        world.enter(theme=Theme.YOUTH)
    with pytest.raises(ValidationError, match="deadline was"):
        services.entry_submit(actor=cast.user("secretary"), entry=entry)
    with pytest.raises(ValidationError, match="deadline was"):
        services.entry_update(actor=cast.user("secretary"), entry=entry, title="Позже")


def test_an_entry_is_a_draft_until_submitted_and_editable_until_the_deadline(world, cast):
    world.open()
    entry = world.enter(submit=False)
    assert entry.status == EntryStatus.DRAFT and entry.submitted_at is None
    entry = services.entry_submit(actor=cast.user("secretary"), entry=entry)
    entry = services.entry_update(actor=cast.user("secretary"), entry=entry, title="Наставничество 2.0")
    assert (entry.status, entry.title) == (EntryStatus.SUBMITTED, "Наставничество 2.0")


def test_one_entry_per_branch_and_nomination_and_a_withdrawn_one_leaves_room(world, cast):
    world.open()
    entry = world.enter()
    with pytest.raises(ValidationError, match="already entered this nomination"):
        world.enter()
    assert world.enter(theme=Theme.YOUTH).nomination.theme == Theme.YOUTH
    services.entry_withdraw(actor=cast.user("secretary"), entry=entry)
    assert world.enter().status == EntryStatus.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_entries_of_one_branch_in_one_nomination_one_wins(world, cast):
    world.open()
    outcomes = run_concurrently(
        lambda title: world.enter(title=title, submit=False), ["Первая", "Вторая"], expected_errors=(ValidationError,)
    )
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 1 and refused[0].code == "entry_one_per_branch_and_nomination"
    assert world.contest.entries.count() == 1


def test_only_the_branch_s_secretary_enters_it(world, cast):
    world.open()
    for role in ("staff_a", "admin", "juror", "host"):
        with pytest.raises(PermissionDenied):
            world.enter(role=role)


def test_a_branch_of_another_region_cannot_enter_a_regional_stage(world, cast, second_secretary):
    from branches import services as branch_services

    world.open()
    branch_services.secretary_appoint(branch=cast.branch_b, person=cast.person("secretary"), starts_on=date(2020, 1, 1))
    with pytest.raises(ValidationError, match="another region"):
        world.enter(branch=cast.branch_b)


def test_the_federal_final_takes_no_direct_entries(cast, clock):
    final = _create(cast, level=Level.FEDERAL, region=None)
    clock.go(ACCEPTING)
    final = services.contest_open(actor=cast.user("admin"), contest=final)
    with pytest.raises(ValidationError, match="regional winners"):
        services.entry_create(
            actor=cast.user("secretary"),
            contest=final,
            branch=cast.branch_a,
            nomination=final.nominations.first(),
            title="X",
            practice="Y",
        )


def test_the_practice_is_sanitised_on_save(world, cast):
    world.open()
    entry = services.entry_create(
        actor=cast.user("secretary"),
        contest=world.contest,
        branch=cast.branch_a,
        nomination=world.nomination(),
        title="Практика",
        practice='<p onclick="x()">Текст <b>важный</b><script>alert(1)</script> '
        '<a href="javascript:x()">ссылка</a></p>',
    )
    assert "<script" not in entry.practice and "onclick" not in entry.practice and "javascript" not in entry.practice
    assert "<b>важный</b>" in entry.practice
    assert entry.practice_text == "Текст важный ссылка"


def test_plain_text_becomes_paragraphs(cast):
    html, text = services.sanitize_practice("Первый абзац.\nВторая строка.\n\nВторой <абзац> & всё.")
    assert html == "<p>Первый абзац.<br>Вторая строка.</p><p>Второй &lt;абзац&gt; &amp; всё.</p>"
    assert text == "Первый абзац. Вторая строка. Второй <абзац> & всё."


# Scores -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def judged(world, cast):
    """An open contest with one submitted entry of branch_a in mentoring and the cast's juror on it."""
    world.open()
    entry = world.enter()
    (juror,) = world.assign()
    return world, juror, entry


def test_no_score_before_judging(judged):
    world, juror, entry = judged
    with pytest.raises(ValidationError, match=f"after the application deadline \\(March 15, {YEAR}\\)"):
        world.score(juror, entry, [5, 5, 5, 5, 3])


def test_no_score_after_judging_closes_or_after_publication(judged, cast):
    world, juror, entry = judged
    world.start_judging()
    world.clock.go(date(YEAR, 4, 11))
    with pytest.raises(ValidationError, match=f"Judging closed on April 10, {YEAR}"):
        world.score(juror, entry, [5, 5, 5, 5, 3])
    world.publish()
    with pytest.raises(ValidationError, match="scores can no longer change"):
        world.score(juror, entry, [5, 5, 5, 5, 3])


def test_a_score_stays_between_zero_and_the_maximum(judged):
    world, juror, entry = judged
    world.start_judging()
    with pytest.raises(ValidationError, match="between 0 and the criterion's maximum"):
        world.score(juror, entry, [11, 5, 5, 5, 3])
    assert not Score.objects.exists()


def test_every_criterion_must_be_scored(judged, cast):
    world, juror, entry = judged
    world.start_judging()
    with pytest.raises(ValidationError, match="Score every criterion"):
        services.score_sheet_save(
            actor=cast.user("juror"), juror=juror, entry=entry, scores={world.criteria()[0].pk: (5, "")}
        )


def test_a_juror_rescores_and_the_sheet_is_replaced(judged):
    world, juror, entry = judged
    world.start_judging()
    world.score(juror, entry, [5, 5, 5, 5, 3])
    world.score(juror, entry, [6, 6, 6, 6, 4])
    assert sorted(Score.objects.values_list("value", flat=True)) == [4, 6, 6, 6, 6]


def test_only_the_juror_scores_their_own_sheet(judged, cast):
    world, juror, entry = judged
    world.start_judging()
    for role in ("staff_a", "admin", "secretary"):
        with pytest.raises(PermissionDenied):
            world.score(juror, entry, [5, 5, 5, 5, 3], role=role)


def test_a_juror_never_scores_an_entry_of_their_own_local_branch(world, cast):
    world.open()
    entry = world.enter()
    (juror,) = world.assign(home=cast.local_a1)
    world.start_judging()
    with pytest.raises(ValidationError, match="Conflict of interest"):
        world.score(juror, entry, [5, 5, 5, 5, 3])


def test_a_position_in_the_local_branch_is_a_conflict_too(world, cast):
    world.open()
    entry = world.enter()
    (juror,) = world.assign()
    give_local_position(cast, "juror", cast.local_a1)
    world.start_judging()
    with pytest.raises(ValidationError, match="Conflict of interest"):
        world.score(juror, entry, [5, 5, 5, 5, 3])


def test_a_juror_scores_only_their_nomination(world, cast):
    world.open()
    entry = world.enter(theme=Theme.YOUTH)
    (juror,) = world.assign(themes=(Theme.MENTORING,))
    world.assign("host", themes=(Theme.YOUTH,))
    world.start_judging()
    with pytest.raises(ValidationError, match="does not judge the entry's nomination"):
        world.score(juror, entry, [5, 5, 5, 5, 3])


def test_the_database_refuses_a_score_outside_the_juror_s_nomination(judged, cast):
    world, juror, _entry = judged
    other = world.enter(theme=Theme.YOUTH, title="Молодёжь")
    criterion = world.criteria()[0]
    with (
        pytest.raises(IntegrityError, match=r"score_by_a_juror_of_the_nomination|score_of_an_entry"),
        transaction.atomic(),
    ):
        Score.objects.create(
            juror=juror,
            entry=other,
            criterion=criterion,
            nomination_id=other.nomination_id,
            max_score=criterion.max_score,
            value=1,
        )


def test_the_database_holds_a_score_within_its_criterion_s_range(judged):
    world, juror, entry = judged
    criterion = world.criteria()[0]
    with pytest.raises(IntegrityError, match="score_max_of_its_criterion"), transaction.atomic():
        Score.objects.create(
            juror=juror, entry=entry, criterion=criterion, nomination_id=entry.nomination_id, max_score=50, value=40
        )


def test_a_criterion_with_scores_cannot_change_its_maximum(judged, cast):
    world, juror, entry = judged
    world.start_judging()
    world.score(juror, entry, [5, 5, 5, 5, 3])
    criterion = world.criteria()[0]
    criterion.max_score = 20
    with pytest.raises(IntegrityError, match="score_max_of_its_criterion"), transaction.atomic():
        criterion.save()


def test_removing_a_juror_removes_their_scores_but_never_after_publication(judged, cast):
    world, juror, entry = judged
    world.start_judging()
    world.score(juror, entry, [5, 5, 5, 5, 3])
    (other,) = world.assign("host")
    world.score(other, entry, [5, 5, 5, 5, 3], role="host")
    services.juror_remove(actor=cast.user("staff_a"), juror=other)
    assert Score.objects.count() == 5 and not Juror.objects.filter(pk=other.pk).exists()
    world.publish()
    with pytest.raises(ValidationError, match="jury can no longer change"):
        services.juror_remove(actor=cast.user("staff_a"), juror=juror)


def test_nothing_changes_after_publication(judged, cast):
    world, _juror, entry = judged
    world.start_judging()
    world.publish()
    with pytest.raises(ValidationError, match="entries can no longer change"):
        services.entry_update(actor=cast.user("secretary"), entry=entry, title="Потом")
    with pytest.raises(ValidationError, match="can no longer change"):
        services.contest_update(actor=cast.user("staff_a"), contest=world.contest, title="Новое")


@pytest.mark.django_db(transaction=True)
def test_a_sheet_saved_while_the_results_are_published_is_counted_or_refused_never_lost(world, cast, second_juror):
    """The publication locks the contest FOR UPDATE, a sheet FOR SHARE: whichever comes
    second sees the other's outcome, so the frozen results hold every score that exists."""
    from contests.models import Result

    world.open()
    entry = world.enter()
    (first,) = world.assign()
    (second,) = world.assign("juror_2")
    world.start_judging()
    world.score(first, entry, [5, 5, 5, 5, 3])
    last_day = date(YEAR, 4, 15)  # judging and publication on the same day
    services.contest_update(
        actor=cast.user("staff_a"), contest=world.contest, judging_close_on=last_day, results_on=last_day
    )
    world.clock.go(last_day)

    def act(what):
        if what == "publish":
            return services.contest_publish(actor=cast.user("staff_a"), contest=world.contest)
        return world.score(second, entry, [9, 9, 9, 9, 5], role="juror_2")

    outcomes = run_concurrently(act, ["publish", "score"], expected_errors=(ValidationError,))
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert all(error.code == "closed" for error in refused) and len(refused) <= 1
    sheets = Score.objects.filter(entry=entry).values("juror").distinct().count()
    assert Result.objects.get(entry=entry).jurors == sheets
    assert Contest.objects.get(pk=world.contest.pk).status == Status.PUBLISHED
