"""Rate limits: a burst past the limit gets 429 in the one error shape with Retry-After; the
limits are per user once logged in and per address before; the rest of the suite runs unlimited."""
import itertools

import pytest

from tests.conftest import TEST_SECRET

_nonce = itertools.count()
LIMITS = {"RATELIMIT_LOGIN": "5/minute", "RATELIMIT_CLAIM": "3/minute",
          "RATELIMIT_POST": "2/hour"}


@pytest.fixture
def limited(app, world):
    """A second app on the same database with rate limits on (and small, to burst quickly)."""
    from server import create_app
    limited_app = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET,
                              "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                              **LIMITS})
    return limited_app.test_client()


def _login(client, openid, addr="10.0.0.1"):
    return client.post("/api/v1/auth/wechat-login", json={"code": f"fake:{openid}:{next(_nonce)}"},
                       environ_base={"REMOTE_ADDR": addr})


def _assert_429_shape(resp, window=60):
    assert resp.status_code == 429, resp.get_json()
    body = resp.get_json()
    assert set(body) == {"code", "status", "message", "errors", "request_id"}
    assert body["code"] == 429 and body["status"] == "Too Many Requests"
    assert "频繁" in body["message"] and body["request_id"]
    assert 1 <= int(resp.headers["Retry-After"]) <= window


def test_login_burst_from_one_address_gets_429_in_shape(limited):
    codes = [_login(limited, "resident").status_code for _ in range(5)]
    assert codes == [200] * 5
    _assert_429_shape(_login(limited, "resident"))
    assert _login(limited, "resident", addr="10.0.0.2").status_code == 200  # another address


def test_claims_are_limited_per_volunteer(limited, world):
    headers = {"Authorization": "Bearer " + _login(limited, "volunteer").get_json()["token"]}
    other = {"Authorization": "Bearer " + _login(limited, "volunteer2").get_json()["token"]}
    wid = world.wishes["claimed"].id  # already claimed: each try is a 409 that still counts
    codes = [limited.post(f"/api/v1/wishes/{wid}/claim", headers=headers).status_code
             for _ in range(3)]
    assert codes == [409] * 3
    _assert_429_shape(limited.post(f"/api/v1/wishes/{wid}/claim", headers=headers))
    assert limited.post(f"/api/v1/wishes/{wid}/claim", headers=other).status_code == 409


def test_posting_is_limited_per_user(limited):
    headers = {"Authorization": "Bearer " + _login(limited, "resident").get_json()["token"]}
    body = {"title": "需要一个书包", "description": "孩子开学需要书包", "category": "goods"}
    codes = [limited.post("/api/v1/wishes", headers=headers, json=body).status_code
             for _ in range(2)]
    assert codes == [201, 201]
    _assert_429_shape(limited.post("/api/v1/wishes", headers=headers, json=body), window=3600)


def test_suite_app_is_not_limited(client, world, login):
    for _ in range(30):  # more than the default 20 logins a minute from one address
        login("resident")


def test_every_limited_endpoint_of_a_registered_blueprint_exists(app):
    from server.ratelimit import LIMITED_ENDPOINTS
    blueprints = set(app.blueprints)
    for endpoint in LIMITED_ENDPOINTS:
        if endpoint.split(".")[0] in blueprints:
            assert endpoint in app.view_functions, endpoint


def test_behind_a_trusted_proxy_logins_are_limited_per_client(app, world):
    """TRUSTED_PROXIES=1: the client's address comes from X-Forwarded-For, so two residents
    behind one proxy are counted apart; without it they would share the proxy's count."""
    from server import create_app
    proxied = create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://", "TRUSTED_PROXIES": 1,
                          **LIMITS}).test_client()

    def login_from(client_addr):
        return proxied.post("/api/v1/auth/wechat-login",
                            json={"code": f"fake:resident:{next(_nonce)}"},
                            environ_base={"REMOTE_ADDR": "10.0.0.254"},
                            headers={"X-Forwarded-For": client_addr}).status_code
    assert [login_from("203.0.113.7") for _ in range(5)] == [200] * 5
    assert login_from("203.0.113.7") == 429
    assert login_from("203.0.113.8") == 200
