"""The WeChat text check before a wish can be published."""
from ..errors import Invalid
from ..wechat import errors as wx
from ..wechat.gateway import get_wechat


def check_wish_text(openid: str, title: str, description: str, *, hold_risky: bool = False):
    """pass | review | unchecked (WeChat unreachable: held for a person, never published
    unchecked); a risky text is refused with 422 unless hold_risky (then 'risky' is returned)."""
    try:
        result = get_wechat().msg_sec_check(openid, f"{title}\n{description}", scene=1)
    except wx.WeChatError:
        return "unchecked", None
    if result.suggest == "risky" and not hold_risky:
        raise Invalid("内容含有不适宜发布的信息，请修改后再提交",
                      {"description": ["未通过内容安全检查"]})
    return result.suggest, result.trace_id


def check_private_text(openid: str | None, text: str | None, field: str) -> None:
    """A fulfil note or a thanks, seen by the owner, the claimer and a secretary only: a text
    WeChat calls risky is refused with 422, like a title; any other verdict (or WeChat being
    unreachable) lets it through, as it is never published."""
    if not text:
        return
    try:
        result = get_wechat().msg_sec_check(openid or "", text, scene=1)
    except wx.WeChatError:
        return
    if result.suggest == "risky":
        raise Invalid("内容含有不适宜的信息，请修改后再提交", {field: ["未通过内容安全检查"]})
