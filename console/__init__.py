"""The secretaries' web console: a second face beside miniapp_api/ (DESIGN.md, Architecture).

Server-rendered Chinese pages (Jinja templates in console/templates, our own CSS and JavaScript in
console/static: no CDN, it runs on a government intranet). Views parse, call one service of
server/ (the same services as the API) and render. Pages are registered in console/pages.py;
docs/console.md says how to add one.
"""
from flask import Blueprint

from server.config import settings

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static")


def register_console(app) -> None:
    """Wire the console into the app (called by server.create_app, the composition root)."""
    from . import auth, login, pages  # noqa: F401  their routes and hooks land on bp
    from .views import register_views
    register_views()
    # The console's session lives in Flask's signed cookie (it names a server-side session row
    # of server/console_auth): never readable by scripts, never sent on cross-site requests.
    app.config.update(SESSION_COOKIE_NAME="lianxin_console", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=settings(app).console_cookie_secure)
    app.register_blueprint(bp)
    auth.install_template_globals(app)
