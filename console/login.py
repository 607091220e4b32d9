"""Signing in by scanning (API.md part 2): the login page shows a one-time scene as a QR code and
polls it; the staff member confirms it in the mini-program (POST /api/v1/console/sessions/{scene}/
confirm); the poll then turns the scene into this browser's session. In fake-WeChat mode the page
also lists the users with a console role: choosing one confirms the scene as them."""
import io
import re

import segno
from flask import flash, jsonify, redirect, render_template, request, send_file, session, url_for

from server.console_auth import services
from server.errors import Conflict, NotFound

from . import bp
from .auth import TOKEN_KEY, start_session

SCENE_KEY = "console_scene"  # as miniapp_api/console_login.py: [scene, browser key]
QR_PREFIX = "lianxin-console:"  # what the mini-program's scanner reads: the prefix and the scene
SCENE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # a scene create_scene made (32 URL-safe)


@bp.route("/login")
def login():
    if session.get(TOKEN_KEY):
        return redirect(url_for("console.workbench"))
    login, browser_key = services.create_scene()
    session[SCENE_KEY] = [login.scene, browser_key]
    return render_template("login.html", scene=login.scene,
                           qr_url=url_for("console.login_qr", scene=login.scene),
                           demo_users=services.demo_console_users(),
                           next_url=_safe_next(request.args.get("next")))


def _safe_next(target: str | None) -> str:
    """Only a path of the console itself (no open redirect); no control character or space,
    which a browser drops from a URL (and a CR or LF cannot go into a Location header)."""
    if target and target.startswith("/console/") and not target.startswith("/console//") \
            and "\\" not in target and len(target) <= 2000 \
            and not any(ch <= " " or ch == "\x7f" for ch in target):
        return target
    return url_for("console.workbench")


@bp.route("/login/qr/<scene>.png")
def login_qr(scene):
    if not SCENE_SHAPE.fullmatch(scene):  # a scene is 32 URL-safe characters (create_scene)
        raise NotFound("二维码不存在或已失效，请刷新登录页")
    buffer = io.BytesIO()
    segno.make(QR_PREFIX + scene, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return send_file(buffer, mimetype="image/png")


@bp.route("/login/poll", methods=["POST"])
def login_poll():
    """The waiting page asks (every 2 s) whether its scene was confirmed; if so it is signed in."""
    held = session.get(SCENE_KEY)
    if not held:
        return jsonify(status="expired")
    try:
        _login, token = services.sign_in(held[0], held[1])
    except (NotFound, Conflict):
        session.pop(SCENE_KEY, None)
        return jsonify(status="expired")
    if token is None:
        return jsonify(status="waiting")
    start_session(token)
    return jsonify(status="signed_in", next=_safe_next(request.form.get("next")))


@bp.route("/login/demo", methods=["POST"])
def login_demo():
    """Fake-WeChat mode: confirm this browser's scene as the chosen user (as if they scanned)."""
    held = session.get(SCENE_KEY)
    if not held:
        flash("二维码已失效，请重试")
        return redirect(url_for("console.login"), code=303)
    user_id = request.form.get("user_id", type=int)
    if user_id is None or not 1 <= user_id < 2**31:
        raise NotFound("没有这个用户")
    token = services.sign_in_as_demo_user(user_id, held[0], held[1])
    start_session(token)
    return redirect(_safe_next(request.form.get("next")), code=303)


@bp.route("/logout", methods=["POST"])
def logout():
    services.end_session(session[TOKEN_KEY])
    session.clear()
    flash("已退出登录")
    return redirect(url_for("console.login"), code=303)
