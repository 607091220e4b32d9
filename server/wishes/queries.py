"""Reading wishes: the wall, my wishes, one wish — each shaped by what the caller may see."""
import math
from dataclasses import dataclass

from sqlalchemy.orm import joinedload

from ..audit.services import record_audit
from ..errors import NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from ..volunteers.models import Volunteer
from . import policies
from .models import Wish, WishStatus

M_PER_DEG = 111_320.0
# What view_of reads of each listed wish, joined into the page's one query instead of 2-3 per
# row (all many-to-one, so LIMIT/OFFSET still count wishes).
WALL_LOADS = (joinedload(Wish.owner), joinedload(Wish.claimer).joinedload(Volunteer.user))


@dataclass
class WishView:
    """A wish with the caller's view of it: contact only where DESIGN.md allows."""
    wish: Wish
    show_contact: bool = False
    show_names: bool = False
    is_manager: bool = False
    distance_m: int | None = None
    owner_phone: str | None = None
    owner_phone_verified_via: str | None = None  # only verified phones reach anyone else
    claimer_name: str | None = None


def _sq_distance(lat: float, lng: float):
    """Squared equirectangular distance in m² as a SQL expression (portable, index-free)."""
    kx = M_PER_DEG * math.cos(math.radians(lat))
    return ((Wish.lat - lat) * M_PER_DEG) * ((Wish.lat - lat) * M_PER_DEG) + \
        ((Wish.lng - lng) * kx) * ((Wish.lng - lng) * kx)


def wall_query(actor: Actor | None, filters: dict):
    """The wish wall: public statuses for everyone; a secretary may also list the others of
    their communities (e.g. status=pending_review for the review queue)."""
    query = db.select(Wish).options(*WALL_LOADS)
    status = filters.get("status")
    if status and status not in policies.PUBLIC_STATUSES:
        managed = actor.managed_communities if actor is not None else frozenset()
        query = query.where(Wish.status == status, Wish.community_id.in_(managed))
    elif status:
        query = query.where(Wish.status == status)
    else:
        query = query.where(Wish.status.in_(policies.PUBLIC_STATUSES))
    if filters.get("community_id"):
        query = query.where(Wish.community_id == filters["community_id"])
    if filters.get("category"):
        query = query.where(Wish.category == filters["category"])
    if filters.get("lat") is not None and filters.get("lng") is not None:
        radius = filters.get("radius_m") or 3000
        sq = _sq_distance(filters["lat"], filters["lng"])
        return query.where(sq <= radius * radius).order_by(sq, Wish.id)
    return query.order_by(Wish.created_at.desc(), Wish.id.desc())


def _distance(wish: Wish, lat, lng) -> int | None:
    if lat is None or lng is None:
        return None
    kx = M_PER_DEG * math.cos(math.radians(lat))
    return int(math.hypot((wish.lat - lat) * M_PER_DEG, (wish.lng - lng) * kx))


def view_of(actor: Actor | None, wish: Wish, *, lat=None, lng=None, contact=False) -> WishView:
    allowed = policies.can_see_contact(actor, wish)
    view = WishView(wish, show_contact=contact and allowed, show_names=allowed,
                    is_manager=policies.manages(actor, wish), distance_m=_distance(wish, lat, lng))
    if view.show_contact:
        owner = db.session.get(User, wish.owner_id)
        viewer = actor.user_id if actor is not None else None
        view.owner_phone = owner.phone_for(viewer)
        view.owner_phone_verified_via = owner.phone_source_for(viewer)
    if wish.claimed_by is not None:
        volunteer = db.session.get(Volunteer, wish.claimed_by)
        view.claimer_name = volunteer.user.name if volunteer else None
    return view


def get_wish(actor: Actor | None, wish_id: int) -> WishView:
    """One wish; its address and the owner's phone only to the owner, the active claimer and a
    secretary of its community — the last two reads are audited."""
    wish = db.session.get(Wish, wish_id)
    if wish is None or not policies.can_see(actor, wish):
        raise NotFound("心愿不存在")
    view = view_of(actor, wish, contact=True)
    if view.show_contact and not policies.is_owner(actor, wish):
        record_audit(actor, "wish.contact_read", "wish", wish.id,
                     scope=f"community:{wish.community_id}")
    return view


def my_wishes_query(actor: Actor, role: str | None = None):
    """Wishes I posted and wishes I claimed (now or before), newest first."""
    from .models import WishClaim
    mine = Wish.owner_id == actor.user_id
    claimed = Wish.id.in_(db.select(WishClaim.wish_id).where(
        WishClaim.volunteer_id == actor.volunteer_id)) if actor.volunteer_id else None
    if role == "owner" or claimed is None:
        condition = mine
    elif role == "volunteer":
        condition = claimed
    else:
        condition = mine | claimed
    return db.select(Wish).options(*WALL_LOADS).where(condition).order_by(
        Wish.created_at.desc(), Wish.id.desc())


def parties_of(wish_ids) -> frozenset[int]:
    """The users who posted or hold a claim on these wishes: the only callers (besides
    secretaries) for whom a wall page differs from the public one (the public cache's check)."""
    if not wish_ids:
        return frozenset()
    rows = db.session.execute(
        db.select(Wish.owner_id, Volunteer.user_id)
        .outerjoin(Volunteer, Volunteer.id == Wish.claimed_by)
        .where(Wish.id.in_(list(wish_ids)))).all()
    return frozenset(uid for row in rows for uid in row if uid is not None)


def wish_categories():
    from .models import CATEGORIES
    return [{"code": code, "name": name} for code, name in CATEGORIES.items()]


__all__ = ["WishStatus", "wall_query", "view_of", "get_wish", "my_wishes_query", "parties_of"]
