"""The request boundary: request ids, write intent, and one transaction per request."""
import re
import uuid

from flask import g, request
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from .db import write_intent
from .errors import error_response, rollback_quietly
from .extensions import db

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def register_request_hooks(app) -> None:
    @app.before_request
    def _begin():
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        g.write_token = write_intent.set(request.method not in _READ_METHODS)
        g.pop("actor", None)  # an app context may outlive a request (tests, CLI)

    @app.after_request
    def _finish(response):
        if response.status_code < 400:
            try:
                db.session.commit()
            except IntegrityError:
                rollback_quietly()
                response = error_response(409, "数据冲突，请刷新后重试")
            except (OperationalError, InterfaceError):
                rollback_quietly()
                response = error_response(503, "数据库暂时不可用，请稍后再试")
        else:
            rollback_quietly()
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        return response

    @app.teardown_request
    def _end(_exc):
        token = g.pop("write_token", None)
        if token is not None:
            write_intent.reset(token)
