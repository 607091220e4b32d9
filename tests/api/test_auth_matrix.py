"""Every endpoint that needs a login answers 401 without one, and 403/404 to the wrong caller."""
import re

import pytest

from .matrix import BODIES, MATRIX, fill_path

API = "/api/v1"


def _served_endpoints(app):
    public = app.extensions["lianxin_public_endpoints"]
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API + "/") or rule.endpoint in public:
            continue
        if rule.endpoint.startswith("api-docs"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            template = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule[len(API):])
            yield f"{method} {template}"


def test_every_endpoint_is_in_the_matrix(app):
    missing = sorted(set(_served_endpoints(app)) - set(MATRIX))
    assert not missing, f"add these endpoints to tests/api/matrix.py: {missing}"


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_anonymous_caller_gets_401(client, world, key):
    method, template = key.split(" ", 1)
    path = API + fill_path(template, world, key)
    resp = client.open(path, method=method, json=BODIES.get(key, {}))
    assert resp.status_code == 401, (key, resp.get_json())
    body = resp.get_json()
    assert set(body) == {"code", "status", "message", "errors", "request_id"}


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_each_role_gets_the_expected_status(client, world, login, key):
    method, template = key.split(" ", 1)
    for who, expected in MATRIX[key].items():
        path = API + fill_path(template, world, key)
        resp = client.open(path, method=method, json=BODIES.get(key, {}), headers=login(who))
        assert resp.status_code == expected, (key, who, resp.get_json())
        if expected >= 400:
            assert resp.get_json()["code"] == expected
        # State may have changed (e.g. an approval); later callers see a fresh world per key.
        if expected < 300:
            break
