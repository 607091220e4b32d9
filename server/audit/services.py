"""The audit helper every service calls for reviews, role changes and sensitive reads."""
from ..enums import Role
from ..extensions import db
from .context import client_request_id
from .models import AuditEntry


def record_audit(actor, action: str, object_type: str, object_id, *, scope: str = "",
                 detail: dict | None = None) -> AuditEntry:
    """Append one audit row in the caller's transaction (never committed here)."""
    entry = AuditEntry(
        actor_id=getattr(actor, "user_id", None),
        actor_role=getattr(actor, "acting_role", None) or Role.SYSTEM,
        action=action, object_type=object_type, object_id=str(object_id),
        scope=scope, detail=detail or {}, request_id=getattr(actor, "request_id", None),
        client_request_id=client_request_id.get())
    db.session.add(entry)
    return entry
