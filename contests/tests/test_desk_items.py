"""What contests put on each person's desk: deadlines for secretaries, entries left for jurors,
the stage and its blocker for those who run a contest."""

from contests.selectors import desk_items
from contests.tests.conftest import JUDGING, YEAR
from core.access import viewer_for


def _titles(cast, role):
    return {item.title: item for item in desk_items(viewer_for(cast.user(role)))}


def test_a_secretary_is_asked_to_enter_an_open_contest_then_to_submit_the_draft(cast, world):
    world.open()
    items = _titles(cast, "secretary")
    item = items[f"{world.contest.name}: идёт приём заявок"]
    assert item.detail == f"до 15 марта {YEAR}"
    world.enter(submit=False, title="Школа секретаря")
    assert "Подайте заявку «Школа секретаря»" in _titles(cast, "secretary")
    assert not [title for title in _titles(cast, "secretary") if "приём заявок" in title]


def test_a_juror_sees_the_entries_left_to_score_never_their_own_branch_s(cast, world, django_assert_num_queries):
    world.assign("juror")
    world.open()
    world.enter()
    world.start_judging()
    item = _titles(cast, "juror")[f"Заявки на оценку: {world.contest.name}"]
    assert item.count == 1 and item.detail == f"оценка завершается 10 апреля {YEAR}"
    world.score(world.contest.jurors.get(), world.contest.entries.get(), [5] * len(world.criteria()))
    assert not [title for title in _titles(cast, "juror") if title.startswith("Заявки на оценку")]


def test_the_runner_sees_the_stage_and_what_blocks_the_next_step(cast, world):
    item = _titles(cast, "staff_a")[world.contest.name]
    assert item.detail == f"черновик · Приём заявок открывается 1 марта {YEAR}: открыть конкурс можно с этого дня."
    world.clock.go(JUDGING.replace(day=1, month=3))
    assert f"{world.contest.name}: можно сделать следующий шаг" in _titles(cast, "staff_a")
    assert not [item for item in desk_items(viewer_for(cast.user("staff_b"))) if item.app == "contests"]


def test_the_administrator_sees_this_year_s_regional_stages_by_stage(cast, world):
    world.open()
    item = _titles(cast, "admin")["Региональные этапы этого года"]
    assert (item.count, item.detail) == (1, "приём заявок: 1")
