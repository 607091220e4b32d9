"""Signing in to the web console by scanning (API.md part 2, "The console"): the console's login
page asks for a one-time scene and shows it as a QR code; the staff member's mini-program
confirms it. The browser that asked keeps the scene's key in its (HttpOnly) session cookie, so
only it can turn the confirmed scene into a console session (console/login.py)."""
from flask import session, url_for

from server.console_auth import services

from .common import current_actor
from .console_login_schemas import ConfirmedSchema, SceneSchema
from .routes import Blueprint

PUBLIC = ("create_scene",)
# The Flask session key under which the browser keeps its waiting scene and that scene's key.
SCENE_KEY = "console_scene"

blp = Blueprint("console_login", __name__, description="工作台扫码登录")


def _scene_view(login, browser_key):
    session[SCENE_KEY] = [login.scene, browser_key]
    expires_in = int((login.expires_at - login.created_at).total_seconds())
    return {"scene": login.scene, "expires_in": expires_in,
            "qr_png_url": url_for("console.login_qr", scene=login.scene)}


@blp.acts("/console/sessions", SceneSchema, status=201, public=True)
def create_scene():
    """新建一个工作台登录二维码（一次性，短时有效）"""
    return _scene_view(*services.create_scene())


@blp.acts("/console/sessions/<scene>/confirm", ConfirmedSchema)
def confirm_scene(scene):
    """用小程序确认工作台登录（需有工作台角色）"""
    login = services.confirm_scene(current_actor(), scene)
    return {"scene": login.scene, "confirmed": True}
