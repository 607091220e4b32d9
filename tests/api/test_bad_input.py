"""Bad input on every endpoint gets a documented 4xx in the error shape, never a 5xx."""
import pytest

from .matrix import MATRIX, fill_path

API = "/api/v1"
WRITE_KEYS = sorted(k for k in MATRIX if k.split()[0] in ("POST", "PATCH", "PUT"))
PUBLIC_WRITES = ["POST /auth/wechat-login"]
BAD_BODIES = [
    ("malformed", b'{"a": ', "application/json"),
    ("array", b"[1, 2]", "application/json"),
    ("string", b'"hello"', "application/json"),
    ("nulls", b'{"name": null, "code": null, "skills": null, "purpose": null}', "application/json"),
    ("huge", ('{"name": "' + "长" * 200_000 + '"}').encode(), "application/json"),
    ("wrong types", b'{"name": 5, "code": [], "skills": "x", "lat": "n", "role": 1}',
     "application/json"),
    ("unknown enum", b'{"purpose": "spying", "role": "emperor", "need_tier": 9}',
     "application/json"),
    ("form", b"a=1&b=2", "application/x-www-form-urlencoded"),
    ("bad utf8", b'{"name": "\xff\xfe"}', "application/json"),
]


VOLATILE = {"fake_wechat_codes", "audit_log", "idempotency_keys", "wechat_tokens", "users"}


def _fingerprint():
    """Every stored row of the domain's tables, to prove bad input changed nothing."""
    from sqlalchemy import inspect

    from server.extensions import db
    db.session.rollback()
    existing = set(inspect(db.engine).get_table_names())
    rows = {}
    for table in db.metadata.sorted_tables:
        if table.name not in VOLATILE and table.name in existing:
            rows[table.name] = db.session.execute(
                table.select().order_by(*table.primary_key.columns)).all()
    return rows


def _assert_clean_4xx(resp, context):
    assert 400 <= resp.status_code < 500, (context, resp.status_code, resp.get_data()[:300])
    body = resp.get_json()
    assert set(body) == {"code", "status", "message", "errors", "request_id"}, context
    assert body["code"] == resp.status_code


@pytest.mark.parametrize("key", WRITE_KEYS + PUBLIC_WRITES)
def test_write_endpoints_refuse_bad_bodies(app, client, world, login, key):
    method, template = key.split(" ", 1)
    path = API + fill_path(template, world, key)
    headers = login("admin")
    spec = app.extensions["lianxin_api"].spec.to_dict()["paths"]
    takes_body = "requestBody" in spec[API + template][method.lower()]
    before = _fingerprint()
    for label, data, ctype in BAD_BODIES:
        resp = client.open(path, method=method, data=data, content_type=ctype, headers=headers)
        if not takes_body and ctype == "application/json":
            assert resp.status_code < 500, (key, label)  # a body it does not read is ignored
            continue
        _assert_clean_4xx(resp, (key, label))
    if takes_body:
        assert _fingerprint() == before, key


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page_size=101", "page_size=-1",
                                   "status=unknown", "community_id=abc",
                                   "community_id=99999999999999999999"])
def test_list_query_params_are_checked(client, world, login, query):
    resp = client.get(f"{API}/volunteers?{query}", headers=login("admin"))
    _assert_clean_4xx(resp, query)


@pytest.mark.parametrize("path", ["/volunteers/0", "/volunteers/99999999999999999999",
                                  "/volunteers/-1", "/volunteers/abc", "/nowhere",
                                  "/admin/roles/99999999999/revoke"])
def test_bad_paths_are_404_in_shape(client, world, login, path):
    resp = client.get(API + path, headers=login("admin"))
    _assert_clean_4xx(resp, path)


def test_wrong_method_is_405_in_shape(client, world):
    resp = client.delete(API + "/communities")
    _assert_clean_4xx(resp, "DELETE")
    assert resp.status_code == 405


def test_bad_authorization_headers(client, world):
    for header in ("Bearer", "Bearer ", "Basic abc", "bearer a.b.c", "Token x", "Bearer " + "a" * 5000):
        resp = client.get(API + "/me", headers={"Authorization": header})
        assert resp.status_code == 401, header
