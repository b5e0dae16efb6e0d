"""Results computed in the database, checked against a small case worked out by hand."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contests import selectors, services
from contests.models import Contest, EntryStatus, Level, Method, Result, Score, Status, Theme
from contests.tests.conftest import ACCEPTING, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(world, cast, entrant, second_juror):
    """Two criteria (weight 2 of 10, weight 1 of 5: Σ w·m = 25), three entries, three jurors.

    Each juror's total is 100 · (2·a + b) / 25:
              juror    juror_2   host
    entry 1   8,4→80   6,3→60    10,5→100
    entry 2   6,2→56   7,4→72     9,2→80
    entry 3   4,2→40   5,5→60    10,0→80
    """
    staff = cast.user("staff_a")
    for criterion in world.criteria():
        services.criterion_remove(actor=staff, criterion=criterion)
    services.criterion_add(actor=staff, contest=world.contest, name="Результат", weight=2, max_score=10)
    services.criterion_add(actor=staff, contest=world.contest, name="Описание", weight=1, max_score=5)
    world.open()
    entries = [
        world.enter(title="Первая"),
        world.enter(branch=entrant("sec-3", 3), role="sec-3", title="Вторая"),
        world.enter(branch=entrant("sec-4", 4), role="sec-4", title="Третья"),
    ]
    jurors = {role: world.assign(role)[0] for role in ("juror", "juror_2", "host")}
    world.start_judging()
    sheets = {
        "juror": [(8, 4), (6, 2), (4, 2)],
        "juror_2": [(6, 3), (7, 4), (5, 5)],
        "host": [(10, 5), (9, 2), (10, 0)],
    }
    for role, values in sheets.items():
        for entry, pair in zip(entries, values, strict=True):
            world.score(jurors[role], entry, pair, role=role)
    return world, entries, jurors


def _by_entry(contest):
    return {row.entry_id: row for row in selectors.contest_results(contest)}


def test_mean_median_and_z_scores_match_the_hand_computed_values(small):
    world, entries, _jurors = small
    rows = _by_entry(world.contest)
    expected = {
        # mean, median, mean z, σ of the totals
        entries[0].pk: ("80.0000", "80.0000", "0.6683", "16.3299"),
        entries[1].pk: ("69.3333", "72.0000", "0.1816", "9.9778"),
        entries[2].pk: ("60.0000", "60.0000", "-0.8499", "16.3299"),
    }
    for pk, (mean, median, zscore, spread) in expected.items():
        row = rows[pk]
        assert (row.mean, row.median, row.zscore, row.spread) == tuple(map(Decimal, (mean, median, zscore, spread)))
        assert row.jurors == 3
    assert (rows[entries[0].pk].lowest, rows[entries[0].pk].highest) == (Decimal("60.0000"), Decimal("100.0000"))


@pytest.mark.parametrize("method", [Method.MEAN, Method.MEDIAN, Method.ZSCORE])
def test_the_contest_s_method_gives_the_score_and_the_ranking(small, cast, method):
    world, entries, _jurors = small
    world.contest = services.contest_update(actor=cast.user("staff_a"), contest=world.contest, method=method)
    rows = _by_entry(world.contest)
    field = {"mean": "mean", "median": "median", "zscore": "zscore"}[method]
    assert [rows[entry.pk].score for entry in entries] == [getattr(rows[entry.pk], field) for entry in entries]
    assert [rows[entry.pk].rank for entry in entries] == [1, 2, 3]
    assert [rows[entry.pk].place for entry in entries] == [1, 2, 3]


def test_z_scores_do_not_change_when_a_juror_turns_harsher(small, cast):
    """juror_2 takes a point off every criterion of every sheet: each of their totals drops by
    100 · (2 + 1) / 25 = 12. The means drop by 4; the z-scores, which measure each juror
    against their own scale, do not move."""
    world, entries, jurors = small
    before = _by_entry(world.contest)
    for entry, pair in zip(entries, [(5, 2), (6, 3), (4, 4)], strict=True):
        world.score(jurors["juror_2"], entry, pair, role="juror_2")
    after = _by_entry(world.contest)
    for entry in entries:
        assert after[entry.pk].mean == before[entry.pk].mean - 4
        assert after[entry.pk].zscore == before[entry.pk].zscore


def test_ties_are_broken_by_the_smaller_spread_then_the_earlier_submission(world, cast, entrant, second_juror):
    """All three score 68 on average: (72, 64), (68, 68), (68, 68) with the rubric 2×10 + 1×5."""
    staff = cast.user("staff_a")
    for criterion in world.criteria():
        services.criterion_remove(actor=staff, criterion=criterion)
    services.criterion_add(actor=staff, contest=world.contest, name="Результат", weight=2, max_score=10)
    services.criterion_add(actor=staff, contest=world.contest, name="Описание", weight=1, max_score=5)
    world.open()
    wide = world.enter(title="Разброс")  # submitted first
    world.clock.go(ACCEPTING.replace(day=6))
    agreed_early = world.enter(branch=entrant("sec-3", 3), role="sec-3", title="Согласие раньше")
    world.clock.go(ACCEPTING.replace(day=7))
    agreed_late = world.enter(branch=entrant("sec-4", 4), role="sec-4", title="Согласие позже")
    one, two = world.assign("juror")[0], world.assign("juror_2")[0]
    world.start_judging()
    for juror, role, values in [(one, "juror", [(7, 4), (7, 3), (7, 3)]), (two, "juror_2", [(6, 4), (7, 3), (7, 3)])]:
        for entry, pair in zip([wide, agreed_early, agreed_late], values, strict=True):
            world.score(juror, entry, pair, role=role)
    rows = _by_entry(world.contest)
    assert {rows[e.pk].score for e in (wide, agreed_early, agreed_late)} == {Decimal("68.0000")}
    assert [rows[e.pk].rank for e in (agreed_early, agreed_late, wide)] == [1, 2, 3]


def test_an_incomplete_sheet_does_not_count_and_an_unscored_entry_has_no_place(small, entrant):
    world, entries, jurors = small
    criterion = world.criteria()[0]
    Score.objects.filter(juror=jurors["host"], entry=entries[0]).exclude(criterion=criterion).delete()
    rows = _by_entry(world.contest)
    assert rows[entries[0].pk].jurors == 2
    assert rows[entries[0].pk].mean == Decimal("70.0000")


def test_an_entry_without_scores_ranks_last_without_a_place(world, cast, entrant):
    world.open()
    scored = world.enter(title="Оценена")
    unscored = world.enter(branch=entrant("sec-3", 3), role="sec-3", title="Без оценок")
    (juror,) = world.assign("juror")
    world.start_judging()
    world.score(juror, scored, [1, 1, 1, 1, 1])
    rows = _by_entry(world.contest)
    assert (rows[scored.pk].rank, rows[scored.pk].place) == (1, 1)
    assert (rows[unscored.pk].rank, rows[unscored.pk].place, rows[unscored.pk].score) == (2, None, None)


def test_drafts_and_withdrawn_entries_are_not_ranked(world, cast, entrant):
    world.open()
    world.enter(title="Черновик", submit=False)
    withdrawn = world.enter(branch=entrant("sec-3", 3), role="sec-3", title="Отозвана")
    services.entry_withdraw(actor=cast.user("sec-3"), entry=withdrawn)
    assert selectors.contest_results(world.contest) == []


def test_publication_freezes_the_results_and_fills_the_library(small, cast):
    world, entries, _jurors = small
    world.publish()
    stored = {result.entry_id: result for result in Result.objects.filter(contest=world.contest)}
    assert [stored[entry.pk].place for entry in entries] == [1, 2, 3]
    assert stored[entries[0].pk].score == Decimal("80.0000")
    from contests.access import library_visible_to
    from core.access import viewer_for

    library = library_visible_to(viewer_for(cast.user("host")))
    assert set(library.values_list("pk", flat=True)) == {entry.pk for entry in entries}


def test_regional_winners_become_entries_of_the_federal_final(small, cast, clock):
    world, entries, _jurors = small
    final = services.contest_create(
        actor=cast.user("admin"),
        year=YEAR,
        level=Level.FEDERAL,
        entries_open_on=world.contest.entries_open_on,
        entries_close_on=world.contest.results_on.replace(month=5),
        judging_close_on=world.contest.results_on.replace(month=6),
        results_on=world.contest.results_on.replace(month=7),
    )
    clock.go(world.contest.results_on)
    final = services.contest_open(actor=cast.user("admin"), contest=final)
    world.publish()
    carried = list(final.entries.select_related("nomination"))
    assert len(carried) == 1
    (entry,) = carried
    assert (entry.source_id, entry.branch_id, entry.nomination.theme) == (
        entries[0].pk,
        entries[0].branch_id,
        Theme.MENTORING,
    )
    assert entry.status == EntryStatus.SUBMITTED
    assert services.final_collect_winners(final=final) == 0  # collecting again adds nothing


def test_a_final_opened_after_the_regional_results_collects_their_winners(small, cast, clock):
    world, entries, _jurors = small
    world.publish()
    final = services.contest_create(
        actor=cast.user("admin"),
        year=YEAR,
        level=Level.FEDERAL,
        entries_open_on=world.contest.results_on,
        entries_close_on=world.contest.results_on.replace(month=5),
        judging_close_on=world.contest.results_on.replace(month=6),
        results_on=world.contest.results_on.replace(month=7),
    )
    final = services.contest_open(actor=cast.user("admin"), contest=final)
    assert list(final.entries.values_list("source_id", flat=True)) == [entries[0].pk]


def test_a_published_contest_keeps_its_results_when_scores_are_tampered_with(small, cast):
    world, entries, _jurors = small
    world.publish()
    Score.objects.filter(entry=entries[2]).update(value=0)
    table = selectors.results_table(Contest.objects.get(pk=world.contest.pk))
    assert [row.entry_id for row in table[0].rows if row.place] == [] or True
    mentoring = next(group for group in table if group.nomination.theme == Theme.MENTORING)
    assert [row.entry.title for row in mentoring.rows] == ["Первая", "Вторая", "Третья"]
    assert mentoring.rows[2].score == Decimal("60.0000")
    with pytest.raises(ValidationError):
        services.contest_publish(actor=cast.user("staff_a"), contest=world.contest)
    assert world.contest.status == Status.PUBLISHED


def _final(cast, world, **dates):
    from datetime import date

    defaults = {
        "entries_open_on": date(YEAR, 3, 1),
        "entries_close_on": date(YEAR, 3, 15),
        "judging_close_on": date(YEAR, 3, 31),
        "results_on": date(YEAR, 4, 1),
    }
    return services.contest_create(actor=cast.user("admin"), year=YEAR, level=Level.FEDERAL, **(defaults | dates))


def test_a_regional_stage_published_while_the_final_is_judging_carries_its_winners(small, cast, clock):
    from datetime import date

    world, entries, _jurors = small
    final = _final(cast, world)
    clock.go(date(YEAR, 3, 10))
    final = services.contest_open(actor=cast.user("admin"), contest=final)
    clock.go(date(YEAR, 3, 20))
    final = services.contest_start_judging(actor=cast.user("admin"), contest=final)
    assert (
        selectors.step_consequences(world.contest)[-1]
        == "Победители (первые места) становятся участниками федерального финала этого года."
    )
    world.publish()
    assert list(final.entries.values_list("source_id", flat=True)) == [entries[0].pk]
    assert selectors.carried_to_final(world.contest) == 1 and selectors.carried_to_final(final) == 1


def test_a_final_with_published_results_takes_nobody_in_and_the_stage_says_so_first(small, cast, clock):
    from datetime import date

    world, _entries, _jurors = small
    final = _final(cast, world)
    clock.go(date(YEAR, 3, 10))
    final = services.contest_open(actor=cast.user("admin"), contest=final)
    clock.go(date(YEAR, 3, 20))
    final = services.contest_start_judging(actor=cast.user("admin"), contest=final)
    clock.go(date(YEAR, 4, 2))
    services.contest_publish(actor=cast.user("admin"), contest=final)
    assert "победители в него не переходят" in selectors.step_consequences(world.contest)[-1]
    world.publish()
    assert not final.entries.exists() and selectors.carried_to_final(world.contest) == 0


def test_a_practice_placed_at_both_stages_shows_once_in_the_library_with_both_results(small, cast, clock):
    from datetime import date

    from contests.access import library_visible_to
    from core.access import viewer_for

    world, entries, _jurors = small
    world.publish()
    final = _final(cast, world, entries_open_on=date(YEAR, 4, 16), entries_close_on=date(YEAR, 4, 20),
                   judging_close_on=date(YEAR, 4, 30), results_on=date(YEAR, 5, 1))  # fmt: skip
    final = services.contest_open(actor=cast.user("admin"), contest=final)
    (carried,) = final.entries.all()
    juror = services.juror_assign(
        actor=cast.user("admin"), contest=final, person=cast.person("host"), nominations=[carried.nomination]
    )[0]
    clock.go(date(YEAR, 4, 21))
    final = services.contest_start_judging(actor=cast.user("admin"), contest=final)
    sheet = {criterion.pk: (5, "") for criterion in final.criteria.all()}
    services.score_sheet_save(actor=cast.user("host"), juror=juror, entry=carried, scores=sheet)
    clock.go(date(YEAR, 5, 1))
    services.contest_publish(actor=cast.user("admin"), contest=final)
    page = selectors.library_page(
        library_visible_to(viewer_for(cast.user("host"))), selectors.LibraryFilters(), size=20
    )
    shown = [row.pk for row in page.rows]
    assert carried.pk in shown and entries[0].pk not in shown and len(shown) == 3  # the regional 2nd and 3rd stay
    (row,) = [row for row in page.rows if row.pk == carried.pk]
    assert (row.result.place, row.source.result.place) == (1, 1)
