"""WeChat server-API errors: one exception class per documented errcode family.

Callers decide by class (``except SubscriptionRefused``) or by ``retryable``: a retryable error may
succeed if the same call is made again later (with backoff); a non-retryable one never will.
``error_for(errcode, errmsg)`` is the single errcode -> exception mapping, used by the real client
and by the fake alike.
"""
from __future__ import annotations


class WeChatError(Exception):
    """An errcode != 0 from WeChat (or, for WeChatUnavailable, no usable answer at all)."""

    errcodes: tuple[int, ...] = ()  # the family's errcodes; the first is the one it stands for
    errcode: int | None = None
    retryable: bool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.errcodes:
            cls.errcode = cls.errcodes[0]

    def __init__(self, errcode: int | None = None, errmsg: str = ""):
        if errcode is not None:
            self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"WeChat errcode {self.errcode}: {errmsg}")


class WeChatUnavailable(WeChatError):
    """Timeout, connection error, HTTP 5xx or a body that is not the JSON WeChat documents."""

    retryable = True

    def __init__(self, errmsg: str = "WeChat unavailable", status: int | None = None):
        self.status = status
        super().__init__(None, errmsg)


class SystemBusy(WeChatError):
    """-1: WeChat says it is busy; try again shortly."""

    errcodes = (-1,)
    retryable = True


class InvalidCode(WeChatError):
    """40029: the login (or phone) code is unknown, expired or from another app."""

    errcodes = (40029,)


class CodeUsed(WeChatError):
    """40163: the code was already exchanged once."""

    errcodes = (40163,)


class RateLimited(WeChatError):
    """45011 (per-minute quota) / 45009 (daily quota): retry after a pause."""

    errcodes = (45011, 45009)
    retryable = True


class RiskyUser(WeChatError):
    """40226: WeChat blocks this high-risk user from logging in."""

    errcodes = (40226,)


class AccessTokenInvalid(WeChatError):
    """40001 invalid / 42001 expired access token (the client already retried once)."""

    errcodes = (40001, 42001, 40014)  # 40014: "invalid access_token" (malformed)
    retryable = True


class InvalidOpenid(WeChatError):
    """40003: the openid is not a user of this app (or, for msgSecCheck, not seen in 2 hours)."""

    errcodes = (40003,)


class InvalidTemplate(WeChatError):
    """40037: the template id is wrong."""

    errcodes = (40037,)


class SubscriptionRefused(WeChatError):
    """43101: the user has not granted (or has used up) the subscription. Final: never retry."""

    errcodes = (43101,)


class TemplateParamInvalid(WeChatError):
    """47003: a data value breaks its field's rules (also raised locally, before sending)."""

    errcodes = (47003,)


class InvalidAppCredentials(WeChatError):
    """40013/40125/40164/41002/41004: appid, secret or caller IP not accepted. A configuration bug."""

    errcodes = (40125, 40013, 40164, 41002, 41004)


# errcode -> its family, from each family's `errcodes`.
_BY_ERRCODE: dict[int, type[WeChatError]] = {
    code: family for family in WeChatError.__subclasses__() for code in family.errcodes}


def error_for(errcode: int, errmsg: str = "") -> WeChatError:
    """The exception for a WeChat errcode; unknown codes give a plain, non-retryable WeChatError."""
    return _BY_ERRCODE.get(errcode, WeChatError)(errcode, errmsg)


__all__ = [
    "WeChatError", "WeChatUnavailable", "SystemBusy", "InvalidCode", "CodeUsed", "RateLimited",
    "RiskyUser", "AccessTokenInvalid", "InvalidOpenid", "InvalidTemplate", "SubscriptionRefused",
    "TemplateParamInvalid", "InvalidAppCredentials", "error_for",
]
