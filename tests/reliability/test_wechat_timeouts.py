"""WeChat timing out, through the real client (requests raising a read timeout on every call):
login fails cleanly with 503 in the error shape, a posted wish is held for review as
content_check "unchecked", and the outbox keeps the message and retries it later."""
import re
from datetime import timedelta

import pytest
import requests
import responses

from server.extensions import db
from tests.conftest import TEST_SECRET

WECHAT = re.compile(r"https://api\.weixin\.qq\.com/.*")
SHAPE = {"code", "status", "message", "errors", "request_id"}


@pytest.fixture
def real_wechat(app, world):
    """A second app on the same database whose WeChat is the real client, timing out."""
    from server import create_app
    real = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "RATELIMIT_ENABLED": False,
                       "WECHAT_MODE": "real", "WECHAT_BASE_URL": "https://api.weixin.qq.com"})
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        for method in (responses.GET, responses.POST):
            mock.add(method, WECHAT, body=requests.exceptions.ReadTimeout("read timed out"))
        yield real, mock


def _bearer(user):
    from server.identity.tokens import issue_token
    return {"Authorization": "Bearer " + issue_token(user.id, TEST_SECRET, 600)}


def test_login_fails_cleanly_with_503(real_wechat):
    real, _ = real_wechat
    resp = real.test_client().post("/api/v1/auth/wechat-login", json={"code": "081abc"})
    assert resp.status_code == 503
    assert set(resp.get_json()) == SHAPE and "微信" in resp.get_json()["message"]


def test_posted_wish_is_held_for_review_unchecked(real_wechat, world):
    real, _ = real_wechat
    resp = real.test_client().post("/api/v1/wishes", headers=_bearer(world.users["resident"]),
                                   json={"title": "需要一个书包", "description": "孩子开学需要书包",
                                         "category": "goods"})
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["status"] == "pending_review"
    from server.wishes.models import Wish
    db.session.rollback()
    assert db.session.get(Wish, resp.get_json()["id"]).content_check == "unchecked"


def test_outbox_keeps_and_retries_while_wechat_times_out(real_wechat, world):
    from server.identity.actor import SYSTEM
    from server.notifications.models import OutboxMessage
    from server.notifications.sender import send_due_messages
    from server.notifications.services import notify
    from server.timeutil import utcnow
    real, mock = real_wechat
    now = utcnow()
    message = notify(world.users["resident"].id, "wish_approved", title="修台灯", ref="wish:1",
                     now=now)
    db.session.commit()
    with real.app_context():
        counts = send_due_messages(SYSTEM, now=now)
        db.session.commit()
    assert counts["sent"] == 0 and counts["failed"] == 0
    db.session.rollback()  # a fresh snapshot: the other app committed
    kept = db.session.get(OutboxMessage, message.id)
    assert kept.status == "pending" and kept.attempts == 1 and kept.next_attempt_at > now
    # WeChat answers again: the next due run sends it (token, then the subscribe message).
    mock.reset()
    mock.add(responses.POST, re.compile(r".*/cgi-bin/stable_token.*"),
             json={"access_token": "tok", "expires_in": 7200})
    mock.add(responses.POST, re.compile(r".*/message/subscribe/send.*"),
             json={"errcode": 0, "errmsg": "ok"})
    with real.app_context():
        counts = send_due_messages(SYSTEM, now=kept.next_attempt_at + timedelta(seconds=1))
        db.session.commit()
    db.session.rollback()  # a fresh snapshot: the other app committed
    assert counts["sent"] == 1
    assert db.session.get(OutboxMessage, message.id).status == "sent"
