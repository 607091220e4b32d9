"""Managing the org tree and catalogues: streets, communities, grids, units, skills.

Every change is in the admin's scope (server/org/scoping.py) and audited. A community that still
has people or open tasks is not deleted (409): it is retired instead.
"""
import json

from sqlalchemy.exc import IntegrityError

from ..audit.services import record_audit
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Community, District, Grid, Skill, Street, Unit, User
from ..orders.models import OrderStatus, ServiceOrder
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from ..wishes.models import Wish, WishStatus
from . import scoping

MODELS = {"streets": Street, "communities": Community, "grids": Grid, "units": Unit,
          "skills": Skill}
NOUN = {"streets": "street", "communities": "community", "grids": "grid", "units": "unit",
        "skills": "skill"}
ORDER = {"skills": Skill.code}


def list_org(actor, kind: str):
    """A select of the objects of one kind that the admin's scope covers."""
    return org_query(scoping.admin_scope(actor), kind)


def org_query(scope: scoping.AdminScope, kind: str):
    """list_org's select for a scope already read (the org tree reads four kinds at once)."""
    model = MODELS[kind]
    query = db.select(model).order_by(ORDER.get(kind, getattr(model, "id", None)))
    where = scoping.list_filter(scope, kind)
    return query if where is None else query.where(where)


def create_org(actor, kind: str, body: dict):
    scope = scoping.admin_scope(actor)
    obj = MODELS[kind]()
    _apply(scope, kind, obj, body)
    # a street, community or grid was placed by its parent's check; these have no parent to check
    if kind in ("units", "skills") and not scoping.covers(scope, kind, obj):
        raise Forbidden(scoping.NO_SCOPE)
    db.session.add(obj)
    _flush_unique(kind)
    _audit(actor, kind, "create", obj, body)
    return obj


def update_org(actor, kind: str, key, changes: dict):
    scope = scoping.admin_scope(actor)
    obj = _get_in_scope(scope, kind, key)
    _apply(scope, kind, obj, changes)
    if not scoping.covers(scope, kind, obj):  # moved out of the admin's own scope
        raise Forbidden(scoping.NO_SCOPE)
    _flush_unique(kind)
    _audit(actor, kind, "update", obj, changes)
    return obj


def delete_community(actor, community_id: int) -> None:
    """Delete a community that never held anyone or anything; otherwise 409 (retire it)."""
    scope = scoping.admin_scope(actor)
    community = _get_in_scope(scope, "communities", community_id)
    if _has_people_or_open_tasks(community.id):
        raise Conflict("该社区仍有居民、志愿者或未完成的任务，不能删除，可改为停用")
    try:
        with db.session.begin_nested():
            for grid in db.session.execute(db.select(Grid).filter_by(
                    community_id=community.id)).scalars():
                db.session.delete(grid)
            db.session.delete(community)
            db.session.flush()
    except IntegrityError:
        raise Conflict("该社区仍有历史记录引用，不能删除，可改为停用")
    _audit(actor, "communities", "delete", community, {})


def _get_in_scope(scope, kind, key):
    obj = db.session.get(MODELS[kind], key)
    if obj is None:
        raise NotFound()
    scoping.require_covers(scope, kind, obj)
    return obj


def _apply(scope, kind, obj, data):
    # Every parent the request names must lie in scope, changed or not: a request that names a
    # scope outside the admin's is refused whole (the scope-containment rule, issue 10 sweep).
    changed = set(data)
    for field, value in data.items():
        if field == "retired":
            obj.retired_at = (obj.retired_at or utcnow()) if value else None
        elif field == "boundary":
            obj.boundary = None if value is None else json.dumps(value, ensure_ascii=False)
        else:
            setattr(obj, field, value)
    _check_references(scope, kind, obj, changed)


def _check_references(scope, kind, obj, changed) -> None:
    """A referenced parent must exist and lie in the admin's scope (403 outside it)."""
    parent = {"streets": ("district_id", District), "communities": ("street_id", Street),
              "grids": ("community_id", Community), "units": ("community_id", Community)}.get(kind)
    if parent is None:
        return
    field, model = parent
    value = getattr(obj, field)
    if value is None or field not in changed:
        return
    target = db.session.get(model, value)
    if target is None:
        raise Invalid(errors={field: ["不存在"]})
    ok = {"district_id": scope.covers_district, "street_id": scope.covers_street,
          "community_id": scope.covers_community}[field](value)
    if not ok:
        raise Forbidden(scoping.NO_SCOPE)
    if kind in ("grids", "units") and getattr(target, "retired_at", None) is not None:
        raise Conflict("该社区已停用")


def _flush_unique(kind) -> None:
    """Names are unique where people tell them apart: a street's community, a unit, a skill code."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise Conflict("名称或编码已存在")
    duplicate = {
        "communities": lambda: db.select(Community.street_id, Community.name)
        .group_by(Community.street_id, Community.name).having(db.func.count() > 1),
        "streets": lambda: db.select(Street.district_id, Street.name)
        .group_by(Street.district_id, Street.name).having(db.func.count() > 1),
        "grids": lambda: db.select(Grid.community_id, Grid.name)
        .group_by(Grid.community_id, Grid.name).having(db.func.count() > 1),
    }.get(kind)
    if duplicate is not None and db.session.execute(duplicate().limit(1)).first():
        raise Conflict("同一上级下已有同名单位")


def _has_people_or_open_tasks(community_id: int) -> bool:
    open_wish = [WishStatus.PENDING_REVIEW, WishStatus.OPEN, WishStatus.CLAIMED,
                 WishStatus.FULFILLED]
    open_order = [OrderStatus.REQUESTED, OrderStatus.ACCEPTED]
    probes = (db.select(User.id).filter_by(community_id=community_id),
              db.select(Volunteer.id).filter_by(community_id=community_id),
              db.select(Wish.id).where(Wish.community_id == community_id,
                                       Wish.status.in_(open_wish)),
              db.select(ServiceOrder.id).where(ServiceOrder.community_id == community_id,
                                               ServiceOrder.status.in_(open_order)))
    return any(db.session.execute(p.limit(1)).first() for p in probes)


def audit_scope(kind: str, obj) -> str:
    if kind == "streets":
        return f"street:{obj.id}"
    if kind == "communities":
        return f"community:{obj.id}"
    if kind in ("grids", "units") and obj.community_id:
        return f"community:{obj.community_id}"
    return ""


def _audit(actor, kind, verb, obj, changes) -> None:
    key = obj.code if kind == "skills" else obj.id
    detail = {k: v for k, v in changes.items() if k != "boundary"}
    record_audit(actor, f"org.{NOUN[kind]}.{verb}", NOUN[kind], key,
                 scope=audit_scope(kind, obj), detail=json.loads(json.dumps(detail, default=str)))
