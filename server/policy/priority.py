"""Policy: priority — who is served first. One rule for every kind of task (wishes, home visits,
and the programmes' tasks to come): 1..5 from the household's need tier, plus one when the task
has waited long, plus one when it is due soon. Each kind names only its own clocks.

    task_priority(user.need_tier, created_at=..., due=..., now=now, waited=timedelta(days=7))
"""
from datetime import datetime, timedelta

# Household need tier (server/identity/models.User.need_tier) → the base score; no tier scores 1.
TIER_BASE = {1: 4, 2: 3, 3: 2}
DUE_SOON = timedelta(days=2)
MAX_PRIORITY = 5


def task_priority(need_tier: int | None, *, created_at: datetime, due: datetime | None,
                  now: datetime, waited: timedelta) -> int:
    """1..5: the tier's base, +1 when older than `waited`, +1 when `due` is within DUE_SOON."""
    score = TIER_BASE.get(need_tier, 1)
    if now - created_at > waited:
        score += 1
    if due is not None and due - now < DUE_SOON:
        score += 1
    return min(score, MAX_PRIORITY)
