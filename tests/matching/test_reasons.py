"""Explanations: reasons for each proposal, the binding reason for each unmatched task."""
from datetime import datetime

import pytest

from matching import Task, Volunteer, solve, solve_greedy

from .helpers import SATURDAY, local, params, place

HERE = place(0, 0)
NEAR = place(1200, 0)  # 1.2 km east
FAR = place(20000, 0)


def task(tid="wish:1", where=HERE, **kw):
    return Task(id=tid, lat=where[0], lng=where[1], **kw)


def vol(vid="vol:1", where=NEAR, **kw):
    kw.setdefault("availability", ((SATURDAY, 9 * 60, 12 * 60),))
    return Volunteer(id=vid, lat=where[0], lng=where[1], **kw)


def only_reason(tasks, vols, engine=solve):
    result = engine(tasks, vols, params())
    assert not result.proposals
    (u,) = result.unmatched
    return u


def test_proposal_explains_skill_distance_window_and_load():
    result = solve([task(skills=frozenset({"电器维修"}), community_id=3)],
                   [vol(skills=frozenset({"电器维修", "理发"}), load_this_week=1, community_id=3)], params())
    (p,) = result.proposals
    assert p.volunteer_id == "vol:1" and 1190 <= p.distance_m <= 1210
    assert p.start == local(9) and p.end == local(10)
    assert p.reasons[:5] == ["具备技能 电器维修", "距离 1.2 公里", "安排在 周六 09:00–10:00",
                             "周六 09:00–12:00 有空", "本周已有 1 项任务"]
    assert "同一社区" in p.reasons
    assert result.unmatched == []


def test_remote_task_ignores_radius_and_says_so():
    result = solve([task(in_person=False)], [vol(where=FAR, max_distance_m=1000)], params())
    (p,) = result.proposals
    assert p.reasons[1].startswith("线上/电话服务")
    assert result.stats["total_distance_m"] == 0  # no travel for remote help


@pytest.mark.parametrize("engine", [solve, solve_greedy])
def test_no_one_has_the_skill(engine):
    u = only_reason([task(skills=frozenset({"法律咨询"}))], [vol(skills=frozenset({"理发"}))], engine)
    assert u.reason == "no_skill" and "法律咨询" in u.message


def test_skilled_volunteers_all_too_far():
    u = only_reason([task(skills=frozenset({"理发"}))],
                    [vol(where=FAR, skills=frozenset({"理发"})), vol("vol:2", skills=frozenset())])
    assert u.reason == "too_far" and "20.0 公里" in u.message


def test_no_one_free_in_the_window():
    u = only_reason([task(window_start=local(8), window_end=local(9))], [vol()])
    assert u.reason == "no_time"


def test_task_longer_than_a_block_is_no_time_with_why():
    u = only_reason([task(duration_min=90)], [vol()])
    assert u.reason == "no_time" and "90 分钟" in u.message


def test_busy_interval_blocks_the_slot():
    busy = ((local(9, 30), local(12)),)
    assert only_reason([task()], [vol(busy=busy)]).reason == "no_time"


def test_everyone_feasible_is_at_capacity():
    result = solve([task("wish:1"), task("wish:2")], [vol(capacity_per_day=1)], params())
    assert len(result.proposals) == 1
    (u,) = result.unmatched
    assert u.reason == "at_capacity"
    assert only_reason([task()], [vol(capacity_per_day=0)]).reason == "at_capacity"


def test_outcompeted_when_the_only_block_is_taken():
    one_block = ((SATURDAY, 9 * 60, 10 * 60),)
    result = solve([task("wish:1", priority=1), task("wish:2", priority=5)],
                   [vol(availability=one_block, capacity_per_day=2)], params())
    (p,) = result.proposals
    assert p.task_id == "wish:2", "the urgent task wins the block"
    (u,) = result.unmatched
    assert u.task_id == "wish:1" and u.reason == "outcompeted"


def test_multi_volunteer_task_gets_distinct_people_or_says_how_many_short():
    two = solve([task(needed=2)], [vol("vol:1"), vol("vol:2", where=place(0, 900))], params())
    assert sorted(p.volunteer_id for p in two.proposals) == ["vol:1", "vol:2"]
    short = solve([task(needed=2)], [vol("vol:1", capacity_per_day=2)], params())
    assert len(short.proposals) == 1
    (u,) = short.unmatched
    assert u.message.startswith("还差 1 名志愿者")


def test_empty_inputs_give_clean_results():
    empty = solve([], [], params())
    assert empty.proposals == [] and empty.unmatched == []
    assert empty.stats["tasks"] == 0 and empty.stats["matched"] == 0 and empty.stats["status"] == "OPTIMAL"
    nobody = solve([task(), task("wish:2", skills=frozenset({"理发"}))], [], params())
    assert [u.reason for u in nobody.unmatched] == ["no_skill", "no_skill"]
    assert nobody.unmatched[0].message == "当前没有可用的志愿者"
    idle = solve([], [vol()], params())
    assert idle.proposals == [] and idle.stats["volunteers"] == 1
    for key in ("tasks", "volunteers", "arcs", "matched", "unmatched", "total_distance_m",
                "build_ms", "solve_ms", "total_ms", "status"):
        assert key in empty.stats and key in nobody.stats


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        solve([task(), task()], [vol()], params())
    with pytest.raises(ValueError):
        solve([task(window_start=datetime(2025, 6, 7, 9))], [vol()], params())
    with pytest.raises(ValueError):
        solve([task(needed=0)], [vol()], params())
