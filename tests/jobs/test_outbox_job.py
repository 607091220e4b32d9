"""The outbox drains through the fake WeChat: 43101 is final, -1 and timeouts back off."""
from datetime import timedelta

import pytest

from server.extensions import db
from server.notifications.sender import backoff
from server.notifications.services import notify, template_for
from server.timeutil import utcnow
from server.wechat.gateway import get_wechat

from .helpers import outbox, run


def _message(world, who="resident", kind="wish_approved", ref="wish:1", now=None):
    message = notify(world.users[who].id, kind, title="修台灯", ref=ref, now=now)
    db.session.commit()
    return message


def _grant(world, who="resident", kind="wish_approved", count=1):
    get_wechat().grant_subscription(world.users[who].openid, template_for(kind)[0], count)
    db.session.commit()


def test_outbox_drains_through_the_fake(world):
    now = utcnow()
    for who in ("resident", "resident2", "volunteer"):
        _grant(world, who)
        _message(world, who, now=now)
    assert run("outbox", now) == {"sent": 3, "refused": 0, "retrying": 0, "failed": 0, "uncertain": 0}
    assert {m.status for m in outbox()} == {"sent"}
    assert all(m.sent_at == now and m.attempts == 1 for m in outbox())
    sent = get_wechat().sent
    assert sorted(s.openid for s in sent) == ["resident", "resident2", "volunteer"]
    assert sent[0].data["phrase2"] == {"value": "审核通过"}
    assert sent[0].page == "pages/wish/detail?ref=wish:1"
    assert run("outbox", now + timedelta(minutes=1))["sent"] == 0
    assert len(get_wechat().sent) == 3


def test_refused_message_is_recorded_and_never_retried(world):
    now = utcnow()
    message = _message(world, now=now)  # no grant: WeChat answers 43101
    assert run("outbox", now)["refused"] == 1
    db.session.refresh(message)
    assert message.status == "refused" and message.attempts == 1
    assert message.last_error.startswith("43101 SubscriptionRefused")
    _grant(world)  # even a later grant does not bring it back
    assert run("outbox", now + timedelta(days=1)) == {"sent": 0, "refused": 0, "retrying": 0,
                                                      "failed": 0, "uncertain": 0}
    assert get_wechat().sent == []


def test_system_busy_is_retried_on_a_later_run_and_then_sent(world):
    now = utcnow()
    _grant(world)
    message = _message(world, now=now)
    get_wechat().fail_next(-1)
    assert run("outbox", now)["retrying"] == 1
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert message.last_error.startswith("-1 SystemBusy")
    assert run("outbox", now + timedelta(seconds=30))["sent"] == 0  # not due yet
    assert run("outbox", now + timedelta(seconds=61))["sent"] == 1
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(get_wechat().sent) == 1


def test_timeout_backs_off_and_pauses_the_batch(world):
    now = utcnow()
    _grant(world, count=2)
    first, second = _message(world, now=now), _message(world, ref="wish:2", now=now)
    get_wechat().fail_next("timeout")
    assert run("outbox", now) == {"sent": 0, "refused": 0, "retrying": 1, "failed": 0, "uncertain": 0}
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.attempts == 1 and first.last_error.startswith("transport WeChatUnavailable")
    assert second.attempts == 0 and second.status == "pending"  # left for the next tick
    assert run("outbox", now + timedelta(seconds=30))["sent"] == 1
    assert run("outbox", now + timedelta(minutes=2))["sent"] == 1


def test_rate_limit_is_retryable(world):
    now = utcnow()
    _grant(world)
    message = _message(world, now=now)
    get_wechat().fail_next(45011)
    assert run("outbox", now)["retrying"] == 1
    assert run("outbox", now + timedelta(minutes=1))["sent"] == 1
    db.session.refresh(message)
    assert message.status == "sent"


def test_non_retryable_error_fails_at_once(world):
    now = utcnow()
    message = _message(world, now=now)
    get_wechat().fail_next(40037)
    assert run("outbox", now)["failed"] == 1
    db.session.refresh(message)
    assert message.status == "failed" and message.last_error.startswith("40037 InvalidTemplate")
    assert run("outbox", now + timedelta(hours=1))["failed"] == 0


def test_retryable_error_fails_after_the_last_attempt(app, world):
    now = utcnow()
    _grant(world)
    message = _message(world, now=now)
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    try:
        get_wechat().fail_next(-1, 3)
        assert run("outbox", now)["retrying"] == 1
        assert run("outbox", now + timedelta(minutes=1))["retrying"] == 1
        assert run("outbox", now + timedelta(minutes=3))["failed"] == 1
    finally:
        del app.config["OUTBOX_MAX_ATTEMPTS"]
    db.session.refresh(message)
    assert (message.status, message.attempts) == ("failed", 3)
    assert run("outbox", now + timedelta(hours=2))["sent"] == 0


def test_batch_is_limited_and_oldest_go_first(app, world):
    now = utcnow()
    _grant(world, count=5)
    messages = [_message(world, ref=f"wish:{i}", now=now - timedelta(minutes=5 - i))
                for i in range(5)]
    app.config["OUTBOX_BATCH"] = 2
    try:
        assert run("outbox", now)["sent"] == 2
    finally:
        del app.config["OUTBOX_BATCH"]
    assert [m.status for m in outbox()] == ["sent", "sent", "pending", "pending", "pending"]
    assert messages[0].id == outbox()[0].id


def test_messages_not_yet_due_wait(world):
    now = utcnow()
    _grant(world)
    _message(world, now=now + timedelta(minutes=5))
    assert run("outbox", now)["sent"] == 0
    assert run("outbox", now + timedelta(minutes=5))["sent"] == 1


@pytest.mark.parametrize("attempts, minutes", [(1, 1), (2, 2), (3, 4), (4, 8), (7, 60), (20, 60)])
def test_backoff_doubles_up_to_a_cap(app, attempts, minutes):
    with app.app_context():
        assert backoff(attempts) == timedelta(minutes=minutes)


def test_rows_locked_by_another_sender_are_skipped(world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has one writer at a time anyway")
    now = utcnow()
    _grant(world, count=2)
    busy, free = _message(world, now=now), _message(world, ref="wish:2", now=now)
    with db.engine.connect() as other:  # another sender, mid-batch
        other.execute(db.text("SELECT id FROM outbox WHERE id = :id FOR UPDATE"), {"id": busy.id})
        assert run("outbox", now)["sent"] == 1
        other.rollback()
    assert [(m.id, m.status) for m in outbox()] == [(busy.id, "pending"), (free.id, "sent")]
    assert run("outbox", now)["sent"] == 1
