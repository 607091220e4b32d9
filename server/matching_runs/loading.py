"""From rows to the engine's plain dataclasses: open tasks and available volunteers in a scope."""
from datetime import datetime

import matching

from ..extensions import db
from ..orders.models import OrderStatus, ServiceOrder
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import ClaimStatus, Wish, WishClaim, WishStatus
from ..wishes.services import max_active_claims
from .models import MatchProposal, ProposalStatus

DEFAULT_WINDOW_DAYS = 7


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


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
    rows = db.session.execute(db.select(MatchProposal.task_type, MatchProposal.task_id)
                              .where(MatchProposal.status == ProposalStatus.PROPOSED)).all()
    return {f"{kind}:{task_id}" for kind, task_id in rows}
