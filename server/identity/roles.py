"""Granting and revoking roles (CLI and admins), and the hardship need tier (secretaries)."""
from dataclasses import dataclass

from ..audit.services import record_audit
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..policy import parties
from ..extensions import db
from ..timeutil import utcnow
from .actor import Actor
from .models import Community, District, RoleGrant, Street, User
from .services import has_consent

GRANTABLE = ("secretary", "volunteer", "admin")


@dataclass(frozen=True)
class GrantResult:
    user_id: int
    role: str
    community_id: int | None
    street_id: int | None
    district_id: int | None
    grant_id: int | None = None
    volunteer_id: int | None = None


def _user_by_openid(openid: str) -> User:
    user = db.session.execute(db.select(User).filter_by(openid=openid)).scalar_one_or_none()
    if user is None:
        user = User(openid=openid, name="")
        db.session.add(user)
        db.session.flush()
    return user


def _check_scope_exists(community_id, street_id, district_id) -> None:
    for model, value, field in ((Community, community_id, "community_id"),
                                (Street, street_id, "street_id"),
                                (District, district_id, "district_id")):
        if value is not None and db.session.get(model, value) is None:
            raise Invalid(errors={field: ["不存在"]})


def _may_grant(actor: Actor, community_id, street_id, district_id) -> bool:
    if "system" in actor.roles:
        return True
    if not actor.is_admin:
        return False
    if community_id is not None:
        return actor.manages(community_id)
    wanted = {c.id for c in db.session.execute(db.select(Community).join(Street).where(
        (Street.id == street_id) | (Street.district_id == district_id))).scalars()}
    return bool(wanted) and wanted <= actor.managed_communities


def grant_role(actor: Actor, *, openid: str, role: str, community_id: int | None = None,
               street_id: int | None = None, district_id: int | None = None):
    """Grant a role in a scope; a volunteer grant makes an active volunteer profile."""
    if role not in GRANTABLE:
        raise Invalid(errors={"role": [f"角色必须是 {', '.join(GRANTABLE)} 之一"]})
    _check_scope_exists(community_id, street_id, district_id)
    if role in ("secretary", "volunteer") and not (community_id or street_id):
        raise Invalid("请指定社区或街道", {"community_id": ["请指定社区"]})
    if not _may_grant(actor, community_id, street_id, district_id):
        raise Forbidden()
    user = _user_by_openid(openid)
    parties.require_not_party(actor, user.id, sides="granter/grantee")
    if role == "volunteer":
        from ..volunteers.services import activate_volunteer
        community_id = community_id or _first_community(street_id)
        volunteer = activate_volunteer(actor, user, community_id)
        result = GrantResult(user.id, role, community_id, None, None, volunteer_id=volunteer.id)
    else:
        grant = RoleGrant(user_id=user.id, role=role, community_id=community_id,
                          street_id=street_id, district_id=district_id, granted_by=actor.user_id)
        db.session.add(grant)
        db.session.flush()
        result = GrantResult(user.id, role, community_id, street_id, district_id, grant_id=grant.id)
    scope = f"community:{community_id}" if community_id else (
        f"street:{street_id}" if street_id else f"district:{district_id}")
    record_audit(actor, "role.grant", "user", user.id, scope=scope, detail={"role": role})
    return result


def _first_community(street_id: int) -> int:
    return db.session.execute(db.select(Community.id).filter_by(street_id=street_id)
                              .order_by(Community.id).limit(1)).scalar_one()


def revoke_role(actor: Actor, grant_id: int, *, now=None) -> RoleGrant:
    """Revoke a grant; it stops working on the holder's next request."""
    grant = db.session.get(RoleGrant, grant_id)
    if grant is None or not _may_grant(actor, grant.community_id, grant.street_id,
                                       grant.district_id):
        raise NotFound()
    if grant.revoked_at is not None:
        raise Conflict("该角色已被撤销")
    grant.revoked_at = now or utcnow()
    record_audit(actor, "role.revoke", "user", grant.user_id, detail={"role": grant.role})
    db.session.flush()
    return grant


def list_role_grants(actor: Actor, user_id: int | None = None):
    if not ("system" in actor.roles or actor.is_admin):
        raise Forbidden()
    query = db.select(RoleGrant).order_by(RoleGrant.id)
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
