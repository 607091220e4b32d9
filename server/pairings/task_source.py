"""Unpaired households as a task source, in the shape of server/matching_runs/sources.py.

Why it is NOT added to `SOURCES`: the matching runs solve one-off tasks in time slots (a visit
this week) and store MatchProposal rows whose task types are wishes and orders; a pairing is
long-term, has no slot, and its cost counts each volunteer's standing load of pairings. Put in
SOURCES, every scheduled matching run would offer households to volunteers as one-off visits.
And `matching_runs` sits below `pairings` (docs/architecture.md), so it may not import this
module. Pairing proposals (server/pairings/proposals.py) therefore use this source directly with
their own costs and the engine's min-cost-flow solver, and are reviewed like matching proposals.
"""
from datetime import datetime

import matching

from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, User
from ..orders.models import ServiceOrder
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import Wish
from .models import Pairing, PairingKind, PairingStatus
from .queries import active_households
from .services import create_pairing, finish


def needs_of(household_ids) -> dict[int, frozenset[str]]:
    """The skills each household's wishes and orders have asked for."""
    needs: dict[int, set[str]] = {h: set() for h in household_ids}
    ids = list(needs)
    rows = [*db.session.execute(db.select(Wish.owner_id, Wish.skills).where(Wish.owner_id.in_(ids))),
            *db.session.execute(db.select(ServiceOrder.resident_id, ServiceOrder.skills)
                                .where(ServiceOrder.resident_id.in_(ids)))]
    for owner, skills in rows:
        needs[owner].update(s for s in (skills or []) if isinstance(s, str))
    return {h: frozenset(s) for h, s in needs.items()}


def unpaired_households(community_ids) -> list[User]:
    """Households (residents with a registered need tier) with no active pairing, no volunteers."""
    paired = active_households(community_ids)
    volunteers = db.select(Volunteer.user_id).where(Volunteer.status == VolunteerStatus.ACTIVE)
    rows = db.session.execute(db.select(User).where(
        User.community_id.in_(list(community_ids)), User.need_tier.is_not(None),
        User.cancelled_at.is_(None), User.id.not_in(volunteers)).order_by(User.id)).scalars()
    return [u for u in rows if u.id not in paired]


def position(user: User) -> tuple[float, float]:
    """The household's home, or its community's centre when none is recorded."""
    if user.lat is not None and user.lng is not None:
        return user.lat, user.lng
    community = db.session.get(Community, user.community_id)
    return community.lat, community.lng


class PairingSource:
    task_type = "pairing"

    def open_tasks(self, community_ids, now: datetime) -> list[matching.Task]:
        households = unpaired_households(community_ids)
        needs = needs_of([h.id for h in households])
        return [matching.Task(id=f"pairing:{h.id}", lat=position(h)[0], lng=position(h)[1],
                              skills=needs[h.id], community_id=h.community_id)
                for h in households]

    def get(self, task_id: int):
        return db.session.get(User, task_id)

    def assign(self, actor: Actor, task_id: int, volunteer_id: int, *, now: datetime,
               kind: str = PairingKind.ONE_TO_ONE, visit_every_days: int = 30,
               proposal_id: int | None = None) -> Pairing:
        return create_pairing(actor, {"household_id": task_id, "volunteer_id": volunteer_id,
                                      "kind": kind, "visit_every_days": visit_every_days},
                              proposal_id=proposal_id, now=now)

    def release(self, actor: Actor, task_id: int, reason: str, *, now: datetime) -> None:
        for pairing in db.session.execute(db.select(Pairing).where(
                Pairing.household_id == task_id, Pairing.status == PairingStatus.ACTIVE)
                .with_for_update()).scalars():
            finish(actor, pairing, reason, now=now)


SOURCE = PairingSource()
