"""issue 10: pathological JSON (finding 6), the request id audit rows keep (21), security headers
and /docs (22), and an OpenAPI document whose every property has a type (13)."""
import pytest

from server.audit.models import AuditEntry
from server.extensions import db
from tests.conftest import TEST_SECRET

LOGIN = "/api/v1/auth/wechat-login"
SHAPE = {"code", "status", "message", "errors", "request_id"}


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def _post_raw(client, path, body: str, headers=None):
    return client.post(path, data=body, headers={"Content-Type": "application/json",
                                                 **(headers or {})})


def _refused_in_shape(resp):
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.get_data()[:300])
    assert set(resp.get_json()) == SHAPE


# --- finding 6: pathological JSON ----------------------------------------------------------------

PATHOLOGICAL = {
    "nested 1,000 deep": '{"code": ' + _deep(1000) + "}",
    "nested 100,000 deep": _deep(100_000),
    "objects nested 1,000 deep": '{"a":' * 1000 + "1" + "}" * 1000,
    "a 5,000-digit number": '{"code": ' + "9" * 5000 + "}",
    "a 5,000-digit number, top level": "1" * 5000,
    "NaN": '{"code": NaN}',
    "Infinity": '{"code": -Infinity}',
    "a float that overflows": '{"code": 1e999}',
    "not UTF-8": b'{"code": "\xff\xfe"}'.decode("latin-1"),
}


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_json_on_the_anonymous_login_is_a_4xx_in_shape(client, db, body):
    _refused_in_shape(_post_raw(client, LOGIN, body))


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
@pytest.mark.parametrize("idempotency", [False, True])
def test_pathological_json_on_an_authenticated_write_is_a_4xx_in_shape(
        client, world, login, body, idempotency):
    headers = login("resident")
    if idempotency:  # the Idempotency-Key hashes the body as parsed JSON
        headers["Idempotency-Key"] = "deep-1"
    _refused_in_shape(_post_raw(client, "/api/v1/orders", body, headers))


def test_json_nested_just_past_the_bound_is_refused_and_reasonable_depth_is_not(client, db):
    from server.web import MAX_JSON_DEPTH
    too_deep = _post_raw(client, LOGIN, '{"code": ' + _deep(MAX_JSON_DEPTH) + "}")
    assert too_deep.status_code == 422 and "json" in too_deep.get_json()["errors"]
    # eight levels parse: the schema then names the unknown field, the body itself is not refused
    fine = _post_raw(client, LOGIN, '{"code": "fake:nested-ok:1", "x": ' + _deep(8) + "}")
    assert fine.status_code == 422
    assert fine.get_json()["errors"] == {"json": {"x": ["不认识的字段"]}}


def test_long_numbers_in_paths_and_queries_are_refused_in_shape(client, world, login):
    headers = login("resident")
    for path in ("/api/v1/wishes/" + "9" * 5000, "/api/v1/services?page=" + "9" * 5000,
                 "/api/v1/wishes?lat=" + "9" * 5000 + "&lng=1"):
        resp = client.get(path, headers=headers)
        _refused_in_shape(resp)


def test_json_depth_counts_without_recursion():
    from server.web import json_depth
    assert json_depth(1) == 0 and json_depth([]) == 1 and json_depth({"a": [1, {"b": []}]}) == 4
    value = []
    for _ in range(100_000):
        value = [value]
    assert json_depth(value) == 100_001


# --- finding 21: the audit keeps a server-made request id ----------------------------------------

def test_audit_rows_keep_a_server_made_request_id_and_the_clients_beside_it(client, world, login):
    headers = {**login("admin"), "X-Request-ID": "spoofed-id-of-someone-else"}
    resp = client.post("/api/v1/admin/roles", headers=headers, json={
        "openid": "v9", "role": "volunteer", "community_id": world.communities[0].id})
    assert resp.status_code < 300, resp.get_json()
    server_id = resp.headers["X-Request-ID"]
    assert server_id != "spoofed-id-of-someone-else"
    assert resp.headers["X-Client-Request-ID"] == "spoofed-id-of-someone-else"
    row = db.session.execute(db.select(AuditEntry).filter_by(action="role.grant")).scalar_one()
    assert row.request_id == server_id
    assert row.client_request_id == "spoofed-id-of-someone-else"


def test_error_bodies_carry_the_server_made_id(client, db):
    resp = client.get("/api/v1/me", headers={"X-Request-ID": "chosen-by-client"})
    assert resp.status_code == 401
    assert resp.get_json()["request_id"] == resp.headers["X-Request-ID"] != "chosen-by-client"


def test_two_requests_with_the_same_client_id_get_different_server_ids(client, db):
    ids = {client.get("/api/v1/skills", headers={"X-Request-ID": "same"}).headers["X-Request-ID"]
           for _ in range(2)}
    assert len(ids) == 2


# --- finding 22: headers, /docs ------------------------------------------------------------------

def _assert_security_headers(resp):
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Referrer-Policy"] == "no-referrer"


def test_every_response_has_the_security_headers(client, world, login):
    for resp in (client.get("/api/v1/services"), client.get("/api/v1/nowhere"),
                 client.get("/api/v1/me", headers=login("resident")),
                 client.post(LOGIN, data="{", content_type="application/json")):
        _assert_security_headers(resp)


def test_authenticated_answers_are_never_stored_public_pages_keep_caching(client, world, login):
    me = client.get("/api/v1/me", headers=login("resident"))
    assert me.status_code == 200 and me.headers["Cache-Control"] == "no-store"
    orders = client.get("/api/v1/orders/mine", headers=login("resident"))
    assert orders.headers["Cache-Control"] == "no-store"
    public = client.get("/api/v1/services")
    assert public.status_code == 200 and "no-store" not in public.headers.get("Cache-Control", "")


def test_docs_are_served_only_when_the_setting_says_so(app, client, db):
    assert client.get("/docs").status_code == 200  # the test app runs as development
    from server import create_app
    closed = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "API_DOCS": False})
    with closed.test_client() as other:
        assert other.get("/docs").status_code == 404
        assert other.get("/swagger-ui-assets/swagger-ui.css").status_code == 404
        assert other.get("/api/v1/openapi.json").status_code == 200  # the contract stays


# --- finding 13: every property of the document has a type ---------------------------------------

# WishSchema is being rewritten on another branch (issue 10, engineer h2); remove this exclusion
# when it lands.
NOT_YET: tuple[str, ...] = ()


def test_every_property_of_every_schema_has_a_type(client, db):
    spec = client.get("/api/v1/openapi.json").get_json()
    untyped = [f"{name}.{prop}"
               for name, schema in spec["components"]["schemas"].items() if name not in NOT_YET
               for prop, definition in schema.get("properties", {}).items()
               if not {"type", "$ref", "allOf", "anyOf", "oneOf"} & set(definition)]
    assert not untyped, untyped


def test_offering_fields_that_can_be_null_are_nullable(client, db):
    offering = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Offering"]
    for prop in ("venue", "venue_id", "provider_id", "provider_name", "unit_id", "unit",
                 "distance_m"):
        assert offering["properties"][prop].get("nullable") is True, prop
