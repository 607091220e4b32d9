"""FakeWeChat: the stateful stand-in for WeChatClient used by the demo and the tests."""
import inspect

import pytest

from server.wechat import (
    AccessTokenInvalid,
    CheckResult,
    CodeUsed,
    FakeWeChat,
    InvalidCode,
    InvalidOpenid,
    MemoryFakeState,
    RateLimited,
    SentMessage,
    SubscriptionRefused,
    SystemBusy,
    TemplateParamInvalid,
    WeChatClient,
    WeChatUnavailable,
)

TPL = "TPL_wish_claimed"


class Clock:
    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def wx(clock):
    return FakeWeChat(clock=clock)


# --- login codes ----------------------------------------------------------------------------

def test_a_login_code_gives_its_openid_once(wx):
    session = wx.code2session("fake:alice")
    assert session["openid"] == "alice"
    assert session["session_key"]
    assert "unionid" not in session
    with pytest.raises(CodeUsed) as caught:
        wx.code2session("fake:alice")
    assert caught.value.errcode == 40163


def test_each_nonce_makes_a_new_single_use_code(wx):
    assert wx.code2session("fake:alice:1")["openid"] == "alice"
    assert wx.code2session("fake:alice:2")["openid"] == "alice"
    assert wx.code2session("fake:alice:2024-05-01T10:00:00")["openid"] == "alice"
    with pytest.raises(CodeUsed):
        wx.code2session("fake:alice:2")


def test_an_openid_of_64_allowed_characters_is_accepted(wx):
    openid = "oA_-9" + "x" * 59
    assert wx.code2session(f"fake:{openid}")["openid"] == openid


@pytest.mark.parametrize("code", [
    "", "081AbCdE0zFgHi1jKlMn2oPqRs3AbCdE", "fake:", "fake:alice:", "Fake:alice",
    "fake:ali ce", "fake:张三", "fake:" + "a" * 65, "fake:al.ice", "fake-phone:13800138000",
])
def test_any_other_code_is_invalid(wx, code):
    with pytest.raises(InvalidCode) as caught:
        wx.code2session(code)
    assert (caught.value.errcode, caught.value.retryable) == (40029, False)


def test_an_invalid_code_does_not_use_up_anything(wx):
    with pytest.raises(InvalidCode):
        wx.code2session("fake:alice:")
    assert wx.code2session("fake:alice")["openid"] == "alice"


def test_workers_sharing_one_state_share_used_codes():
    shared = MemoryFakeState()
    worker_a, worker_b = FakeWeChat(state=shared), FakeWeChat(state=shared)
    worker_a.code2session("fake:bob:n1")
    with pytest.raises(CodeUsed):
        worker_b.code2session("fake:bob:n1")


def test_the_state_is_pluggable():
    class RecordingState(MemoryFakeState):
        def __init__(self):
            super().__init__()
            self.log = []

        def use_code(self, code):
            self.log.append(("use_code", code))
            return super().use_code(code)

        def add_grant(self, openid, template_id, n):
            self.log.append(("add_grant", openid, template_id, n))
            super().add_grant(openid, template_id, n)

        def take_grant(self, openid, template_id):
            self.log.append(("take_grant", openid, template_id))
            return super().take_grant(openid, template_id)

    state = RecordingState()
    wx = FakeWeChat(state=state)
    wx.code2session("fake:carol")
    wx.grant_subscription("carol", TPL, count=2)
    wx.send_subscribe_message("carol", TPL, {"thing1": "x"})
    assert state.log == [("use_code", "fake:carol"), ("add_grant", "carol", TPL, 2),
                         ("take_grant", "carol", TPL)]


# --- subscribe messages ---------------------------------------------------------------------

def test_without_a_grant_a_message_is_refused_for_good(wx):
    with pytest.raises(SubscriptionRefused) as caught:
        wx.send_subscribe_message("alice", TPL, {"thing1": "x"})
    assert (caught.value.errcode, caught.value.retryable) == (43101, False)
    assert wx.sent == []


def test_each_message_consumes_one_grant(wx):
    wx.grant_subscription("alice", TPL, count=2)
    wx.send_subscribe_message("alice", TPL, {"thing1": "第一条"}, page="pages/a")
    wx.send_subscribe_message("alice", TPL, {"thing1": "第二条"})
    with pytest.raises(SubscriptionRefused):
        wx.send_subscribe_message("alice", TPL, {"thing1": "第三条"})
    assert wx.sent == [
        SentMessage("alice", TPL, {"thing1": {"value": "第一条"}}, "pages/a", "formal"),
        SentMessage("alice", TPL, {"thing1": {"value": "第二条"}}, None, "formal"),
    ]


def test_grants_belong_to_one_user_and_one_template(wx):
    wx.grant_subscription("alice", TPL)
    with pytest.raises(SubscriptionRefused):
        wx.send_subscribe_message("bob", TPL, {"thing1": "x"})
    with pytest.raises(SubscriptionRefused):
        wx.send_subscribe_message("alice", "TPL_other", {"thing1": "x"})
    wx.send_subscribe_message("alice", TPL, {"thing1": "x"})


def test_sent_data_is_fitted_like_the_real_client_does(wx):
    wx.grant_subscription("alice", TPL)
    wx.send_subscribe_message("alice", TPL, {"thing1": "很" * 30})
    assert wx.sent[0].data == {"thing1": {"value": "很" * 19 + "…"}}


def test_bad_data_is_refused_and_keeps_the_grant(wx):
    wx.grant_subscription("alice", TPL)
    with pytest.raises(TemplateParamInvalid):
        wx.send_subscribe_message("alice", TPL, {"number1": "many"})
    wx.send_subscribe_message("alice", TPL, {"number1": "3"})
    assert len(wx.sent) == 1


def test_a_bad_openid_is_invalid_openid(wx):
    with pytest.raises(InvalidOpenid):
        wx.send_subscribe_message("not an openid", TPL, {"thing1": "x"})


def test_grant_count_must_be_positive(wx):
    with pytest.raises(ValueError):
        wx.grant_subscription("alice", TPL, count=0)


# --- content check --------------------------------------------------------------------------

@pytest.mark.parametrize("text, suggest", [
    ("帮我修一下水龙头", "pass"),
    (f"这里有{FakeWeChat.RISKY_MARKER}", "risky"),
    ("contains RISKY on purpose", "risky"),
    ("含有待审词的内容", "review"),
    ("please REVIEW this", "review"),
    ("待审词 and 违禁词 together", "risky"),
])
def test_the_content_check_follows_the_marker_words(wx, text, suggest):
    result = wx.msg_sec_check("alice", text)
    assert isinstance(result, CheckResult)
    assert result.suggest == suggest
    assert result.passed is (suggest == "pass")
    assert (result.label == 100) is (suggest == "pass")
    assert result.trace_id


def test_marker_words_are_configurable():
    wx = FakeWeChat(risky_markers=("坏词",), review_markers=("查一查",))
    assert wx.msg_sec_check("alice", "有坏词").suggest == "risky"
    assert wx.msg_sec_check("alice", "查一查").suggest == "review"
    assert wx.msg_sec_check("alice", FakeWeChat.RISKY_MARKER).suggest == "pass"
    assert wx.checked == ["有坏词", "查一查", FakeWeChat.RISKY_MARKER]


def test_the_content_check_refuses_an_unknown_scene(wx):
    with pytest.raises(ValueError):
        wx.msg_sec_check("alice", "text", scene=7)


# --- phone numbers --------------------------------------------------------------------------

def test_a_phone_code_gives_its_number_once(wx):
    assert wx.phone_number("fake-phone:13800138000") == {
        "phone": "13800138000", "pure_phone": "13800138000", "country_code": "86"}
    with pytest.raises(CodeUsed):
        wx.phone_number("fake-phone:13800138000")
    assert wx.phone_number("fake-phone:13800138000:again")["phone"] == "13800138000"


@pytest.mark.parametrize("code", ["", "fake-phone:", "fake-phone:138-0013", "fake:13800138000"])
def test_other_phone_codes_are_invalid(wx, code):
    with pytest.raises(InvalidCode):
        wx.phone_number(code)


# --- access tokens --------------------------------------------------------------------------

def test_the_token_is_reused_until_it_expires(wx, clock):
    first = wx.access_token()
    clock.now += 3600
    assert wx.access_token() == first
    clock.now += 3600
    assert wx.access_token() != first
    assert wx.token_fetches == 2


def test_expire_tokens_makes_access_token_issue_a_new_one(wx):
    first = wx.access_token()
    wx.expire_tokens()
    second = wx.access_token()
    assert second != first
    assert wx.refresh_access_token() == second


def test_a_call_with_an_expired_token_is_retried_once_with_a_new_one(wx):
    wx.grant_subscription("alice", TPL)
    wx.msg_sec_check("alice", "warm up")  # caches a token
    wx.expire_tokens()
    wx.send_subscribe_message("alice", TPL, {"thing1": "x"})
    assert (wx.rejected_tokens, wx.token_fetches) == (1, 2)
    assert len(wx.sent) == 1


# --- injected failures ----------------------------------------------------------------------

@pytest.mark.parametrize("error, exception, retryable", [
    ("timeout", WeChatUnavailable, True), ("unavailable", WeChatUnavailable, True),
    (-1, SystemBusy, True), (45011, RateLimited, True), (40001, AccessTokenInvalid, True),
    (43101, SubscriptionRefused, False),
])
def test_fail_next_raises_the_matching_exception(wx, error, exception, retryable):
    wx.grant_subscription("alice", TPL)
    wx.fail_next(error)
    with pytest.raises(exception) as caught:
        wx.send_subscribe_message("alice", TPL, {"thing1": "x"})
    assert caught.value.retryable is retryable
    wx.send_subscribe_message("alice", TPL, {"thing1": "x"})  # the grant was not used up
    assert len(wx.sent) == 1


def test_fail_next_fails_exactly_n_calls_of_any_kind(wx):
    wx.fail_next("timeout", n=2)
    with pytest.raises(WeChatUnavailable):
        wx.code2session("fake:dave")
    with pytest.raises(WeChatUnavailable):
        wx.msg_sec_check("dave", "text")
    assert wx.code2session("fake:dave")["openid"] == "dave"  # the failed call used nothing
    assert wx.msg_sec_check("dave", "text").suggest == "pass"


def test_failures_queue_in_order(wx):
    wx.fail_next(-1)
    wx.fail_next("timeout")
    with pytest.raises(SystemBusy):
        wx.access_token()
    with pytest.raises(WeChatUnavailable):
        wx.access_token()
    assert wx.access_token()


@pytest.mark.parametrize("error", [0, "", "boom", "40001"])
def test_fail_next_refuses_what_it_cannot_simulate(wx, error):
    with pytest.raises(ValueError):
        wx.fail_next(error)


# --- same interface as the real client ------------------------------------------------------

@pytest.mark.parametrize("name", [
    "code2session", "access_token", "refresh_access_token", "send_subscribe_message",
    "msg_sec_check", "phone_number",
])
def test_public_methods_match_the_real_client(name):
    real = inspect.signature(getattr(WeChatClient, name))
    fake = inspect.signature(getattr(FakeWeChat, name))
    assert list(fake.parameters) == list(real.parameters)
    assert [p.default for p in fake.parameters.values()] == \
        [p.default for p in real.parameters.values()]
