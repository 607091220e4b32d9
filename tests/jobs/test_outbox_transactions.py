"""Finding 18: the outbox commits `sending` before each WeChat call and the answer after it, so a
database error while recording one answer never makes the messages before it be sent again."""
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.notifications.services import notify, template_for
from server.timeutil import utcnow
from server.wechat.db_state import FakeWeChatGrant
from server.wechat.gateway import get_wechat

from .helpers import outbox, run

WHO = ("resident", "resident2", "volunteer")


def _three_messages(world, now):
    for who in WHO:
        get_wechat().grant_subscription(world.users[who].openid, template_for("wish_approved")[0])
        notify(world.users[who].id, "wish_approved", title="修台灯", ref=f"wish:{who}", now=now)
    db.session.commit()


@contextmanager
def failing_answer(number: int):
    """The database refuses the `number`-th statement that records a message as sent."""
    seen = []

    def _before(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE OUTBOX") and "sent_at" in statement:
            seen.append(statement)
            if len(seen) == number:
                raise OperationalError(statement, {}, Exception("injected: disk full"))

    event.listen(db.engine, "before_cursor_execute", _before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", _before)


def test_a_database_error_on_the_third_answer_sends_nothing_twice(world):
    now = utcnow()
    _three_messages(world, now)
    with failing_answer(3), pytest.raises(OperationalError):
        run("outbox", now)
    assert [m.status for m in outbox()] == ["sent", "sent", "sending"]
    # WeChat took all three and burned their grants; our rollback did not give one back.
    assert len(get_wechat().sent) == 3
    grants = db.session.execute(db.select(FakeWeChatGrant.remaining)).scalars().all()
    assert grants == [0, 0, 0]
    counts = run("outbox", now + timedelta(minutes=1))
    assert counts["sent"] == counts["refused"] == 0
    assert len(get_wechat().sent) == 3  # the first two were not sent again
    assert [m.status for m in outbox()] == ["sent", "sent", "sending"]


def test_a_message_left_sending_becomes_uncertain_and_is_not_resent(world):
    now = utcnow()
    _three_messages(world, now)
    with failing_answer(1), pytest.raises(OperationalError):
        run("outbox", now)
    assert [m.status for m in outbox()] == ["sending", "pending", "pending"]
    get_wechat().grant_subscription(world.users["resident"].openid,
                                    template_for("wish_approved")[0])
    db.session.commit()
    later = now + timedelta(minutes=11)  # past OUTBOX_SENDING_TIMEOUT_S (600 s)
    counts = run("outbox", later)
    assert counts["uncertain"] == 1 and counts["sent"] == 2
    statuses = [(m.status, m.attempts) for m in outbox()]
    assert statuses == [("uncertain", 1), ("sent", 1), ("sent", 1)]
    assert outbox()[0].last_error.startswith("outcome unknown")
    assert len(get_wechat().sent) == 3  # the uncertain one was sent once, never again


def test_each_answer_is_committed_before_the_next_call(world):
    now = utcnow()
    _three_messages(world, now)
    seen_by_wechat = []
    fake = get_wechat()
    original = fake.send_subscribe_message

    def _watch(openid, *args, **kwargs):
        # What another connection sees at the moment of each call: earlier answers are durable.
        with db.engine.connect() as other:
            seen_by_wechat.append(sorted(other.execute(
                db.text("SELECT status FROM outbox ORDER BY id")).scalars()))
        return original(openid, *args, **kwargs)

    fake.send_subscribe_message = _watch  # the fake WeChat, not our code
    try:
        run("outbox", now)
    finally:
        del fake.send_subscribe_message
    assert seen_by_wechat == [["sending"] * 3, ["sending", "sending", "sent"],
                              ["sending", "sent", "sent"]]
