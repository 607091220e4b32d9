"""The console's request boundary: the CSRF check of every form, the session cookie → the signed-in
staff member (roles read fresh on every request, so a revoked role ends the session at once),
the idle timeout, the page registry's role check, HTML error pages and the security headers."""
import hmac
import logging
import secrets

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException

from server.config import settings
from server.console_auth import services
from server.errors import (
    DEFAULT_MESSAGES,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    Unauthorized,
    rollback_quietly,
)
from server.identity.actor import Actor
from server.identity.services import get_me
from server.timeutil import LOCAL_TZ, as_utc
from server.web import UNSAFE_TEXT_MESSAGE, unsafe_fields

from . import bp, names
from .pages import may_open, visible_pages

log = logging.getLogger(__name__)
TOKEN_KEY = "console_token"  # the Flask session key holding the console session's token
CSRF_KEY = "csrf"
CSRF_FIELD = "csrf_token"  # the hidden form field; fetch() sends the header instead
CSRF_HEADER = "X-CSRF-Token"
# Endpoints open without a console session: the login page and its QR code and polling, the
# assets.
PUBLIC = {"console.login", "console.login_qr", "console.login_poll", "console.login_demo",
          "console.static"}
# Multipart uploads (批量导入): a signed-in cookie's body may reach the import's size limit
# (settings().import_max_bytes) instead of the app's 1 MB; anyone else's stays at 1 MB.
UPLOADS = {"console.import_upload"}
UPLOAD_OVERHEAD = 64 * 1024  # the multipart framing and the form's small fields
ROLE_NAMES = names.CONSOLE_ROLE_NAMES


class CsrfRefused(BadRequest):
    description = "表单已过期或缺少校验码（CSRF），请刷新页面后重试"


def csrf_token() -> str:
    """This browser's CSRF token (made on first use, kept in the signed session cookie)."""
    token = session.get(CSRF_KEY)
    if not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def _check_csrf() -> None:
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    expected = session.get(CSRF_KEY) or ""
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


def actor() -> Actor:
    """The signed-in staff member of this console request."""
    return g.console_actor


def start_session(token: str) -> None:
    """A fresh cookie for a fresh sign-in (no fixation): the old session's keys go."""
    session.clear()
    session[TOKEN_KEY] = token
    csrf_token()


def _refuse_unstorable_text() -> None:
    """A query or form value holding NUL, another control character or a lone surrogate is
    refused (422 page) before any view: no database stores them all (PostgreSQL refuses NUL),
    and nobody types them (the API's parser refuses the same, server.web.UNSAFE_TEXT). `next`
    is never stored: login.py's _safe_next drops a bad one and signs in to the workbench."""
    values = request.args.to_dict(flat=False)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        values.update(request.form.to_dict(flat=False))
    values.pop("next", None)
    if unsafe_fields(values):
        raise Invalid(UNSAFE_TEXT_MESSAGE)


@bp.before_request
def _console_boundary():
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if request.endpoint in UPLOADS and session.get(TOKEN_KEY):
            request.max_content_length = settings().import_max_bytes + UPLOAD_OVERHEAD
        _check_csrf()
    _refuse_unstorable_text()
    if request.endpoint in PUBLIC:
        return None
    token = session.get(TOKEN_KEY)
    if not token:
        return redirect(url_for("console.login", next=request.full_path))
    try:
        g.console_actor = services.resume_session(token, request_id=g.get("request_id"))
    except Unauthorized as exc:
        session.pop(TOKEN_KEY, None)
        flash(exc.message)
        return redirect(url_for("console.login"), code=303)
    if not may_open(g.console_actor, request.endpoint):
        raise Forbidden("您的角色不能打开这个页面")
    return None


@bp.after_request
def _console_headers(response):
    response.headers["Cache-Control"] = "no-store"
    images = "'self' data:"
    tiles = settings().console_tile_url
    if tiles:
        images += " " + _origin(tiles)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + images
        + "; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
    return response


def _origin(url_template: str) -> str:
    scheme, _, rest = url_template.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest else "'none'"


def _error_page(code: int, message: str):
    rollback_quietly()
    return render_template("error.html", code=code, message=message), code


@bp.route("/<path:unknown>")
def not_a_page(unknown):
    """Any other path under /console/: the console's own 404 page, not the API's JSON."""
    raise NotFound()


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    if isinstance(exc, Unauthorized):
        session.pop(TOKEN_KEY, None)
        flash(exc.message)
        return redirect(url_for("console.login"), code=303)
    return _error_page(exc.status_code, exc.message)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    code = exc.code or 500
    message = exc.description if isinstance(exc, CsrfRefused) else None
    return _error_page(code, message or DEFAULT_MESSAGES.get(code, DEFAULT_MESSAGES[500]))


@bp.errorhandler(Exception)
def _unexpected_error(exc: Exception):
    """A bug or a lost database on a console page: the console's Chinese error page, never the
    API's JSON (the blueprint's handler is found before the app's, so it answers both)."""
    if isinstance(exc, OperationalError | InterfaceError):
        log.warning("database unavailable: %s", exc)
        return _error_page(503, "数据库暂时不可用，请稍后再试")
    log.exception("unhandled error")
    return _error_page(500, DEFAULT_MESSAGES[500])


def local_time(value) -> str:
    """A stored UTC time as the people of the console read it (Asia/Shanghai)."""
    return as_utc(value).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


def install_template_globals(app) -> None:
    app.add_template_filter(local_time, "local")

    @app.context_processor
    def _console_globals():
        if not request.blueprint == "console":
            return {}
        staff = g.get("console_actor")
        return {"csrf_token": csrf_token, "staff": staff, "role_names": ROLE_NAMES,
                "staff_name": get_me(staff).name if staff else "",
                "nav": visible_pages(staff) if staff else [],
                "fake_wechat": current_app.config.get("WECHAT_MODE") == "fake",
                # Chinese names of codes (console/names.py): no raw status shown to a person
                "status_name": names.status_name, "role_name": names.role_name,
                "action_name": names.action_name, "object_name": names.object_name,
                "scope_name": names.scope_name,
                "file_cell": names.file_cell}
