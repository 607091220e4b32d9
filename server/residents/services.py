"""代办 (acting for a resident who has no WeChat): registering the resident, and the staff who may
act for them. A secretary, grid worker or admin acts only inside their scope (the resident's grid,
or community when the resident has no grid), and never for a record they stand on both sides of."""
import uuid
from datetime import datetime

from flask import current_app

from ..audit.services import record_audit
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Consent, Grid, PhoneSource, Role, User
from ..org.imports.context import PLACEHOLDER
from ..policy import parties
from ..policy.scope import Scope, ScopeKind, actor_covers, require_covers
from ..timeutil import utcnow

STAFF = (Role.SECRETARY, Role.GRID_WORKER, Role.ADMIN)
PLACEHOLDER_DAIBAN = PLACEHOLDER + "daiban-"  # registered by staff, never logged in


def scope_of(user: User) -> Scope | None:
    """Where a resident lives in the org tree: their grid, else their community."""
    if user.grid_id is not None:
        return Scope(ScopeKind.GRID, user.grid_id)
    if user.community_id is not None:
        return Scope(ScopeKind.COMMUNITY, user.community_id)
    return None


def acts_for(actor: Actor | None, user: User | None) -> bool:
    """Staff in scope of a resident who has no WeChat (a placeholder record)."""
    if actor is None or actor.user_id is None or user is None or user.cancelled_at is not None:
        return False
    scope = scope_of(user)
    return (user.openid.startswith(PLACEHOLDER) and scope is not None
            and actor_covers(actor, scope, roles=STAFF))


def acts_for_owner(actor: Actor | None, owner_id: int) -> bool:
    """`acts_for` by the owner's id; no query for an actor who holds no staff grant."""
    if actor is None or actor.user_id is None or not any(
            role in STAFF for role, _, _ in getattr(actor, "grants", ())):
        return False
    return acts_for(actor, db.session.get(User, owner_id))


def behalf_owner(actor: Actor, resident_id: int | None) -> tuple[User, int | None]:
    """(the owner of what is being posted, who posted it for them). Without `on_behalf_of` the
    actor posts for themself; with it, the resident must be one the actor may act for (404)."""
    if resident_id is None:
        return db.session.get(User, actor.user_id), None
    user = db.session.get(User, resident_id)
    if user is None or not acts_for(actor, user):
        raise NotFound("居民不存在或不在您的管辖范围内")
    parties.require_not_party(actor, user.id, sides="resident/poster")
    return user, actor.user_id


def audit_behalf(actor: Actor, object_type: str, obj, owner_id: int, community_id: int) -> None:
    record_audit(actor, f"{object_type}.post_on_behalf", object_type, obj.id,
                 scope=f"community:{community_id}", detail={"resident_id": owner_id})


def _place(data: dict) -> tuple[Community, Grid | None]:
    grid = None
    if data.get("grid_id") is not None:
        grid = db.session.get(Grid, data["grid_id"])
        if grid is None:
            raise Invalid(errors={"grid_id": ["网格不存在"]})
        if data.get("community_id") not in (None, grid.community_id):
            raise Invalid(errors={"grid_id": ["网格不属于该社区"]})
    community_id = grid.community_id if grid else data.get("community_id")
    community = db.session.get(Community, community_id) if community_id else None
    if community is None:
        raise Invalid(errors={"community_id": ["请指定居民所在的社区或网格"]})
    if community.retired_at is not None:
        raise Conflict("社区已停用")
    return community, grid


def register_resident(actor: Actor, data: dict, *, now: datetime | None = None) -> User:
    """A secretary or grid worker in scope registers a resident who has no WeChat, with the
    privacy consent given on paper or by voice before a witness; the phone counts as verified by
    staff. Audited."""
    now = now or utcnow()
    community, grid = _place(data)
    scope = Scope(ScopeKind.GRID, grid.id) if grid else Scope(ScopeKind.COMMUNITY, community.id)
    require_covers(actor, scope, roles=STAFF, message="只能为您管辖范围内的居民代办")
    taken = db.select(User.id).where(User.phone == data["phone"], User.cancelled_at.is_(None),
                                     User.phone_verified_via.is_not(None))
    if db.session.execute(taken.limit(1)).first() is not None:
        raise Conflict("该手机号已登记", {"phone": ["该手机号已登记"]})
    user = User(openid=PLACEHOLDER_DAIBAN + uuid.uuid4().hex, name=data["name"],
                phone=data["phone"], phone_verified_via=PhoneSource.STAFF,
                address=data["address"], lat=data["lat"], lng=data["lng"],
                community_id=community.id, grid_id=grid.id if grid else None, created_at=now)
    db.session.add(user)
    db.session.flush()
    consent = data["consent"]
    db.session.add(Consent(user_id=user.id, purpose="privacy_policy", granted_at=now,
                           policy_version=current_app.config["POLICY_VERSION"],
                           method=consent["method"], witnessed_by=consent["witnessed_by"],
                           recorded_by=actor.user_id))
    record_audit(actor, "resident.register", "user", user.id, scope=str(scope),
                 detail={"consent_method": consent["method"]})
    db.session.flush()
    return user
