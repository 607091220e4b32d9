"""Reading the audit trail: filtered, in the reader's scope; an export is itself audited."""
import json

from ..audit.models import AuditEntry
from ..audit.services import record_audit
from ..extensions import db
from ..identity.models import User
from ..timeutil import LOCAL_TZ, as_utc
from . import scoping

MAX_EXPORT_ROWS = 50_000
HEADERS = ["编号", "时间", "操作人编号", "操作人", "身份", "操作", "对象类型", "对象编号", "范围",
           "详情", "请求编号"]


def list_audit(actor, filters: dict):
    """A select of the audit rows the admin may read, newest first."""
    scope = scoping.admin_scope(actor)
    query = db.select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    scopes = scope.audit_scopes()
    if scopes is not None:
        query = query.where(AuditEntry.scope.in_(scopes))
    if filters.get("actor_id") is not None:
        query = query.where(AuditEntry.actor_id == filters["actor_id"])
    for key in ("action", "object_type"):
        if filters.get(key):
            query = query.where(getattr(AuditEntry, key) == filters[key])
    if filters.get("from") is not None:
        query = query.where(AuditEntry.at >= as_utc(filters["from"]))
    if filters.get("to") is not None:
        query = query.where(AuditEntry.at < as_utc(filters["to"]))
    return query


def export_audit(actor, filters: dict) -> tuple[list[str], list[list]]:
    """The same rows as `list_audit` as a table (at most MAX_EXPORT_ROWS); the export is audited."""
    query = list_audit(actor, filters).limit(MAX_EXPORT_ROWS)
    rows = db.session.execute(query.add_columns(User.name).outerjoin(
        User, User.id == AuditEntry.actor_id)).all()
    table = [[e.id, as_utc(e.at).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S"), e.actor_id,
              name or "", e.actor_role, e.action, e.object_type, e.object_id, e.scope,
              _detail(e.detail), e.request_id or ""] for e, name in rows]
    scope = scoping.admin_scope(actor)
    record_audit(actor, "audit.export", "audit_log", len(table), scope=scope.label(),
                 detail={k: str(v) for k, v in filters.items() if v is not None})
    db.session.flush()
    return HEADERS, table


def _detail(detail) -> str:
    return json.dumps(detail or {}, ensure_ascii=False, default=str)[:1000]
