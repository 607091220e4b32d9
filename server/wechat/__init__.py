"""WeChat server API: the real client, its fake, and the errors both raise.

Standalone on purpose: imports nothing from the rest of ``server`` nor from Flask, so the jobs
process, the web workers and the tests can each build whichever one configuration selects.
"""
from .client import WeChatClient
from .errors import (
    AccessTokenInvalid,
    CodeUsed,
    InvalidAppCredentials,
    InvalidCode,
    InvalidOpenid,
    InvalidTemplate,
    RateLimited,
    RiskyUser,
    SubscriptionRefused,
    SystemBusy,
    TemplateParamInvalid,
    WeChatError,
    WeChatUnavailable,
    error_for,
)
from .fake import FakeState, FakeWeChat, MemoryFakeState, SentMessage
from .results import CheckResult, PhoneNumber, Session
from .subscribe import build_subscribe_data
from .tokens import MemoryTokenStore, TokenStore

__all__ = [
    "WeChatClient", "FakeWeChat", "FakeState", "MemoryFakeState", "SentMessage",
    "MemoryTokenStore", "TokenStore", "CheckResult", "PhoneNumber", "Session",
    "build_subscribe_data", "error_for",
    "WeChatError", "WeChatUnavailable", "SystemBusy", "InvalidCode", "CodeUsed", "RateLimited",
    "RiskyUser", "AccessTokenInvalid", "InvalidOpenid", "InvalidTemplate", "SubscriptionRefused",
    "TemplateParamInvalid", "InvalidAppCredentials",
]
