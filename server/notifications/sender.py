"""Sending the outbox through the WeChat client (run by the jobs process).

- sent: WeChat accepted the message.
- refused (43101): the user holds no subscription grant. Final and recorded: never retried.
- retryable errors (-1 busy, 45011 rate limit, timeouts, 5xx): attempts + 1 and the next attempt
  after an exponential backoff (1, 2, 4 … minutes, capped); after OUTBOX_MAX_ATTEMPTS: failed.
- any other errcode: failed at once, with the error kept in last_error.

Each outcome is a conditional UPDATE on a still-pending row, so a second run changes nothing more.
On PostgreSQL due rows are picked `FOR UPDATE SKIP LOCKED`, so an operator's one-off run beside
the scheduler never sends a message twice. A run stops after OUTBOX_BUDGET_S seconds (and when
WeChat is unreachable or rate-limiting): on SQLite its transaction holds the one write lock, which
web requests wait for (SQLITE_BUSY_TIMEOUT_MS).
"""
import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import update

from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from ..scheduling.settings import setting, system_only
from ..timeutil import utcnow
from ..wechat import RateLimited, SubscriptionRefused, WeChatError, WeChatUnavailable
from .models import OutboxMessage

log = logging.getLogger(__name__)

OUTCOMES = ("sent", "refused", "retrying", "failed")


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 1, 2, 4 … minutes, capped at OUTBOX_BACKOFF_CAP_S."""
    base = setting("OUTBOX_BACKOFF_BASE_S", 60)
    cap = setting("OUTBOX_BACKOFF_CAP_S", 3600)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def send_due_messages(actor: Actor, *, now: datetime | None = None, wechat=None) -> dict:
    """Send pending messages that are due, oldest first, at most OUTBOX_BATCH per run."""
    system_only(actor)
    now = now or utcnow()
    if wechat is None:
        from ..wechat.gateway import get_wechat
        wechat = get_wechat()
    counts = dict.fromkeys(OUTCOMES, 0)
    deadline = time.monotonic() + setting("OUTBOX_BUDGET_S", 10)
    for message, openid in _due(now):
        outcome, pause = _deliver(wechat, message, openid, now)
        counts[outcome] += 1
        if pause or time.monotonic() > deadline:
            break  # WeChat is down or rate-limiting us, or the run is long enough: next tick
    db.session.flush()
    return counts


def _due(now: datetime):
    return db.session.execute(
        db.select(OutboxMessage, User.openid).join(User, User.id == OutboxMessage.user_id)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(setting("OUTBOX_BATCH", 50))
        .with_for_update(skip_locked=True, of=OutboxMessage)).all()


def _deliver(wechat, message: OutboxMessage, openid: str, now: datetime) -> tuple[str, bool]:
    """Send one message and record the outcome; the flag says to stop this run's batch."""
    fields = {key: value["value"] for key, value in message.data.items()}
    try:
        wechat.send_subscribe_message(openid, message.template_id, fields, page=message.page)
    except SubscriptionRefused as exc:
        return _settle(message, "refused", now, exc), False
    except WeChatError as exc:
        pause = isinstance(exc, (WeChatUnavailable, RateLimited))
        if exc.retryable and message.attempts + 1 < setting("OUTBOX_MAX_ATTEMPTS", 8):
            return _retry(message, now, exc), pause
        log.warning("outbox %s failed for good: %s", message.id, _describe(exc))
        return _settle(message, "failed", now, exc), pause
    return _settle(message, "sent", now), False


def _settle(message: OutboxMessage, status: str, now: datetime, exc=None) -> str:
    _update_pending(message, status=status, attempts=message.attempts + 1,
                    sent_at=now if status == "sent" else None,
                    last_error=_describe(exc) if exc is not None else None)
    return status


def _retry(message: OutboxMessage, now: datetime, exc: WeChatError) -> str:
    attempts = message.attempts + 1
    _update_pending(message, attempts=attempts, next_attempt_at=now + backoff(attempts),
                    last_error=_describe(exc))
    return "retrying"


def _update_pending(message: OutboxMessage, **values) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == "pending",
               OutboxMessage.attempts == message.attempts)
        .values(**values).execution_options(synchronize_session=False))


def _describe(exc: WeChatError) -> str:
    code = exc.errcode if exc.errcode is not None else "transport"
    return f"{code} {type(exc).__name__}: {exc.errmsg}"[:200]
