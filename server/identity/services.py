"""Identity services: login, the acting user, profile, org tree, consents."""
from datetime import datetime

from ..audit.services import record_audit
from ..errors import Forbidden, Invalid, NotFound, RateLimited, Unauthorized, Unavailable
from ..extensions import db
from ..policy.scope import single_scope
from ..timeutil import utcnow
from ..wechat import errors as wx
from ..wechat.gateway import get_wechat
from .actor import Actor
from .models import Community, Consent, PhoneSource, Role, RoleGrant, Street, Unit, User
from .skills import list_skills  # noqa: F401  (re-exported: the console reads it here)
from .tokens import issue_token

# contact_card: 爱心联系卡, a donor and a household linked with both sides' consent (donations)
CONSENT_PURPOSES = ("privacy_policy", "location", "phone", "hardship", "contact_card")
GRANT_SCOPE_COLUMNS = ("community_id", "street_id", "district_id", "grid_id", "unit_id",
                       "station_id")
MANAGER_ROLES = (Role.SECRETARY, Role.ADMIN)  # roles whose scope makes `Actor.managed_communities`


def login_with_wechat(code: str, *, secret: str, ttl_s: int, now: datetime | None = None):
    """Exchange a WeChat login code for our own token; first login creates a resident."""
    try:
        session = get_wechat().code2session(code)
    except (wx.InvalidCode, wx.CodeUsed):
        raise Unauthorized("登录凭证无效或已使用，请重新登录")
    except wx.RateLimited:
        raise RateLimited("登录过于频繁，请稍后再试")
    except wx.RiskyUser:
        raise Forbidden("该微信账号存在风险，暂时无法登录")
    except wx.WeChatError:
        raise Unavailable("微信服务暂时不可用，请稍后再试")
    openid = session["openid"]
    user = db.session.execute(db.select(User).filter_by(openid=openid)).scalar_one_or_none()
    if user is None:
        user = User(openid=openid, name="", created_at=now or utcnow())
        db.session.add(user)
        db.session.flush()
    return user, issue_token(user.id, secret, ttl_s, now=now)


def _communities_under(street_ids=(), district_ids=()) -> set[int]:
    query = db.select(Community.id).join(Street).where(
        Street.id.in_(street_ids) | Street.district_id.in_(district_ids))
    return set(db.session.execute(query).scalars())


def load_actor(user_id: int, request_id: str | None = None) -> Actor:
    """The acting user with roles and scope read fresh from the database (revocation is instant).

    One statement: the user, their volunteer profile and their live grants (a row per grant).
    A grant that does not name exactly one scope gives nothing (server/policy/scope.py)."""
    from ..volunteers.models import (  # cycle: volunteers imports identity (a later layer)
        Volunteer,
        VolunteerStatus,
    )
    rows = db.session.execute(
        db.select(User.community_id, Volunteer.id, Volunteer.status, RoleGrant.role,
                  *(getattr(RoleGrant, c) for c in GRANT_SCOPE_COLUMNS))
        .outerjoin(Volunteer, Volunteer.user_id == User.id)
        .outerjoin(RoleGrant, (RoleGrant.user_id == User.id) & RoleGrant.revoked_at.is_(None))
        .where(User.id == user_id, User.cancelled_at.is_(None))).all()  # 注销: 401 at once
    if not rows:
        raise Unauthorized("账号不存在，请重新登录")
    roles, grants = {Role.RESIDENT}, set()
    for row in rows:
        scope = single_scope(dict(zip(GRANT_SCOPE_COLUMNS, row[4:]))) if row[3] else None
        if scope is not None:
            roles.add(row[3])
            grants.add((row[3], str(scope.kind), scope.id))
    managed = _managed_communities(grants)
    home, volunteer_id, volunteer_status = rows[0][:3]
    if volunteer_status == VolunteerStatus.ACTIVE:
        roles.add(Role.VOLUNTEER)
    top = next((r for r in (Role.ADMIN, Role.SECRETARY, Role.VOLUNTEER) if r in roles), Role.RESIDENT)
    return Actor(user_id=user_id, roles=frozenset(roles), managed_communities=frozenset(managed),
                 grants=frozenset(grants), volunteer_id=volunteer_id,
                 volunteer_status=volunteer_status, community_id=home, request_id=request_id,
                 acting_role=top)


def _managed_communities(grants) -> set[int]:
    """Communities wholly under the actor's secretary or admin grants."""
    managed, streets, districts = set(), set(), set()
    for role, kind, ident in grants:
        if role not in MANAGER_ROLES:
            continue
        {"community": managed, "street": streets, "district": districts}.get(kind, set()).add(ident)
    if streets or districts:
        managed |= _communities_under(streets, districts)
    return managed


def manager_user_ids() -> frozenset[int]:
    """Users holding a live secretary or admin grant (who may see more than the public does)."""
    return frozenset(db.session.execute(
        db.select(RoleGrant.user_id).where(RoleGrant.revoked_at.is_(None)).distinct()).scalars())


def get_me(actor: Actor) -> User:
    return db.session.get(User, actor.user_id)


def update_me(actor: Actor, changes: dict) -> User:
    """Edit one's own profile; a community must exist, coordinates come in pairs. A phone typed
    in here is unverified (never shown to others) unless it is the number already verified."""
    user = db.session.get(User, actor.user_id)
    if "phone" in changes and changes["phone"] != user.phone:
        user.phone_verified_via = None
    if "community_id" in changes and changes["community_id"] is not None:
        if db.session.get(Community, changes["community_id"]) is None:
            raise Invalid(errors={"community_id": ["社区不存在"]})
    if ("lat" in changes) != ("lng" in changes):
        raise Invalid("经纬度需要同时提供", {"lat": ["经纬度需要同时提供"]})
    for key, value in changes.items():
        setattr(user, key, value)
    db.session.flush()
    return user


def list_communities():
    """The public list of communities: a retired community is no longer offered to residents."""
    return db.select(Community).join(Street).where(Community.retired_at.is_(None)) \
        .order_by(Community.id)


def bind_phone_from_wechat(actor: Actor, code: str) -> User:
    """Set one's phone from WeChat's getPhoneNumber code (the number the user bound in WeChat)."""
    try:
        number = get_wechat().phone_number(code)
    except (wx.InvalidCode, wx.CodeUsed):
        raise Invalid("手机号授权码无效或已使用，请重新授权", {"code": ["授权码无效"]})
    except wx.RateLimited:
        raise RateLimited("操作过于频繁，请稍后再试")
    except wx.WeChatError:
        raise Unavailable("微信服务暂时不可用，请稍后再试")
    user = db.session.get(User, actor.user_id)
    user.phone, user.phone_verified_via = number["pure_phone"], PhoneSource.WECHAT
    db.session.flush()
    # 代办: the record staff registered for me
    from ..residents.claim import claim_placeholder
    claim_placeholder(actor, user)
    return user


def list_units():
    return db.select(Unit).order_by(Unit.id)


def has_consent(user_id: int, purpose: str) -> bool:
    row = db.session.execute(db.select(Consent.id).filter_by(
        user_id=user_id, purpose=purpose, withdrawn_at=None).limit(1)).first()
    return row is not None


def give_consent(actor: Actor, purpose: str, policy_version: str, *, now=None) -> Consent:
    """Record a consent; a repeat for the same purpose and version is a no-op."""
    existing = db.session.execute(db.select(Consent).filter_by(
        user_id=actor.user_id, purpose=purpose, policy_version=policy_version,
        withdrawn_at=None)).scalar_one_or_none()
    if existing:
        return existing
    consent = Consent(user_id=actor.user_id, purpose=purpose, policy_version=policy_version,
                      granted_at=now or utcnow())
    db.session.add(consent)
    db.session.flush()
    return consent


def withdraw_consent(actor: Actor, purpose: str, *, now=None) -> list[Consent]:
    """Withdraw every active consent for a purpose; withdrawing hardship consent erases the tier."""
    if purpose not in CONSENT_PURPOSES:  # nothing to look up
        raise NotFound("没有可撤回的授权")
    rows = db.session.execute(db.select(Consent).filter_by(
        user_id=actor.user_id, purpose=purpose, withdrawn_at=None)).scalars().all()
    if not rows:
        raise NotFound("没有可撤回的授权")
    for row in rows:
        row.withdrawn_at = now or utcnow()
    if purpose == "hardship":
        db.session.get(User, actor.user_id).need_tier = None
    record_audit(actor, "consent.withdraw", "user", actor.user_id, detail={"purpose": purpose})
    db.session.flush()
    return rows


def list_consents(actor: Actor) -> list[Consent]:
    return db.session.execute(db.select(Consent).filter_by(user_id=actor.user_id)
                              .order_by(Consent.id)).scalars().all()
