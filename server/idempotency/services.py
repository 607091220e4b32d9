"""Idempotency-Key bookkeeping (API.md): the first response is stored and replayed; the same key
with another body is 422; a repeat while the first is still running is 409.

The HTTP layer commits the reservation on its own, before the work starts, so that a concurrent
repeat sees it; the stored response commits with the work itself.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..database import add_once
from ..errors import Conflict, Invalid
from ..extensions import db
from ..timeutil import utcnow
from .models import IdempotencyKey

# A reservation left in flight this long belongs to a request that died (e.g. a killed worker).
ABANDONED_AFTER = timedelta(seconds=60)
KEEP_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Reservation:
    key_id: int | None = None
    replay_status: int | None = None
    replay_body: dict | list | None = None


def reserve_key(user_id: int, key: str, request_hash: str, *, now: datetime | None = None):
    """Reserve a key for this request, or return the stored first response to replay."""
    now = now or utcnow()
    row = IdempotencyKey(user_id=user_id, key=key, request_hash=request_hash, created_at=now)
    if add_once(row) is not None:
        return Reservation(key_id=row.id)
    existing = db.session.execute(db.select(IdempotencyKey).filter_by(
        user_id=user_id, key=key).with_for_update()).scalar_one()
    if existing.request_hash != request_hash:
        raise Invalid("该 Idempotency-Key 已用于另一个请求",
                      {"Idempotency-Key": ["同一个键只能对应同一个请求内容"]})
    if existing.state == "done":
        return Reservation(replay_status=existing.response_status,
                           replay_body=existing.response_body)
    if now - existing.created_at < ABANDONED_AFTER:
        raise Conflict("相同的请求正在处理中，请稍候")
    existing.created_at = now  # take over an abandoned reservation
    return Reservation(key_id=existing.id)


def complete_key(key_id: int, status: int, body) -> None:
    row = db.session.get(IdempotencyKey, key_id)
    row.state, row.response_status, row.response_body = "done", status, body
    db.session.flush()


def release_key(key_id: int) -> None:
    """Forget a reservation whose request failed, so the client may retry with the same key."""
    db.session.execute(db.delete(IdempotencyKey).where(IdempotencyKey.id == key_id,
                                                       IdempotencyKey.state == "in_flight"))


def prune_keys(*, now: datetime | None = None) -> int:
    """Delete keys older than 24 hours."""
    cutoff = (now or utcnow()) - KEEP_FOR
    result = db.session.execute(db.delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff))
    return result.rowcount
