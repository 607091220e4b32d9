"""代办 (acting for a resident who has no WeChat): registering the resident. Who may act for them
is server/identity/behalf.py (re-exported here)."""
import uuid
from datetime import datetime

from flask import current_app

from ..audit.services import record_audit
from ..errors import Conflict, Invalid
from ..extensions import db
from ..identity.actor import Actor
from ..identity.behalf import (  # noqa: F401  (re-exported: 代办's checks live in identity)
    PLACEHOLDER_DAIBAN,
    STAFF,
    acts_for,
    acts_for_owner,
    audit_behalf,
    behalf_owner,
    scope_of,
)
from ..identity.models import Community, Consent, Grid, PhoneSource, User
from ..policy.scope import Scope, ScopeKind, require_covers
from ..timeutil import utcnow


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
