"""The rate-limit store that several gunicorn workers or hosts share in production: two apps
(two workers) on one Redis count together; with a store that is down, requests go through.

The Redis tests need RATELIMIT_TEST_REDIS_URL (`.ci/run` starts one with scripts/redis-start.sh);
without it they are skipped."""
import itertools
import os
import uuid

import pytest

from tests.conftest import TEST_SECRET

REDIS_URL = os.environ.get("RATELIMIT_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="RATELIMIT_TEST_REDIS_URL is not set")
_nonce = itertools.count()


def _worker(storage_uri: str, prefix: str):
    from server import create_app
    return create_app({"TESTING": True, "SECRET_KEY": TEST_SECRET, "RATELIMIT_ENABLED": True,
                       "RATELIMIT_STORAGE_URI": storage_uri, "RATELIMIT_KEY_PREFIX": prefix,
                       "RATELIMIT_LOGIN": "5/minute"}).test_client()


def _login(client):
    return client.post("/api/v1/auth/wechat-login",
                       json={"code": f"fake:resident:shared{next(_nonce)}"},
                       environ_base={"REMOTE_ADDR": "10.9.0.1"}).status_code


@needs_redis
def test_two_workers_on_one_redis_count_together(app, world):
    prefix = uuid.uuid4().hex  # this test's own counters
    first, second = _worker(REDIS_URL, prefix), _worker(REDIS_URL, prefix)
    codes = [_login(first if i % 2 else second) for i in range(5)]
    assert codes == [200] * 5
    assert _login(first) == 429 and _login(second) == 429


def test_workers_with_memory_stores_count_apart(app, world):
    """Why production needs the shared store: per-process counters let W workers allow W times
    the limit."""
    first, second = _worker("memory://", "a"), _worker("memory://", "b")
    assert [_login(first) for _ in range(5)] == [200] * 5
    assert _login(first) == 429
    assert _login(second) == 200


def test_a_store_that_is_down_lets_requests_through(app, world):
    down = _worker("redis://127.0.0.1:9/0", uuid.uuid4().hex)  # nothing listens on port 9
    assert [_login(down) for _ in range(7)] == [200] * 7
