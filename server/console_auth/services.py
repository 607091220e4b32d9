"""Console sign-in by scanning: create a one-time scene, confirm it from the mini-program, sign
the waiting browser in, and check its session on every request (idle timeout, revoked roles)."""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from ..audit.services import record_audit
from ..config import settings
from ..errors import Conflict, Forbidden, NotFound, Unauthorized
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import RoleGrant, User
from ..identity.services import load_actor
from ..timeutil import as_utc, utcnow
from .models import CONSOLE_LOGIN, CONSOLE_ROLES, ConsoleLogin, ConsoleLoginStatus, EndReason

# Touch a session's last_seen_at at most this often (a write per page view is not needed to
# measure hours of idleness).
TOUCH_EVERY = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def has_console_role(actor: Actor) -> bool:
    return bool(actor.roles & CONSOLE_ROLES)


def create_scene(*, now: datetime | None = None) -> tuple[ConsoleLogin, str]:
    """Anyone: a new one-time scene and the browser key that alone may sign in with it."""
    now = now or utcnow()
    browser_key = secrets.token_urlsafe(32)
    login = ConsoleLogin(scene=secrets.token_urlsafe(24), browser_hash=_hash(browser_key),
                         created_at=now,
                         expires_at=now + timedelta(seconds=settings().console_scene_ttl_s))
    CONSOLE_LOGIN.move(login, ConsoleLoginStatus.WAITING)
    db.session.add(login)
    db.session.flush()
    return login, browser_key


def _scene(scene: str) -> ConsoleLogin:
    login = db.session.execute(db.select(ConsoleLogin).filter_by(scene=scene)).scalar_one_or_none()
    if login is None:
        raise NotFound("二维码不存在或已失效，请刷新登录页")
    return login


def confirm_scene(actor: Actor, scene: str, *, now: datetime | None = None) -> ConsoleLogin:
    """A signed-in staff member (any role granted with a scope) confirms a waiting, unexpired
    scene; once only, also when two confirm at the same moment."""
    now = now or utcnow()
    if not has_console_role(actor):
        raise Forbidden("您没有工作台权限")
    login = _scene(scene)
    if as_utc(login.expires_at) <= now:
        raise Conflict("二维码已过期，请刷新登录页")
    CONSOLE_LOGIN.check(login.status, ConsoleLoginStatus.CONFIRMED,
                        error_message="二维码已被使用，请刷新登录页")
    moved = db.session.execute(
        update(ConsoleLogin).where(ConsoleLogin.id == login.id,
                                   ConsoleLogin.status == ConsoleLoginStatus.WAITING)
        .values(status=ConsoleLoginStatus.CONFIRMED, user_id=actor.user_id, confirmed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise Conflict("二维码已被使用，请刷新登录页")
    db.session.refresh(login)
    record_audit(actor, "console.login_confirmed", "console_login", login.id)
    return login


def confirm_scene_as_demo_user(user_id: int, scene: str, *,
                               now: datetime | None = None) -> ConsoleLogin:
    """Fake-WeChat mode only (development, the demo, the tests): confirm a scene as the chosen
    user, as if they had scanned it. Refused when WeChat is real."""
    if current_app.config.get("WECHAT_MODE") != "fake":
        raise NotFound()
    try:
        actor = load_actor(user_id)
    except Unauthorized:
        raise NotFound("没有这个用户") from None
    return confirm_scene(actor, scene, now=now)


def sign_in_as_demo_user(user_id: int, scene: str, browser_key: str, *,
                         now: datetime | None = None) -> str:
    """Fake-WeChat mode only: confirm this browser's scene as the chosen user and sign in."""
    confirm_scene_as_demo_user(user_id, scene, now=now)
    _login, token = sign_in(scene, browser_key, now=now)
    return token


def sign_in(scene: str, browser_key: str, *,
            now: datetime | None = None) -> tuple[ConsoleLogin, str | None]:
    """The waiting browser asks whether its scene was confirmed: if so, the scene becomes its
    session and the session token is returned (once); else (login, None) while it waits."""
    now = now or utcnow()
    login = _scene(scene)
    if not hmac.compare_digest(login.browser_hash, _hash(browser_key)):
        raise NotFound("二维码不存在或已失效，请刷新登录页")
    if login.status == ConsoleLoginStatus.WAITING and as_utc(login.expires_at) > now:
        return login, None
    if login.status != ConsoleLoginStatus.CONFIRMED:
        raise Conflict("二维码已失效，请刷新登录页")
    token = secrets.token_urlsafe(32)
    CONSOLE_LOGIN.move(login, ConsoleLoginStatus.ACTIVE)
    login.session_hash, login.last_seen_at = _hash(token), now
    db.session.flush()
    return login, token


def _end(login: ConsoleLogin, reason: EndReason, now: datetime) -> None:
    CONSOLE_LOGIN.move(login, ConsoleLoginStatus.ENDED)
    login.ended_at, login.end_reason = now, reason
    db.session.flush()


def resume_session(token: str, *, request_id: str | None = None,
                   now: datetime | None = None) -> Actor:
    """The staff member a session cookie names, with roles read fresh from the database; 401
    (and the session ended) after the idle timeout or when no console role is left."""
    now = now or utcnow()
    login = db.session.execute(db.select(ConsoleLogin).filter_by(
        session_hash=_hash(token), status=ConsoleLoginStatus.ACTIVE)).scalar_one_or_none()
    if login is None:
        raise Unauthorized("请扫码登录工作台")
    idle = timedelta(seconds=settings().console_idle_timeout_s)
    if as_utc(login.last_seen_at) + idle <= now:
        _end(login, EndReason.IDLE, now)
        raise Unauthorized("长时间未操作，请重新扫码登录")
    try:
        actor = load_actor(login.user_id, request_id=request_id)
    except Unauthorized:
        actor = None  # the account was cancelled (注销)
    if actor is None or not has_console_role(actor):
        _end(login, EndReason.REVOKED, now)
        raise Unauthorized("您的工作台权限已被撤销，请联系管理员")
    if now - as_utc(login.last_seen_at) >= TOUCH_EVERY:
        login.last_seen_at = now
        db.session.flush()
    return actor


def end_session(token: str, *, now: datetime | None = None) -> None:
    """Log out: the session ends for good (the cookie no longer names a live session)."""
    login = db.session.execute(db.select(ConsoleLogin).filter_by(
        session_hash=_hash(token), status=ConsoleLoginStatus.ACTIVE)).scalar_one_or_none()
    if login is not None:
        _end(login, EndReason.LOGOUT, now or utcnow())


def demo_console_users(limit: int = 40) -> list[tuple[User, list[str]]]:
    """Fake-WeChat mode only: the users with a live console role, for the login page's list."""
    if current_app.config.get("WECHAT_MODE") != "fake":
        return []
    rows = db.session.execute(
        db.select(User, RoleGrant.role).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.revoked_at.is_(None), RoleGrant.role.in_(CONSOLE_ROLES),
               User.cancelled_at.is_(None))
        .order_by(User.id, RoleGrant.id)).all()
    users: dict[int, tuple[User, list[str]]] = {}
    for user, role in rows:
        users.setdefault(user.id, (user, []))[1].append(role)
    return list(users.values())[:limit]
