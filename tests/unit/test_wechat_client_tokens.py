"""WeChatClient's stable access token: caching, refresh ahead of expiry, retry once on 40001/42001."""
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from server.wechat import (
    AccessTokenInvalid,
    InvalidAppCredentials,
    MemoryTokenStore,
    SystemBusy,
    WeChatClient,
    WeChatUnavailable,
)

FIXTURES = Path(__file__).parent / "fixtures" / "wechat"
BASE = "https://api.weixin.qq.com"
APP_ID, SECRET = "wx0123456789abcdef", "s3cr3t-app-secret-value"
TOKEN_URL = f"{BASE}/cgi-bin/stable_token"
SEND_URL = f"{BASE}/cgi-bin/message/subscribe/send"
CHECK_URL = f"{BASE}/wxa/msg_sec_check"
PHONE_URL = f"{BASE}/wxa/business/getuserphonenumber"
START = 1_700_000_000.0


def payload(name):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


FIRST = payload("stable_token_ok")["access_token"]
SECOND = payload("stable_token_ok_2")["access_token"]


class Clock:
    def __init__(self, now=START):
        self.now = now

    def __call__(self):
        return self.now


def calls_to(rsps, url):
    return [c for c in rsps.calls if c.request.url.split("?")[0] == url]


def token_in(call):
    return parse_qs(urlsplit(call.request.url).query)["access_token"][0]


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store():
    return MemoryTokenStore()


@pytest.fixture
def client(store, clock):
    return WeChatClient(APP_ID, SECRET, store, clock=clock, refresh_ahead_s=300)


def test_token_request_is_a_stable_token_post_that_never_forces_a_refresh(rsps, client):
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok"))
    assert client.access_token() == FIRST
    [call] = rsps.calls
    assert call.request.method == "POST"
    assert urlsplit(call.request.url).query == ""  # the secret travels in the body only
    assert json.loads(call.request.body) == {
        "grant_type": "client_credential", "appid": APP_ID, "secret": SECRET,
        "force_refresh": False}


def test_the_token_is_fetched_once_and_then_served_from_the_store(rsps, client, store, clock):
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok"))
    assert client.access_token() == FIRST
    clock.now += 3600
    assert client.access_token() == FIRST
    assert len(rsps.calls) == 1
    assert store.get() == (FIRST, START + 7200)


def test_a_token_close_to_expiry_is_fetched_again(rsps, client, store, clock):
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok"))
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok_2"))
    client.access_token()
    clock.now = START + 7200 - 301  # still outside the 300 s refresh window
    assert client.access_token() == FIRST
    clock.now = START + 7200 - 299
    assert client.access_token() == SECOND
    assert store.get() == (SECOND, clock.now + 7200)
    assert [json.loads(c.request.body)["force_refresh"] for c in rsps.calls] == [False, False]


def test_a_token_put_in_the_store_by_another_worker_is_used(rsps, client, store):
    store.put("from-another-worker", START + 5000)
    assert client.access_token() == "from-another-worker"
    assert len(rsps.calls) == 0


def test_refresh_access_token_fetches_even_when_the_cache_is_fresh(rsps, client, store):
    store.put(FIRST, START + 7000)
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok_2"))
    assert client.refresh_access_token() == SECOND
    assert json.loads(rsps.calls[0].request.body)["force_refresh"] is False
    assert store.get() == (SECOND, START + 7200)


@pytest.mark.parametrize("answer, error", [
    ("errcode_40125", InvalidAppCredentials), ("errcode_-1", SystemBusy),
])
def test_token_fetch_errors_are_raised_and_nothing_is_stored(rsps, client, store, answer, error):
    rsps.add(responses.POST, TOKEN_URL, json=payload(answer))
    with pytest.raises(error):
        client.access_token()
    assert store.get() is None


def test_a_token_answer_without_a_token_is_unavailable(rsps, client, store):
    rsps.add(responses.POST, TOKEN_URL, json={"expires_in": 7200})
    with pytest.raises(WeChatUnavailable):
        client.access_token()
    assert store.get() is None


def _call(client, which):
    if which == "send":
        return client.send_subscribe_message("oUser1", "TPL_abc", {"thing1": "x"})
    if which == "check":
        return client.msg_sec_check("oUser1", "text")
    return client.phone_number("code")


TOKEN_CALLS = [
    ("send", SEND_URL, "subscribe_send_ok"),
    ("check", CHECK_URL, "msg_sec_check_pass"),
    ("phone", PHONE_URL, "getuserphonenumber_ok"),
]


@pytest.mark.parametrize("errcode", [40001, 42001])
@pytest.mark.parametrize("which, url, ok", TOKEN_CALLS)
def test_a_rejected_token_is_dropped_and_the_call_retried_once_with_a_new_one(
        rsps, client, store, errcode, which, url, ok):
    store.put(FIRST, START + 7000)  # cached and, as far as the client knows, fresh
    rsps.add(responses.POST, url, json=payload(f"errcode_{errcode}"))
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok_2"))
    rsps.add(responses.POST, url, json=payload(ok))
    _call(client, which)
    assert [token_in(c) for c in calls_to(rsps, url)] == [FIRST, SECOND]
    [fetch] = calls_to(rsps, TOKEN_URL)
    assert json.loads(fetch.request.body)["force_refresh"] is False
    assert store.get() == (SECOND, START + 7200)


@pytest.mark.parametrize("which, url, ok", TOKEN_CALLS)
def test_a_token_rejected_twice_raises_after_one_retry(rsps, client, store, which, url, ok):
    store.put(FIRST, START + 7000)
    rsps.add(responses.POST, url, json=payload("errcode_40001"))
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok_2"))
    rsps.add(responses.POST, url, json=payload("errcode_42001"))
    with pytest.raises(AccessTokenInvalid) as caught:
        _call(client, which)
    assert caught.value.errcode == 42001
    assert len(calls_to(rsps, url)) == 2
    assert len(calls_to(rsps, TOKEN_URL)) == 1


def test_dropping_a_rejected_token_keeps_a_newer_one_from_another_worker(client, store):
    store.put("newer-from-another-worker", START + 7000)
    client._drop_token(FIRST)
    assert store.get() == ("newer-from-another-worker", START + 7000)
    client._drop_token("newer-from-another-worker")
    assert store.get()[1] == 0.0


def test_memory_token_store_replaces_its_entry():
    store = MemoryTokenStore()
    assert store.get() is None
    store.put("a", 10)
    store.put("b", 20)
    assert store.get() == ("b", 20.0)
