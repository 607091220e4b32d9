"""Reading wishes: the wall, my wishes, one wish — each shaped by what the caller may see."""
from dataclasses import dataclass

from sqlalchemy.orm import joinedload

from ..audit.services import record_audit
from ..errors import NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from ..policy import location
from ..privacy import mask_name
from ..volunteers.models import Volunteer
from . import policies
from .models import CATEGORIES, Wish, WishClaim, WishStatus

# What view_of reads of each listed wish, joined into the page's one query instead of 2-3 per
# row (all many-to-one, so LIMIT/OFFSET still count wishes).
WALL_LOADS = (joinedload(Wish.owner), joinedload(Wish.claimer).joinedload(Volunteer.user))


@dataclass
class WishContact:
    name: str
    phone: str | None
    address: str | None
    lat: float
    lng: float
    phone_verified_via: str | None = None  # only verified phones reach anyone but the owner


@dataclass
class WishView(location.PubliclyPlaced):
    """A wish as one caller may see it: every field the caller may not see is None here, so the
    schema only lays it out (DESIGN.md privacy rules; issue 10 findings 2, 15, 19)."""
    wish: Wish
    owner_name: str
    place: location.PublicPlace
    is_manager: bool = False
    contact: WishContact | None = None
    claimed_by: int | None = None
    claimed_by_name: str | None = None
    fulfil_note: str | None = None
    fulfil_photos: list | None = None
    rating: int | None = None
    thanks: str | None = None
    priority: int | None = None
    content_check: str | None = None
    review_reason: str | None = None

    @property
    def category_name(self) -> str | None:
        return CATEGORIES.get(self.wish.category)


def wall_query(actor: Actor | None, filters: dict):
    """The wish wall: public statuses for everyone; a secretary may also list the others of
    their communities (e.g. status=pending_review for the review queue). Distance filters and
    ordering work from coarse positions only (server/policy/location.py)."""
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
        return location.near(query, Wish.lat, Wish.lng, filters["lat"], filters["lng"],
                             filters.get("radius_m"), Wish.id)
    return query.order_by(Wish.created_at.desc(), Wish.id.desc())


def _proof(view: WishView, actor: Actor | None) -> None:
    """Who claimed it and the proof of help: to the owner, the claimer and a secretary only."""
    wish = view.wish
    if not policies.is_party(actor, wish):
        return
    view.claimed_by = wish.claimed_by
    claimer = db.session.get(Volunteer, wish.claimed_by) if wish.claimed_by is not None else None
    view.claimed_by_name = claimer.user.name if claimer is not None else None
    view.fulfil_note, view.fulfil_photos = wish.fulfil_note, list(wish.fulfil_photos or [])
    view.rating, view.thanks = wish.rating, wish.thanks


def view_of(actor: Actor | None, wish: Wish, *, lat=None, lng=None, contact=False) -> WishView:
    allowed = policies.can_see_contact(actor, wish)
    manager = policies.manages(actor, wish)
    near_point = (lat, lng) if lat is not None and lng is not None else None
    view = WishView(wish, owner_name=wish.owner.name if allowed else mask_name(wish.owner.name),
                    place=location.public_place(wish.lat, wish.lng, near_point),
                    is_manager=manager)
    if contact and allowed:
        owner = db.session.get(User, wish.owner_id)
        viewer = actor.user_id if actor is not None else None
        view.contact = WishContact(owner.name, owner.phone_for(viewer), wish.address, wish.lat,
                                   wish.lng, owner.phone_source_for(viewer))
    _proof(view, actor)
    if manager:
        view.priority, view.content_check = wish.priority, wish.content_check
    if manager or allowed:
        view.review_reason = wish.review_reason
    return view


def get_wish(actor: Actor | None, wish_id: int) -> WishView:
    """One wish; its address and the owner's phone only to the owner, the active claimer and a
    secretary of its community — the last two reads are audited."""
    wish = db.session.get(Wish, wish_id)
    if wish is None or not policies.can_see(actor, wish):
        raise NotFound("心愿不存在")
    view = view_of(actor, wish, contact=True)
    if view.contact is not None and not policies.is_owner(actor, wish):
        record_audit(actor, "wish.contact_read", "wish", wish.id,
                     scope=f"community:{wish.community_id}")
    return view


def my_wishes_query(actor: Actor, role: str | None = None):
    """Wishes I posted and wishes I claimed (now or before), newest first."""
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
    return [{"code": code, "name": name} for code, name in CATEGORIES.items()]


__all__ = ["WishStatus", "wall_query", "view_of", "get_wish", "my_wishes_query", "parties_of"]
