"""Text that no database can store (NUL, other control characters, lone surrogates) is refused
with a 422 naming the field, before anything is written; PostgreSQL would otherwise answer 500."""
import json

import pytest

from miniapp_api.common import UNSAFE_TEXT_MESSAGE, unsafe_fields
from server.extensions import db
from server.wishes.models import Wish

WISH = {"title": "冬天的棉衣", "description": "老人需要一件厚棉衣过冬", "category": "goods"}


def _raw(client, path, body, headers):
    # json.dumps escapes a lone surrogate as \udXXX, the way a hostile client would send it
    return client.post(path, data=json.dumps(body), content_type="application/json",
                       headers=headers)


@pytest.mark.parametrize("field,value", [
    ("title", "W\x00棉衣"), ("title", "棉\x07衣"), ("address", "a\udc75路"),
    ("description", "需要\x1b帮助"), ("skills", ["正常", "坏\x00"]),
])
def test_posting_a_wish_with_unsafe_text_is_422_and_stores_nothing(client, world, login,
                                                                  field, value):
    before = db.session.query(Wish).count()
    resp = _raw(client, "/api/v1/wishes", {**WISH, field: value},
                {**login("resident"), "Idempotency-Key": f"unsafe-{field}-{len(str(value))}"})
    assert resp.status_code == 422, resp.get_json()
    body = resp.get_json()
    assert body["errors"]["json"] == {field: [UNSAFE_TEXT_MESSAGE]}
    db.session.rollback()
    assert db.session.query(Wish).count() == before


def test_tabs_and_newlines_are_ordinary_text(client, world, login):
    resp = _raw(client, "/api/v1/wishes", {**WISH, "description": "第一行\n第二行\t（右）\r\n"},
                {**login("resident"), "Idempotency-Key": "tabs-ok"})
    assert resp.status_code == 201, resp.get_json()


def test_profile_update_refuses_nul(client, world, login):
    resp = client.patch("/api/v1/me", data=json.dumps({"name": "王\u0000"}),
                        content_type="application/json", headers=login("resident"))
    assert resp.status_code == 422
    assert resp.get_json()["errors"]["json"] == {"name": [UNSAFE_TEXT_MESSAGE]}


def test_an_unsafe_key_is_refused_as_a_whole(client, world, login):
    resp = _raw(client, "/api/v1/wishes", {**WISH, "ti\x00tle": "x"},
                {**login("resident"), "Idempotency-Key": "bad-key"})
    assert resp.status_code == 422
    assert resp.get_json()["errors"]["json"] == {"_schema": [UNSAFE_TEXT_MESSAGE]}


def test_query_strings_are_checked_too(client, world, login):
    resp = client.get("/api/v1/wishes?category=goods%00&page=1", headers=login("resident"))
    assert resp.status_code == 422
    assert resp.get_json()["errors"]["query"] == {"category": [UNSAFE_TEXT_MESSAGE]}


def test_the_walk_names_top_level_fields_at_any_depth():
    assert unsafe_fields({"a": "ok", "b": {"c": ["x", "y\x00"]}, "d": 3}) == {"b"}
    assert unsafe_fields({"a": "fine\tline\n"}) == set()
    assert unsafe_fields(["\ud800"]) == {"_schema"}


def test_an_idempotency_key_with_control_characters_is_refused(client, world, login):
    resp = _raw(client, "/api/v1/wishes", WISH,
                {**login("resident"), "Idempotency-Key": "key\x01one"})
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == {"Idempotency-Key": [UNSAFE_TEXT_MESSAGE]}


@pytest.mark.parametrize("purpose", ["a%00b", "%ED%A0%80", "nothing"])
def test_withdrawing_an_unknown_purpose_is_404(client, world, login, purpose):
    resp = client.post(f"/api/v1/me/consents/{purpose}/withdraw", headers=login("resident"))
    assert resp.status_code == 404, resp.get_json()


@pytest.mark.parametrize("path", ["/me/consents/a%00b/withdraw", "/me/consents/%01/withdraw"])
def test_a_path_segment_with_control_characters_matches_no_route(app, client, world, login, path):
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        with pytest.raises(Exception) as exc:
            adapter.match("/api/v1" + path.replace("%00", "\x00").replace("%01", "\x01"),
                          method="POST")
    assert getattr(exc.value, "code", None) == 404
    resp = client.post("/api/v1" + path, headers=login("resident"))
    assert resp.status_code == 404
    assert set(resp.get_json()) == {"code", "status", "message", "errors", "request_id"}
