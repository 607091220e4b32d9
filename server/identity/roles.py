"""Granting and revoking roles (CLI and admins), and the hardship need tier (secretaries)."""
from dataclasses import dataclass

from sqlalchemy import false, or_
from sqlalchemy.exc import IntegrityError

from ..audit.services import record_audit
from ..database import add_once
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..policy import parties
from ..policy.scope import (
    ROLE_SCOPE_KINDS,
    SCOPE_COLUMNS,
    VOLUNTEER_SCOPE_KINDS,
    Scope,
    ScopeKind,
    actor_covers,
    covered_ids,
    is_system,
    require_covers,
    scope_exists,
    single_scope,
)
from ..timeutil import utcnow
from .actor import Actor
from .models import PhoneSource, Role, RoleGrant, User
from .services import has_consent

GRANTABLE = (Role.VOLUNTEER, *ROLE_SCOPE_KINDS)
GRANTERS = (Role.ADMIN,)  # the role whose scope must contain a grant's scope


@dataclass(frozen=True)
class GrantResult:
    user_id: int
    role: str
    community_id: int | None
    street_id: int | None
    district_id: int | None
    grant_id: int | None = None
    volunteer_id: int | None = None
    grid_id: int | None = None
    unit_id: int | None = None
    station_id: int | None = None


def _user_by_openid(openid: str) -> User:
    query = db.select(User).filter_by(openid=openid)
    user = db.session.execute(query).scalar_one_or_none()
    if user is None:
        try:
            with db.session.begin_nested():  # a concurrent grant may create the same user
                user = User(openid=openid, name="")
                db.session.add(user)
        except IntegrityError:
            user = db.session.execute(query).scalar_one_or_none()
            if user is None:
                raise Conflict("数据冲突，请刷新后重试")
    return user


def grant_scope(role: str, given: dict[str, int | None]) -> Scope:
    """The one scope a grant names, of a kind its role takes, that exists (422 otherwise)."""
    kinds = VOLUNTEER_SCOPE_KINDS if role == Role.VOLUNTEER else ROLE_SCOPE_KINDS[role]
    allowed = "、".join(SCOPE_COLUMNS[k] for k in sorted(kinds) if k in SCOPE_COLUMNS)
    named = {col: value for col, value in given.items() if value is not None}
    scope = single_scope(named)
    if scope is None or scope.kind not in kinds:
        message = f"角色 {role} 须且只须指定一个范围：{allowed or '暂不支持'}"
        raise Invalid(message, {col: [message] for col in (named or {"scope": None})})
    if not scope_exists(scope):
        raise Invalid(errors={SCOPE_COLUMNS[scope.kind]: ["不存在"]})
    return scope


def grant_role(actor: Actor, *, openid: str, role: str, community_id: int | None = None,
               street_id: int | None = None, district_id: int | None = None,
               grid_id: int | None = None, unit_id: int | None = None,
               station_id: int | None = None):
    """Grant a role in exactly one scope that the granter's admin scope contains; a volunteer
    grant makes an active volunteer profile. The same live grant twice is a 409."""
    if not (actor.is_admin or is_system(actor)):
        raise Forbidden("只有管理员可以授予角色")
    if role not in GRANTABLE:
        raise Invalid(errors={"role": [f"角色必须是 {', '.join(GRANTABLE)} 之一"]})
    scope = grant_scope(role, {"community_id": community_id, "street_id": street_id,
                               "district_id": district_id, "grid_id": grid_id,
                               "unit_id": unit_id, "station_id": station_id})
    require_covers(actor, scope, roles=GRANTERS, message="只能在您的管辖范围内授予角色")
    user = _user_by_openid(openid)
    parties.require_not_party(actor, user.id, sides="granter/grantee")
    if role == Role.VOLUNTEER:
        result = _grant_volunteer(actor, user, scope.id)
    else:
        grant = _insert_grant(actor, user, role, scope)
        result = GrantResult(user.id, role, grant.community_id, grant.street_id,
                             grant.district_id, grant_id=grant.id, grid_id=grant.grid_id,
                             unit_id=grant.unit_id, station_id=grant.station_id)
    record_audit(actor, "role.grant", "user", user.id, scope=str(scope), detail={"role": role})
    return result


def _insert_grant(actor: Actor, user: User, role: str, scope: Scope) -> RoleGrant:
    values = {SCOPE_COLUMNS[scope.kind]: scope.id}
    live = db.select(RoleGrant.id).filter_by(user_id=user.id, role=role, revoked_at=None,
                                             **{c: values.get(c) for c in SCOPE_COLUMNS.values()})
    if db.session.execute(live.limit(1)).first() is not None:
        raise Conflict("该用户已拥有此范围的该角色")
    grant = RoleGrant(user_id=user.id, role=role, granted_by=actor.user_id, **values)
    # uq_role_grants_live: a concurrent twin loses here
    add_once(grant, conflict="该用户已拥有此范围的该角色")
    return grant


def _grant_volunteer(actor: Actor, user: User, community_id: int) -> GrantResult:
    """An admin may not pull someone else's volunteer profile (pending or active) out of a
    community outside their scope."""
    # cycle: volunteers (a later layer, docs/architecture.md) imports identity
    from ..volunteers.models import Volunteer
    from ..volunteers.services import activate_volunteer
    existing = db.session.execute(db.select(Volunteer).filter_by(user_id=user.id)).scalar_one_or_none()
    if existing is not None:
        require_covers(actor, Scope(ScopeKind.COMMUNITY, existing.community_id), roles=GRANTERS,
                       message="该用户的志愿者资料属于您管辖范围以外的社区")
    volunteer = activate_volunteer(actor, user, community_id)
    return GrantResult(user.id, Role.VOLUNTEER, community_id, None, None, volunteer_id=volunteer.id)


def _grant_scope_of(grant: RoleGrant) -> Scope | None:
    return single_scope(grant.scope_values())


def revoke_role(actor: Actor, grant_id: int, *, now=None) -> RoleGrant:
    """Revoke a grant inside one's admin scope (others' grants are a 404); it stops working on
    the holder's next request."""
    grant = db.session.get(RoleGrant, grant_id)
    scope = _grant_scope_of(grant) if grant is not None else None
    visible = grant is not None and (is_system(actor) or (
        scope is not None and actor_covers(actor, scope, roles=GRANTERS)))
    if not visible:
        raise NotFound()
    if grant.revoked_at is not None:
        raise Conflict("该角色已被撤销")
    grant.revoked_at = now or utcnow()
    record_audit(actor, "role.revoke", "user", grant.user_id, scope=str(scope) if scope else "",
                 detail={"role": grant.role})
    db.session.flush()
    return grant


def list_role_grants(actor: Actor, user_id: int | None = None):
    """Grants whose scope lies inside the admin's scope, as a query to paginate."""
    if not (is_system(actor) or actor.is_admin):
        raise Forbidden()
    query = db.select(RoleGrant).order_by(RoleGrant.id)
    if not is_system(actor):
        covered = covered_ids(actor, GRANTERS)
        inside = [getattr(RoleGrant, col).in_(covered[kind]) for kind, col in SCOPE_COLUMNS.items()
                  if covered.get(kind)]
        query = query.where(or_(*inside) if inside else false())
    if user_id is not None:
        query = query.filter_by(user_id=user_id)
    return query


def set_need_tier(actor: Actor, user_id: int, tier: int | None) -> User:
    """A secretary records a household's need tier; only with the resident's hardship consent."""
    if not actor.is_secretary:
        raise Forbidden("只有社区书记可以登记困难等级")
    user = db.session.get(User, user_id)
    if user is None or not actor.manages(user.community_id):
        raise NotFound()
    parties.require_not_party(actor, user.id, sides="household/assessor")
    if tier is not None and not has_consent(user_id, "hardship"):
        raise Conflict("该居民尚未同意提供困难情况信息，不能登记")
    user.need_tier = tier
    record_audit(actor, "hardship.set", "user", user_id,
                 scope=f"community:{user.community_id}", detail={"tier": tier})
    db.session.flush()
    return user


STAFF_PHONE_ROLES = (Role.SECRETARY, Role.ADMIN, Role.GRID_WORKER)


def set_phone_by_staff(actor: Actor, user_id: int, phone: str) -> User:
    """Staff in scope record a resident's phone (代办, from the household register): it counts as
    verified ('staff') and may be shown as the resident's contact. For POST /residents."""
    user = db.session.get(User, user_id)
    if user is None or user.community_id is None or not actor_covers(
            actor, Scope(ScopeKind.COMMUNITY, user.community_id), roles=STAFF_PHONE_ROLES):
        raise NotFound()
    user.phone, user.phone_verified_via = phone, PhoneSource.STAFF
    record_audit(actor, "resident.phone", "user", user.id, scope=f"community:{user.community_id}")
    db.session.flush()
    return user
