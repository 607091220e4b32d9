"""Reasons in Chinese: why each proposal fits, and what blocked each unmatched task."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import numpy as np

from .candidates import Candidates
from .model import Proposal, Unmatched
from .prep import WEEKDAYS, Problem, unpack_bits


def km(m: int) -> str:
    return f"{m / 1000:.1f} 公里" if m >= 1000 else f"{int(m)} 米"


def hm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _by_key(keys: np.ndarray, make) -> list:
    """make(key) once per distinct key, spread back to every row."""
    if len(keys) == 0:
        return []
    uniq, inv = np.unique(keys, return_inverse=True)
    return np.array([make(int(k)) for k in uniq] + [None], dtype=object)[:-1][inv.reshape(-1)].tolist()


def _slot_text(pr: Problem, key: int) -> str:
    t, dur = divmod(key, 1 << 20)
    local = int(pr.grid.local_min[t])
    return f"安排在 {WEEKDAYS[pr.grid.weekday[t]]} {hm(local)}–{hm(local + dur)}"


def _window_text(pr: Problem, key: int) -> str:
    pattern, w = divmod(key, 1 << 16)
    if w < 2:  # -2 (+2): no declared windows
        return "未填写空闲时段，默认可约"
    wd, a, b = pr.patterns[pattern][w - 2]
    return f"{WEEKDAYS[wd]} {hm(a)}–{hm(b)} 有空"


def _distance_text(key: int) -> str:
    shown, remote = divmod(key, 2)
    d = shown if shown < 1000 else (shown - 1000) * 100
    return f"线上/电话服务，不限距离（相距 {km(d)}）" if remote else f"距离 {km(d)}"


def proposals(pr: Problem, task, vol, slot, cost, dist) -> list[Proposal]:
    """One Proposal per chosen arc, with its reasons; strings are made once per distinct value."""
    dur = pr.t_dur[task]
    slot_key = slot * (1 << 20) + dur
    skills = [pr.tasks[i].skills for i in task.tolist()]
    skill_txt = {s: f"具备技能 {'、'.join(sorted(s))}" if s else "无需专门技能" for s in set(skills)}
    when = _by_key(slot_key, lambda k: _slot_text(pr, k))
    ends = _by_key(slot_key, lambda k: pr.grid.starts[k >> 20] + timedelta(minutes=k & ((1 << 20) - 1)))
    window = _by_key(pr.v_pattern[vol] * (1 << 16) + pr.v_window[vol, slot] + 2, lambda k: _window_text(pr, k))
    load = _by_key(pr.v_load[vol], lambda n: f"本周已有 {n} 项任务" if n else "本周暂无任务")
    shown = np.where(dist < 1000, dist, 1000 + np.rint(dist / 100.0).astype(np.int64))  # as km() prints
    far = _by_key(shown * 2 + ~pr.t_in_person[task], _distance_text)
    runs = np.bincount(vol, minlength=len(pr.vols))[vol].tolist() if len(vol) else []
    same = ((pr.t_comm[task] >= 0) & (pr.t_comm[task] == pr.v_comm[vol])).tolist()
    t_ids = [pr.tasks[i].id for i in task.tolist()]
    v_ids = [pr.vols[v].id for v in vol.tolist()]
    starts = [pr.grid.starts[t] for t in slot.tolist()]
    out = []
    rows = zip(t_ids, v_ids, starts, ends, dist.tolist(), cost.tolist(), skills, far, when, window, load, runs, same)
    for ti, vi, st, end, d, c, sk, fa, wh, wi, lo, n, sa in rows:
        reasons = [skill_txt[sk], fa, wh, wi, lo]
        if n > 1:
            reasons.append(f"本次共安排 {n} 项")
        if sa:
            reasons.append("同一社区")
        out.append(Proposal(ti, vi, st, end, d, c, reasons))
    return out


def _no_time_message(pr: Problem, i: int) -> str:
    dur = int(pr.t_dur[i])
    if dur > pr.grid.length:
        return f"任务时长 {dur} 分钟超过排班时段 {pr.grid.length} 分钟"
    if not pr.t_slots[i].any():
        return "任务时间窗内没有可排班的时段"
    return "具备技能且在服务半径内的志愿者，在任务时间窗内都没有空闲时段"


class _Usage:
    """What the assignment used up: blocks taken, and tasks per volunteer-day."""

    def __init__(self, pr: Problem, vol, slot):
        self.slots = set(zip(vol.tolist(), slot.tolist()))
        self.days = Counter(zip(vol.tolist(), pr.grid.day[slot].tolist()))

    def day_full(self, pr: Problem, v: int, t: int) -> bool:
        return self.days[(v, int(pr.grid.day[t]))] >= pr.v_cap[v]


def _capacity_or_outcompeted(pr, c: Candidates, use: _Usage, i: int, serving: set) -> tuple[str, str]:
    lo, hi = np.searchsorted(c.task, [i, i + 1])
    vols = [v for v in c.vol[lo:hi].tolist() if v not in serving]
    for v in vols:
        blocks = np.flatnonzero(unpack_bits((pr.t_slots[i] & pr.v_slots[v])[None, :], pr.n_slots)[0])
        if any(not use.day_full(pr, v, int(t)) for t in blocks):
            return "outcompeted", "符合条件的志愿者已安排给更紧急或更近的任务"
    return "at_capacity", "符合条件的志愿者当天任务已满"


def why_unmatched(pr: Problem, c: Candidates, use: _Usage, i: int, serving: set) -> tuple[str, str]:
    task = pr.tasks[i]
    if not c.has_skill[i]:
        if not pr.vols or not task.skills:
            return "no_skill", "当前没有可用的志愿者"
        return "no_skill", f"没有志愿者具备所需技能：{'、'.join(sorted(task.skills))}"
    if not c.has_near[i]:
        return "too_far", f"具备技能的志愿者都不在各自服务半径内（最近约 {km(int(c.nearest_skilled_m[i]))}）"
    if not c.has_time[i]:
        return "no_time", _no_time_message(pr, i)
    return _capacity_or_outcompeted(pr, c, use, i, serving)


def unmatched(pr: Problem, c: Candidates, task, vol, slot) -> list[Unmatched]:
    served = np.bincount(task, minlength=len(pr.tasks))
    short = np.flatnonzero(served < pr.t_needed)
    if not len(short):
        return []
    use = _Usage(pr, vol, slot)
    out = []
    for i in short.tolist():
        serving = set(vol[task == i].tolist()) if served[i] else set()
        code, msg = why_unmatched(pr, c, use, i, serving)
        if served[i]:
            msg = f"还差 {int(pr.t_needed[i] - served[i])} 名志愿者：{msg}"
        out.append(Unmatched(task_id=pr.tasks[i].id, reason=code, message=msg))
    return out
