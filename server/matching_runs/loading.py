"""From rows to the engine's plain dataclasses: open tasks and available volunteers in a scope."""
from datetime import datetime

import matching

from ..extensions import db
from ..identity.models import User
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import ClaimStatus, Wish, WishClaim, WishStatus
from ..wishes.services import compute_priority, max_active_claims

# Tasks needing only these skills can be done by phone: no distance rule.
REMOTE_SKILLS = frozenset({"legal_advice", "counselling"})
DEFAULT_WINDOW_DAYS = 7


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def wish_tasks(community_ids, now: datetime) -> list[matching.Task]:
    rows = db.session.execute(
        db.select(Wish, User.need_tier).join(User, User.id == Wish.owner_id)
        .where(Wish.status == WishStatus.OPEN, Wish.community_id.in_(community_ids))
        .order_by(Wish.id)).all()
    tasks = []
    for wish, tier in rows:
        skills = frozenset(wish.skills or ())
        tasks.append(matching.Task(
            id=f"wish:{wish.id}", lat=wish.lat, lng=wish.lng, skills=skills,
            window_start=wish.window_start, window_end=wish.window_end or wish.needed_by,
            duration_min=min(wish.duration_min, 60),
            priority=compute_priority(tier, wish.created_at, wish.needed_by, now),
            in_person=not (skills and skills <= REMOTE_SKILLS), community_id=wish.community_id))
    return tasks


def order_tasks(community_ids, now: datetime) -> list[matching.Task]:
    """Home-visit orders with no chosen provider."""
    from ..orders.queries import unassigned_home_visits
    return [matching.Task(
        id=f"order:{v.order_id}", lat=v.lat, lng=v.lng, skills=frozenset(v.skills),
        window_start=v.window_start, window_end=v.window_end,
        duration_min=min(v.duration_min, 60), priority=v.priority, in_person=True,
        community_id=v.community_id) for v in unassigned_home_visits(community_ids, now=now)]


def available_volunteers(community_ids) -> list[matching.Volunteer]:
    """Active volunteers reporting to the scope, minus those already at their claim limit;
    the windows of tasks they hold are passed as busy so nothing overlaps."""
    rows = db.session.execute(db.select(Volunteer).where(
        Volunteer.status == VolunteerStatus.ACTIVE, Volunteer.community_id.in_(community_ids))
        .order_by(Volunteer.id)).scalars().all()
    held = dict(db.session.execute(
        db.select(WishClaim.volunteer_id, db.func.count()).where(WishClaim.status == ClaimStatus.ACTIVE)
        .group_by(WishClaim.volunteer_id)).all())
    busy = _busy_intervals()
    limit = max_active_claims()
    volunteers = []
    for row in rows:
        if held.get(row.id, 0) >= limit:
            continue
        volunteers.append(matching.Volunteer(
            id=f"vol:{row.id}", lat=row.lat, lng=row.lng, skills=frozenset(row.skills or ()),
            availability=tuple(sorted((w["weekday"], _minutes(w["start"]), _minutes(w["end"]))
                                      for w in row.availability or ())),
            capacity_per_day=row.capacity_per_day, max_distance_m=row.max_distance_m,
            load_this_week=held.get(row.id, 0), community_id=row.community_id,
            busy=tuple(busy.get(row.id, ()))))
    return volunteers


def _busy_intervals() -> dict[int, list[tuple[datetime, datetime]]]:
    """Times volunteers have already given: claimed wishes with a window, accepted orders."""
    from ..orders.models import OrderStatus, ServiceOrder
    wishes = db.session.execute(db.select(Wish.claimed_by, Wish.window_start, Wish.window_end).where(
        Wish.status == WishStatus.CLAIMED, Wish.window_start.is_not(None))).all()
    orders = db.session.execute(
        db.select(ServiceOrder.provider_id, ServiceOrder.window_start, ServiceOrder.window_end)
        .where(ServiceOrder.status == OrderStatus.ACCEPTED, ServiceOrder.provider_id.is_not(None))).all()
    busy: dict[int, list] = {}
    for volunteer_id, start, end in [*wishes, *orders]:
        busy.setdefault(volunteer_id, []).append((start, end))
    return busy


def tasks_awaiting_review() -> set[str]:
    """Task ids ("wish:12") with a proposal still waiting for a secretary."""
    from .models import MatchProposal, ProposalStatus
    rows = db.session.execute(db.select(MatchProposal.task_type, MatchProposal.task_id)
                              .where(MatchProposal.status == ProposalStatus.PROPOSED)).all()
    return {f"{kind}:{task_id}" for kind, task_id in rows}
