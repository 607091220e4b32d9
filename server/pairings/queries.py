"""Reads of pairings, scope-filtered in SQL, and the secretary's workbench count of overdue
visits (a function the console calls)."""
from datetime import datetime

from ..database import rows_of
from ..errors import NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..policy.scope import ScopeKind, covered_ids
from ..timeutil import utcnow
from .models import Pairing, PairingStatus, PairingVisit
from .policies import STAFF, manages_community


def _staff_communities(actor: Actor, community_id: int | None):
    if community_id is not None:
        if not manages_community(actor, community_id):
            raise NotFound("社区不存在或不在您的管辖范围")
        return [community_id]
    return sorted(covered_ids(actor, STAFF)[ScopeKind.COMMUNITY])


def list_pairings(actor: Actor, community_id: int | None = None, status: str | None = None,
                  overdue: bool | None = None, *, now: datetime | None = None):
    """Staff: pairings of households in scope; a volunteer: their own (404 for a community)."""
    now = now or utcnow()
    if actor.is_secretary or actor.is_system:
        query = db.select(Pairing)
        if not actor.is_system or community_id is not None:
            query = query.where(Pairing.community_id.in_(_staff_communities(actor, community_id)))
    elif actor.volunteer_id is not None and community_id is None:
        query = db.select(Pairing).where(Pairing.volunteer_id == actor.volunteer_id)
    else:
        raise NotFound("社区不存在或不在您的管辖范围")
    if status is not None:
        query = query.where(Pairing.status == status)
    if overdue:
        query = query.where(Pairing.status == PairingStatus.ACTIVE, Pairing.next_visit_due < now)
    return query.order_by(Pairing.id.desc())


def overdue_visits(actor: Actor, community_id: int | None = None,
                   *, now: datetime | None = None) -> dict:
    """The workbench: active pairings in scope whose visit is overdue, per community."""
    now = now or utcnow()
    if not (actor.is_secretary or actor.is_system):
        raise NotFound("社区不存在或不在您的管辖范围")
    query = (db.select(Pairing.community_id, db.func.count())
             .where(Pairing.status == PairingStatus.ACTIVE, Pairing.next_visit_due < now)
             .group_by(Pairing.community_id).order_by(Pairing.community_id))
    if not actor.is_system or community_id is not None:
        query = query.where(Pairing.community_id.in_(_staff_communities(actor, community_id)))
    per = [{"community_id": c, "overdue": n} for c, n in db.session.execute(query).all()]
    return {"overdue": sum(row["overdue"] for row in per), "communities": per}


def pairings_of(volunteer_id: int) -> list[Pairing]:
    return rows_of(Pairing, Pairing.volunteer_id == volunteer_id)


def visits_of(volunteer_id: int) -> list[PairingVisit]:
    return rows_of(PairingVisit, PairingVisit.volunteer_id == volunteer_id)


def active_households(community_ids) -> set[int]:
    return set(db.session.execute(db.select(Pairing.household_id).where(
        Pairing.status == PairingStatus.ACTIVE,
        Pairing.community_id.in_(list(community_ids)))).scalars())


def standing_loads() -> dict[int, int]:
    """Active pairings per volunteer."""
    return dict(db.session.execute(db.select(Pairing.volunteer_id, db.func.count())
                                   .where(Pairing.status == PairingStatus.ACTIVE)
                                   .group_by(Pairing.volunteer_id)).all())
