"""Sending the outbox through the WeChat client (run by the jobs process).

A message is sent in three steps, each its own transaction (the `checkpoint` the jobs process
passes in commits; called directly, without one, it only flushes):

1. take: due `pending` rows are picked (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so an operator's
   one-off run beside the scheduler never takes a row twice), marked `sending` with attempts + 1,
   and committed BEFORE any WeChat call;
2. call WeChat, with no transaction open (the fake keeps its grants on a connection of its own);
3. record the answer on that one row, still `sending`, and commit.

A database error while recording message 3 leaves messages 1 and 2 recorded as sent (they were
committed one by one) and message 3 `sending`: nothing is sent twice. A row found `sending` for
longer than OUTBOX_SENDING_TIMEOUT_S belongs to a run that died between steps 1 and 3; whether
WeChat took the message is unknown, so it becomes `uncertain` (final) and is NOT resent: a
subscribe message is a nudge the user can miss, while a resend would burn another one-time grant
and make a later, real message refused (43101) for good.

Outcomes of step 3:
- sent: WeChat accepted the message.
- refused (43101): the user holds no subscription grant. Final: never retried.
- retryable errors (-1 busy, 45011 rate limit, timeouts, 5xx): back to `pending`, the next attempt
  after an exponential backoff (1, 2, 4 … minutes, capped); after OUTBOX_MAX_ATTEMPTS: failed.
- any other errcode: failed at once, with the error kept in last_error.

A run stops after OUTBOX_BUDGET_S seconds (and when WeChat is unreachable or rate-limiting).
"""
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from ..config import settings
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from ..scheduling.settings import system_only
from ..timeutil import utcnow
from ..wechat import RateLimited, SubscriptionRefused, WeChatError, WeChatUnavailable
from ..wechat.gateway import get_wechat
from .models import OUTBOX, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

OUTCOMES = ("sent", "refused", "retrying", "failed", "uncertain")


@dataclass(frozen=True)
class _Taken:
    """What a WeChat call needs, copied out of the session before its transaction ends."""
    id: int
    attempts: int  # after this attempt
    openid: str
    template_id: str
    fields: dict
    page: str | None


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 1, 2, 4 … minutes, capped at OUTBOX_BACKOFF_CAP_S."""
    base = settings().outbox_backoff_base_s
    cap = settings().outbox_backoff_cap_s
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def send_due_messages(actor: Actor, *, now: datetime | None = None, wechat=None,
                      checkpoint=None) -> dict:
    """Send pending messages that are due, oldest first, at most OUTBOX_BATCH per run."""
    system_only(actor)
    now = now or utcnow()
    commits, checkpoint = checkpoint is not None, checkpoint or db.session.flush
    if wechat is None:
        wechat = get_wechat()
    counts = dict.fromkeys(OUTCOMES, 0)
    counts["uncertain"] = _give_up_on_stale_sending(now)
    batch = _take_due(now)
    checkpoint()  # step 1 is durable before any call
    deadline = time.monotonic() + settings().outbox_budget_s
    for position, message in enumerate(batch):
        try:
            outcome, pause = _deliver(wechat, message, now)
            checkpoint()  # step 3 of this message, on its own
        except Exception:
            if commits:  # this answer is lost (the row stays `sending`); the rest never went
                db.session.rollback()
                _put_back(batch[position + 1:])
                checkpoint()
            raise
        counts[outcome] += 1
        if pause or time.monotonic() > deadline:
            _put_back(batch[position + 1:])  # not called: pending again, as before this run
            checkpoint()
            break
    return counts


def _give_up_on_stale_sending(now: datetime) -> int:
    stale = now - timedelta(seconds=settings().outbox_sending_timeout_s)
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.next_attempt_at <= stale)
        .values(status=OutboxStatus.UNCERTAIN,
                last_error="outcome unknown: the run stopped during the WeChat call")
        .execution_options(synchronize_session=False))
    if result.rowcount:
        log.warning("outbox: %d message(s) left sending by a stopped run marked uncertain",
                    result.rowcount)
    return result.rowcount


def _take_due(now: datetime) -> list[_Taken]:
    rows = db.session.execute(
        db.select(OutboxMessage, User.openid).join(User, User.id == OutboxMessage.user_id)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(settings().outbox_batch)
        .with_for_update(skip_locked=True, of=OutboxMessage)).all()
    taken = []
    for message, openid in rows:
        # next_attempt_at doubles as "taken at" while sending (see _give_up_on_stale_sending).
        OUTBOX.move(message, OutboxStatus.SENDING)
        message.attempts += 1
        message.next_attempt_at = now
        taken.append(_Taken(message.id, message.attempts, openid, message.template_id,
                            {key: value["value"] for key, value in message.data.items()},
                            message.page))
    db.session.flush()
    return taken


def _put_back(messages: list[_Taken]) -> None:
    for message in messages:
        _record(message, status=OutboxStatus.PENDING, attempts=message.attempts - 1)


def _deliver(wechat, message: _Taken, now: datetime) -> tuple[str, bool]:
    """Send one message and record the outcome; the flag says to stop this run's batch."""
    try:
        wechat.send_subscribe_message(message.openid, message.template_id, message.fields,
                                      page=message.page)
    except SubscriptionRefused as exc:
        _record(message, status=OutboxStatus.REFUSED, last_error=_describe(exc))
        return "refused", False
    except WeChatError as exc:
        pause = isinstance(exc, (WeChatUnavailable, RateLimited))
        if exc.retryable and message.attempts < settings().outbox_max_attempts:
            _record(message, status=OutboxStatus.PENDING, last_error=_describe(exc),
                    next_attempt_at=now + backoff(message.attempts))
            return "retrying", pause
        log.warning("outbox %s failed for good: %s", message.id, _describe(exc))
        _record(message, status=OutboxStatus.FAILED, last_error=_describe(exc))
        return "failed", pause
    _record(message, status=OutboxStatus.SENT, sent_at=now, last_error=None)
    return "sent", False


def _record(message: _Taken, **values) -> None:
    """The answer for a message this run took (still `sending` with this run's attempt)."""
    OUTBOX.check(OutboxStatus.SENDING, values["status"])
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.status == OutboxStatus.SENDING,
               OutboxMessage.attempts == message.attempts)
        .values(**values).execution_options(synchronize_session=False))


def _describe(exc: WeChatError) -> str:
    code = exc.errcode if exc.errcode is not None else "transport"
    return f"{code} {type(exc).__name__}: {exc.errmsg}"[:200]
