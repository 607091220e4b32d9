"""Domain errors and the one error shape of API.md: {code, status, message, errors, request_id}."""
import logging
from http import HTTPStatus

from flask import g, jsonify
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

DEFAULT_MESSAGES = {
    400: "请求格式有误，请检查后重试",
    401: "请先登录",
    403: "没有权限执行此操作",
    404: "未找到该内容，或您无权查看",
    405: "不支持该请求方法",
    409: "当前状态不允许此操作",
    413: "提交的内容过大",
    415: "请以 JSON 格式提交",
    422: "输入有误，请检查后重试",
    429: "操作过于频繁，请稍后再试",
    500: "服务器开小差了，请稍后再试",
    503: "服务暂时不可用，请稍后再试",
}


class DomainError(Exception):
    """A rule of the domain refused the request; carries the HTTP status it maps to."""

    status_code = 400

    def __init__(self, message: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message or DEFAULT_MESSAGES[self.status_code]
        self.errors = errors or {}


class Unauthorized(DomainError):
    status_code = 401


class Forbidden(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    status_code = 409


class Invalid(DomainError):
    status_code = 422


class RateLimited(DomainError):
    status_code = 429


class Unavailable(DomainError):
    status_code = 503


def error_body(code: int, message: str | None = None, errors: dict | None = None) -> dict:
    return {
        "code": code,
        "status": HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Error",
        "message": message or DEFAULT_MESSAGES.get(code, DEFAULT_MESSAGES[500]),
        "errors": errors or {},
        "request_id": getattr(g, "request_id", None),
    }


def error_response(code: int, message: str | None = None, errors: dict | None = None):
    resp = jsonify(error_body(code, message, errors))
    resp.status_code = code
    return resp


def _http_errors(exc: HTTPException) -> tuple[str | None, dict]:
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages") or data.get("errors") or {}
    if not isinstance(errors, dict):
        errors = {"_": errors}
    # webargs nests by location ({"json": {...}}); keep it, the client sees where.
    message = data.get("message")
    if message is None and exc.code == 400 and errors:
        message = DEFAULT_MESSAGES[422]
    return message, errors


def rollback_quietly() -> bool:
    """End the request's transaction. If the database went away meanwhile, the rollback itself
    fails: the connection is dropped instead (the pool replaces it) and False is returned, so an
    error answer never turns into a 500 on its way out. Nothing was committed either way."""
    try:
        db.session.rollback()
        return True
    except (OperationalError, InterfaceError) as exc:
        log.warning("rollback failed, connection dropped: %s", exc)
        db.session.close()
        return False


def register_error_handlers(app) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        rollback_quietly()  # the refusal stands: it was decided before anything was written
        return error_response(exc.status_code, exc.message, exc.errors)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        rollback_quietly()
        message, errors = _http_errors(exc)
        code = exc.code or 500
        if code == 400:
            # Malformed JSON and other unparseable bodies are invalid input for the client.
            code = 422
            errors = {"json": ["请求体不是有效的 JSON"]}
        return error_response(code, message, errors)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _db_down(exc):
        rollback_quietly()
        log.warning("database unavailable: %s", exc)
        return error_response(503, "数据库暂时不可用，请稍后再试")

    @app.errorhandler(Exception)
    def _bug(exc: Exception):
        rollback_quietly()
        log.exception("unhandled error")
        return error_response(500)
