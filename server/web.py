"""The request boundary: request ids, write intent, bounded JSON, and one transaction per
request."""
import json
import math
import re
import uuid

from flask import g, request
from flask.json.provider import DefaultJSONProvider
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from .audit.context import client_request_id
from .database import write_intent
from .errors import error_response, rollback_quietly
from .extensions import db

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# No request of ours nests deeper than a few levels; a body nested deeper is refused as invalid
# JSON before anything walks it (the parser itself stops at Python's recursion limit, ~1,000).
MAX_JSON_DEPTH = 32

# NUL, the other C0 controls but tab, newline and carriage return, and lone surrogates (which JSON's
# \uD800 escapes can produce): no database stores them all (PostgreSQL refuses NUL in text, and
# neither driver can encode a lone surrogate), and no resident types them.
UNSAFE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
UNSAFE_TEXT_MESSAGE = "不能包含控制字符或无效字符"


def unsafe_fields(value, field=None, found=None):
    """The top-level fields whose value (at any depth, keys included) holds unsafe text;
    "_schema" stands for a top-level key that is itself unsafe."""
    found = set() if found is None else found
    if isinstance(value, str):
        if UNSAFE_TEXT.search(value):
            found.add("_schema" if field is None else field)
    elif isinstance(value, dict):
        for key, item in value.items():
            unsafe_key = isinstance(key, str) and bool(UNSAFE_TEXT.search(key))
            name = field if field is not None else "_schema" if unsafe_key else str(key)
            if unsafe_key:
                found.add(name)
            unsafe_fields(item, name, found)
    elif isinstance(value, list):
        for item in value:
            unsafe_fields(item, field, found)
    return found


def json_depth(value) -> int:
    """How deeply a parsed JSON value nests (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in item)
    return deepest


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # 1e999: valid JSON, but no quantity of ours
        raise ValueError("number out of range")
    return value


def loads_bounded(data):
    """json.loads for what clients send: ValueError (never RecursionError, never a 500) for a
    body nested deeper than MAX_JSON_DEPTH, an integer longer than Python converts (4,300
    digits), NaN/Infinity or a number that overflows to it, or bytes that are not UTF-8."""
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data).decode("utf-8")  # UnicodeDecodeError is a ValueError
    try:
        value = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError("JSON nested too deeply")
    return value


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with request bodies parsed by loads_bounded (request.get_json turns its
    ValueError into a 400, which server.errors answers as a 422 in the error shape)."""

    def loads(self, s, **kwargs):
        return loads_bounded(s)


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def _security_headers(response) -> None:
    """On every response: no sniffing, no framing, no referrer. An answer to an authenticated
    request (/me, contact details, anything a token unlocked) is never stored by a browser or a
    proxy; public pages (no Authorization) keep whatever caching they have."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.headers.get("Authorization"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"


def register_request_hooks(app) -> None:
    app.json = BoundedJSONProvider(app)

    @app.before_request
    def _begin():
        # The request id is always made here: audit rows and error bodies carry it, and a client
        # must not be able to choose it. A well-formed X-Request-ID from the client is kept beside
        # it (audit rows, X-Client-Request-ID) for correlation only.
        g.request_id = uuid.uuid4().hex
        incoming = request.headers.get("X-Request-ID", "")
        g.client_request_id = incoming if _SAFE_ID.match(incoming) else None
        g.client_request_token = client_request_id.set(g.client_request_id)
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
        if g.get("client_request_id"):
            response.headers["X-Client-Request-ID"] = g.client_request_id
        _security_headers(response)
        return response

    @app.teardown_request
    def _end(_exc):
        token = g.pop("write_token", None)
        if token is not None:
            write_intent.reset(token)
        token = g.pop("client_request_token", None)
        if token is not None:
            client_request_id.reset(token)
