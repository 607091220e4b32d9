"""The Idempotency-Key decorator for creating POSTs (API.md). It is part of the request boundary:
it commits the key's reservation by itself, so a concurrent repeat sees it at once."""
import functools
import hashlib
import json

from flask import Response, request

from server.errors import Invalid
from server.extensions import db
from server.idempotency import services
from server.web import loads_bounded

from .common import UNSAFE_TEXT_MESSAGE, current_actor, unsafe_fields

HEADER = "Idempotency-Key"


def _request_hash() -> str:
    body = request.get_data() or b""
    try:  # the same JSON with other spacing or key order is the same request
        body = json.dumps(loads_bounded(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        pass
    return hashlib.sha256(request.method.encode() + b" " + request.path.encode() + b"\n"
                          + body).hexdigest()


def idempotent(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not 1 <= len(key) <= 64:
            raise Invalid(errors={HEADER: ["长度应为 1 到 64 个字符"]})
        if unsafe_fields(key):
            raise Invalid(errors={HEADER: [UNSAFE_TEXT_MESSAGE]})
        actor = current_actor()
        db.session.rollback()  # end the read that loaded the caller; reserve on its own
        reservation = services.reserve_key(actor.user_id, key, _request_hash())
        db.session.commit()
        if reservation.key_id is None:
            return Response(json.dumps(reservation.replay_body, ensure_ascii=False),
                            status=reservation.replay_status, mimetype="application/json",
                            headers={"Idempotent-Replayed": "true"})
        try:
            response = view(*args, **kwargs)
        except BaseException:
            _release(reservation.key_id)
            raise
        if response.status_code < 400:
            services.complete_key(reservation.key_id, response.status_code, response.get_json())
        else:
            _release(reservation.key_id)
        return response
    return wrapper  # functools.wraps copies the view's __dict__, flask-smorest's docs included


def _release(key_id: int) -> None:
    db.session.rollback()
    services.release_key(key_id)
    db.session.commit()


IDEMPOTENCY_DOC = {"parameters": [{
    "in": "header", "name": HEADER, "required": False,
    "description": "重复提交时返回第一次的结果，不重复创建（24 小时内有效）",
    "schema": {"type": "string", "minLength": 1, "maxLength": 64}}]}
