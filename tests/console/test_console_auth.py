"""Signing in to the console by scanning: the one-time scene bound to its browser, the session
cookie, CSRF, the idle timeout and a revoked role (API.md part 2, "The console")."""
import re
from datetime import timedelta

import pytest

from server import create_app
from server.console_auth import services
from server.console_auth.models import ConsoleLogin, ConsoleLoginStatus, EndReason
from server.errors import Conflict, Forbidden, NotFound
from server.extensions import db
from server.identity.models import RoleGrant
from server.timeutil import utcnow
from server.wishes.models import Wish, WishStatus

from .conftest import ConsoleClient

API = "/api/v1"


def _scene_of(page) -> str:
    return re.search(r"/console/login/qr/([^\"]+)\.png", page.get_data(as_text=True)).group(1)


def test_staff_signs_in_by_scanning_with_the_mini_program(app, world, login):
    browser = ConsoleClient(app.test_client())
    scene = _scene_of(browser.get("/console/login"))
    phone = app.test_client()
    assert phone.post(f"{API}/console/sessions/{scene}/confirm",
                      headers=login("secretary")).status_code == 200
    poll = browser.client.post("/console/login/poll", headers={"X-CSRF-Token": browser.csrf})
    assert poll.get_json()["status"] == "signed_in"
    cookie = poll.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert browser.get("/console/").status_code == 200
    # the scene was one-time: confirming it again is refused
    again = phone.post(f"{API}/console/sessions/{scene}/confirm", headers=login("secretary"))
    assert again.status_code == 409


def test_the_api_hands_out_a_scene_with_its_qr_code(client):
    resp = client.post(f"{API}/console/sessions")
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["expires_in"] == 120 and body["qr_png_url"].endswith(body["scene"] + ".png")
    png = client.get(body["qr_png_url"])
    assert png.status_code == 200 and png.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_confirmed_scene_signs_in_only_the_browser_that_asked_for_it(world):
    login, key = services.create_scene()
    services.confirm_scene(_actor(world, "secretary"), login.scene)
    with pytest.raises(NotFound):
        services.sign_in(login.scene, "someone-who-read-the-screen")
    _login, token = services.sign_in(login.scene, key)
    assert token and login.status == ConsoleLoginStatus.ACTIVE
    with pytest.raises(Conflict):  # and only once
        services.sign_in(login.scene, key)


def test_an_expired_scene_cannot_be_confirmed(world):
    login, _key = services.create_scene(now=utcnow() - timedelta(seconds=121))
    with pytest.raises(Conflict):
        services.confirm_scene(_actor(world, "secretary"), login.scene)


def _actor(world, key):
    from server.identity.services import load_actor
    return load_actor(world.users[key].id)


def test_a_form_posted_without_its_csrf_token_is_refused(console, world):
    browser = console("secretary")
    pending = world.wishes["pending"].id
    resp = browser.post("/console/wishes/review", {"ids": pending, "decision": "approve"},
                        csrf=False)
    assert resp.status_code == 400
    assert "校验码" in resp.get_data(as_text=True)
    forged = browser.post("/console/wishes/review", {"ids": pending, "decision": "approve",
                                                    "csrf_token": "forged"}, csrf=False)
    assert forged.status_code == 400
    assert db.session.get(Wish, pending).status == WishStatus.PENDING_REVIEW


def test_a_revoked_role_ends_the_session_at_once(console, world):
    browser = console("secretary")
    grant = db.session.execute(db.select(RoleGrant).filter_by(
        user_id=world.users["secretary"].id)).scalar_one()
    grant.revoked_at = utcnow()
    db.session.commit()
    resp = browser.get("/console/wishes")
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/console/login")
    session = db.session.execute(db.select(ConsoleLogin).filter_by(
        user_id=world.users["secretary"].id, status=ConsoleLoginStatus.ENDED)).scalar_one()
    assert session.end_reason == EndReason.REVOKED
    grant.revoked_at = None  # granted again: the ended session stays ended
    db.session.commit()
    assert browser.get("/console/").status_code == 302


def test_eight_idle_hours_end_the_session(console, world):
    browser = console("secretary")
    row = db.session.execute(db.select(ConsoleLogin).filter_by(
        status=ConsoleLoginStatus.ACTIVE)).scalar_one()
    row.last_seen_at = utcnow() - timedelta(hours=8, seconds=1)
    db.session.commit()
    resp = browser.get("/console/")
    assert resp.status_code == 303
    db.session.refresh(row)
    assert (row.status, row.end_reason) == (ConsoleLoginStatus.ENDED, EndReason.IDLE)


def test_logout_ends_the_session_for_good(console):
    browser = console("admin")
    cookie = browser.client.get_cookie("lianxin_console")
    assert browser.post("/console/logout").status_code == 303
    replay = ConsoleClient(browser.client.application.test_client())
    replay.client.set_cookie("lianxin_console", cookie.value)
    assert replay.get("/console/").status_code == 303


def test_residents_and_volunteers_cannot_confirm_and_are_not_listed(client, world):
    page = client.get("/console/login").get_data(as_text=True)
    assert 'data-openid="secretary"' in page and 'data-openid="admin"' in page
    assert 'data-openid="resident"' not in page and 'data-openid="volunteer"' not in page
    with pytest.raises(Forbidden):
        services.confirm_scene(_actor(world, "volunteer"), services.create_scene()[0].scene)


def test_demo_users_are_refused_when_wechat_is_real(app, client, world):
    page = client.get("/console/login")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True)).group(1)
    app.config["WECHAT_MODE"] = "real"
    try:
        listed = client.get("/console/login").get_data(as_text=True)
        resp = client.post("/console/login/demo", data={
            "user_id": world.users["secretary"].id, "csrf_token": csrf})
    finally:
        app.config["WECHAT_MODE"] = "fake"
    assert "demo-user" not in listed
    assert resp.status_code == 404


def test_a_page_refuses_roles_the_registry_does_not_give_it(console, world):
    db.session.add(RoleGrant(user_id=world.users["resident2"].id, role="grid_worker",
                             community_id=world.communities[0].id))
    db.session.commit()
    browser = console("resident2")
    assert browser.get("/console/").status_code == 200
    assert browser.get("/console/wishes").status_code == 403


def test_no_open_redirect_after_sign_in(app, world):
    browser = ConsoleClient(app.test_client())
    page = browser.get("/console/login?next=//evil.example/x").get_data(as_text=True)
    assert "evil.example" not in page


def test_the_session_cookie_is_secure_when_the_setting_says_so(monkeypatch):
    monkeypatch.setenv("CONSOLE_COOKIE_SECURE", "true")
    assert create_app({"TESTING": True}).config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("CONSOLE_COOKIE_SECURE", "false")
    assert create_app({"TESTING": True}).config["SESSION_COOKIE_SECURE"] is False
