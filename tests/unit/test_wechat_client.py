"""WeChatClient against recorded WeChat payloads (responses): requests sent, answers and errcodes."""
import json
import traceback
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from server.wechat import (
    CheckResult,
    CodeUsed,
    InvalidCode,
    InvalidOpenid,
    MemoryTokenStore,
    RateLimited,
    RiskyUser,
    SubscriptionRefused,
    SystemBusy,
    TemplateParamInvalid,
    WeChatClient,
    WeChatError,
    WeChatUnavailable,
)

FIXTURES = Path(__file__).parent / "fixtures" / "wechat"
BASE = "https://api.weixin.qq.com"
APP_ID, SECRET = "wx0123456789abcdef", "s3cr3t-app-secret-value"
LOGIN_URL = f"{BASE}/sns/jscode2session"
TOKEN_URL = f"{BASE}/cgi-bin/stable_token"
SEND_URL = f"{BASE}/cgi-bin/message/subscribe/send"
CHECK_URL = f"{BASE}/wxa/msg_sec_check"
PHONE_URL = f"{BASE}/wxa/business/getuserphonenumber"


def payload(name):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def query(call):
    return {k: v[0] for k, v in parse_qs(urlsplit(call.request.url).query).items()}


def calls_to(rsps, url):
    return [c for c in rsps.calls if c.request.url.split("?")[0] == url]


@pytest.fixture
def rsps():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


@pytest.fixture
def client():
    return WeChatClient(APP_ID, SECRET, MemoryTokenStore(), clock=lambda: 1_700_000_000.0)


@pytest.fixture
def token(rsps):
    rsps.add(responses.POST, TOKEN_URL, json=payload("stable_token_ok"))
    return payload("stable_token_ok")["access_token"]


# --- code2session ---------------------------------------------------------------------------

def test_code2session_sends_appid_secret_code_and_grant_type(rsps, client):
    # WeChat serves this answer as text/plain; it must be parsed anyway.
    rsps.add(responses.GET, LOGIN_URL, body=json.dumps(payload("jscode2session_ok")),
             content_type="text/plain")
    session = client.code2session("081AbCdE0zFgHi1jKlMn2oPqRs3AbCdE")
    assert rsps.calls[0].request.method == "GET"
    assert query(rsps.calls[0]) == {"appid": APP_ID, "secret": SECRET,
                                    "js_code": "081AbCdE0zFgHi1jKlMn2oPqRs3AbCdE",
                                    "grant_type": "authorization_code"}
    assert session == {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                       "session_key": "tiihtNczf5v6AKRyjwEUhQ==",
                       "unionid": "o6_bmasdasdsad6_2sgVt7hMZOPfL"}


def test_code2session_leaves_unionid_out_when_wechat_has_none(rsps, client):
    rsps.add(responses.GET, LOGIN_URL, json=payload("jscode2session_ok_no_unionid"))
    session = client.code2session("code")
    assert "unionid" not in session
    assert session["openid"] == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


@pytest.mark.parametrize("errcode, error, retryable", [
    (40029, InvalidCode, False),
    (40163, CodeUsed, False),
    (45011, RateLimited, True),
    (40226, RiskyUser, False),
    (-1, SystemBusy, True),
])
def test_code2session_maps_documented_errcodes(rsps, client, errcode, error, retryable):
    rsps.add(responses.GET, LOGIN_URL, json=payload(f"errcode_{errcode}"))
    with pytest.raises(error) as caught:
        client.code2session("code")
    assert caught.value.errcode == errcode
    assert caught.value.retryable is retryable
    assert caught.value.errmsg == payload(f"errcode_{errcode}")["errmsg"]
    assert len(rsps.calls) == 1  # the client itself never retries these


def test_code2session_refuses_an_empty_code_without_calling_wechat(rsps, client):
    with pytest.raises(InvalidCode):
        client.code2session("")
    assert len(rsps.calls) == 0


def test_an_unknown_errcode_is_a_plain_non_retryable_wechat_error(rsps, client):
    rsps.add(responses.GET, LOGIN_URL, json={"errcode": 61451, "errmsg": "invalid parameter"})
    with pytest.raises(WeChatError) as caught:
        client.code2session("code")
    assert type(caught.value) is WeChatError
    assert (caught.value.errcode, caught.value.retryable) == (61451, False)


# --- transport failures -------------------------------------------------------------------

@pytest.mark.parametrize("failure", [
    requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout,
    requests.exceptions.ConnectionError,
])
def test_transport_failures_are_retryable_unavailable_without_the_secret(rsps, client, failure):
    leaky = f"HTTPSConnectionPool: url: /sns/jscode2session?appid={APP_ID}&secret={SECRET}"
    rsps.add(responses.GET, LOGIN_URL, body=failure(leaky))
    with pytest.raises(WeChatUnavailable) as caught:
        client.code2session("code")
    assert caught.value.retryable is True
    assert failure.__name__ in str(caught.value)
    printed = "".join(traceback.format_exception(caught.value))
    assert SECRET not in printed
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_every_request_carries_the_configured_timeout(rsps, token):
    client = WeChatClient(APP_ID, SECRET, MemoryTokenStore(), timeout=(1.5, 4))
    rsps.add(responses.GET, LOGIN_URL, json=payload("jscode2session_ok"))
    rsps.add(responses.POST, PHONE_URL, json=payload("getuserphonenumber_ok"))
    client.code2session("code")
    client.phone_number("code")
    assert [c.request.req_kwargs["timeout"] for c in rsps.calls] == [(1.5, 4)] * 3


def test_http_502_is_retryable_unavailable(rsps, client):
    rsps.add(responses.GET, LOGIN_URL, status=502, body="<html>502 Bad Gateway</html>",
             content_type="text/html")
    with pytest.raises(WeChatUnavailable) as caught:
        client.code2session("code")
    assert (caught.value.status, caught.value.retryable) == (502, True)


@pytest.mark.parametrize("status", [502, 503, 404])
def test_a_non_200_status_is_unavailable_even_with_a_json_body(rsps, client, status):
    rsps.add(responses.GET, LOGIN_URL, status=status, json=payload("jscode2session_ok"))
    with pytest.raises(WeChatUnavailable) as caught:
        client.code2session("code")
    assert caught.value.status == status


@pytest.mark.parametrize("body", ["<html>oops</html>", "", "[1, 2]", "\"ok\""])
def test_a_200_that_is_not_a_json_object_is_unavailable(rsps, client, body):
    rsps.add(responses.GET, LOGIN_URL, body=body, status=200)
    with pytest.raises(WeChatUnavailable, match="non-JSON"):
        client.code2session("code")


def test_a_login_answer_without_openid_is_unavailable(rsps, client):
    rsps.add(responses.GET, LOGIN_URL, json={"session_key": "x"})
    with pytest.raises(WeChatUnavailable, match="openid"):
        client.code2session("code")


# --- subscribe messages ---------------------------------------------------------------------

def test_send_subscribe_message_posts_wrapped_data_with_the_token_in_the_query(rsps, client,
                                                                            token):
    rsps.add(responses.POST, SEND_URL, json=payload("subscribe_send_ok"))
    client.send_subscribe_message("oUser1", "TPL_abc", {"thing1": "张三的微心愿", "phrase2": "已认领"},
                                  page="pages/wish/detail?id=7", state="trial")
    [send] = calls_to(rsps, SEND_URL)
    assert send.request.method == "POST"
    assert query(send) == {"access_token": token}
    assert json.loads(send.request.body) == {
        "touser": "oUser1", "template_id": "TPL_abc", "page": "pages/wish/detail?id=7",
        "miniprogram_state": "trial", "lang": "zh_CN",
        "data": {"thing1": {"value": "张三的微心愿"}, "phrase2": {"value": "已认领"}},
    }
    assert "张三".encode("utf-8") in send.request.body  # UTF-8, not \\u escapes


def test_send_subscribe_message_fits_values_and_omits_an_empty_page(rsps, client, token):
    rsps.add(responses.POST, SEND_URL, json=payload("subscribe_send_ok"))
    client.send_subscribe_message("oUser1", "TPL_abc", {"thing1": "很" * 25})
    body = json.loads(calls_to(rsps, SEND_URL)[0].request.body)
    assert "page" not in body
    assert body["miniprogram_state"] == "formal"
    assert body["data"]["thing1"]["value"] == "很" * 19 + "…"


@pytest.mark.parametrize("errcode, error", [
    (43101, SubscriptionRefused), (47003, TemplateParamInvalid), (40003, InvalidOpenid),
])
def test_send_errors_are_final_and_sent_once(rsps, client, token, errcode, error):
    rsps.add(responses.POST, SEND_URL, json=payload(f"errcode_{errcode}"))
    with pytest.raises(error) as caught:
        client.send_subscribe_message("oUser1", "TPL_abc", {"thing1": "x"})
    assert caught.value.errcode == errcode
    assert caught.value.retryable is False
    assert len(calls_to(rsps, SEND_URL)) == 1


def test_send_refuses_bad_data_before_calling_wechat(rsps, client):
    with pytest.raises(TemplateParamInvalid, match="number1"):
        client.send_subscribe_message("oUser1", "TPL_abc", {"number1": "twelve"})
    assert len(rsps.calls) == 0


def test_send_refuses_an_unknown_miniprogram_state(rsps, client):
    with pytest.raises(ValueError):
        client.send_subscribe_message("oUser1", "TPL_abc", {"thing1": "x"}, state="prod")
    assert len(rsps.calls) == 0


# --- content check --------------------------------------------------------------------------

@pytest.mark.parametrize("fixture, suggest, label", [
    ("msg_sec_check_pass", "pass", 100),
    ("msg_sec_check_review", "review", 20012),
    ("msg_sec_check_risky", "risky", 20006),
])
def test_msg_sec_check_sends_version_2_and_reads_the_overall_result(rsps, client, token,
                                                                    fixture, suggest, label):
    rsps.add(responses.POST, CHECK_URL, json=payload(fixture))
    result = client.msg_sec_check("oUser1", "帮我修一下水龙头", scene=2)
    [check] = calls_to(rsps, CHECK_URL)
    assert query(check) == {"access_token": token}
    assert json.loads(check.request.body) == {
        "content": "帮我修一下水龙头", "version": 2, "scene": 2, "openid": "oUser1"}
    assert result == CheckResult(suggest, label, payload(fixture)["trace_id"])


def test_msg_sec_check_splits_long_text_and_the_worst_part_wins(rsps, client, token):
    rsps.add(responses.POST, CHECK_URL, json=payload("msg_sec_check_review"))
    rsps.add(responses.POST, CHECK_URL, json=payload("msg_sec_check_pass"))
    text = "甲" * 2500 + "乙" * 100
    result = client.msg_sec_check("oUser1", text)
    sent = [json.loads(c.request.body)["content"] for c in calls_to(rsps, CHECK_URL)]
    assert sent == ["甲" * 2500, "乙" * 100]
    assert result.suggest == "review"


def test_msg_sec_check_refuses_an_unknown_scene(rsps, client):
    with pytest.raises(ValueError):
        client.msg_sec_check("oUser1", "text", scene=9)


def test_msg_sec_check_answer_without_result_is_unavailable(rsps, client, token):
    rsps.add(responses.POST, CHECK_URL, json={"errcode": 0, "errmsg": "ok"})
    with pytest.raises(WeChatUnavailable):
        client.msg_sec_check("oUser1", "text")


def test_msg_sec_check_with_an_unknown_openid_is_invalid_openid(rsps, client, token):
    rsps.add(responses.POST, CHECK_URL, json=payload("errcode_40003"))
    with pytest.raises(InvalidOpenid):
        client.msg_sec_check("oStranger", "text")


# --- phone number ---------------------------------------------------------------------------

def test_phone_number_posts_the_code_and_returns_the_numbers(rsps, client, token):
    rsps.add(responses.POST, PHONE_URL, json=payload("getuserphonenumber_ok"))
    phone = client.phone_number("e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144")
    [call] = calls_to(rsps, PHONE_URL)
    assert query(call) == {"access_token": token}
    assert json.loads(call.request.body) == {
        "code": "e31968a7f94cc5ee25fafc2aef2773f0bb8c3937b22520eb8ee345274d00c144"}
    assert phone == {"phone": "13800138000", "pure_phone": "13800138000", "country_code": "86"}


def test_phone_number_turns_a_numeric_country_code_into_text(rsps, client, token):
    answer = payload("getuserphonenumber_ok")
    answer["phone_info"]["countryCode"] = 86
    rsps.add(responses.POST, PHONE_URL, json=answer)
    assert client.phone_number("code")["country_code"] == "86"


def test_phone_number_with_a_bad_code_is_invalid_code(rsps, client, token):
    rsps.add(responses.POST, PHONE_URL, json=payload("errcode_40029"))
    with pytest.raises(InvalidCode):
        client.phone_number("stale")


def test_repr_never_shows_the_secret(client):
    assert SECRET not in repr(client)
    assert APP_ID in repr(client)
