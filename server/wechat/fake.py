"""FakeWeChat: a stateful stand-in for WeChatClient, for development, the demo and the tests.

Same public methods, return types and exceptions as the real client, and the same local checks
(subscribe data, miniprogram state, msgSecCheck scene) because it shares their code. What WeChat
would decide, it decides by simple, documented rules:

- login codes ``fake:<openid>`` or ``fake:<openid>:<nonce>`` work once each (again: CodeUsed
  40163); anything else: InvalidCode 40029. An openid is 1-64 of ``[A-Za-z0-9_-]``.
- phone codes ``fake-phone:<digits>`` or ``fake-phone:<digits>:<nonce>``, also once each.
- access tokens expire after ``token_ttl_s``, or at once on ``expire_tokens()``; a call made with a
  rejected token is retried once with a new one, as the real client does.
- each subscribe message consumes one grant from ``grant_subscription`` (the database state
  burns it on a connection of its own, outside the app's transaction); with none left:
  SubscriptionRefused 43101. Messages sent are kept in ``sent``.
- msgSecCheck says "risky" for text containing a RISKY_MARKERS word, "review" for REVIEW_MARKERS.
- ``fail_next(errcode or "timeout" or "unavailable", n)`` makes the next n calls that would reach
  WeChat fail with that error (40001/42001 injected here stand for "the retry failed too").

Used codes and grants live in a pluggable ``state`` (see FakeState) so that several web worker
processes can share them through the database.
"""
from __future__ import annotations

import base64
import itertools
import re
import secrets
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import Callable, Mapping, Protocol

from .client import CHECK_SCENES, fit_message
from .errors import (
    CodeUsed,
    InvalidCode,
    InvalidOpenid,
    InvalidTemplate,
    SubscriptionRefused,
    WeChatUnavailable,
    error_for,
)
from .results import LABEL_NORMAL, LABEL_OTHER, CheckResult, PhoneNumber, Session

OPENID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_NONCE_RE = re.compile(r"[^\s]{1,128}")
_PHONE_RE = re.compile(r"\d{5,20}")
_TRANSPORT_FAILURES = ("timeout", "unavailable")


class FakeState(Protocol):
    """What FakeWeChat remembers across calls and, with a shared implementation, across processes.

    - ``use_code(code) -> bool``: record that a code was exchanged; True the first time, False on
      every later call. Must be atomic across processes (e.g. INSERT into a table with a unique
      code column; a duplicate means False), or two workers could both accept one code.
    - ``add_grant(openid, template_id, n)``: the user allowed n more messages of this template.
    - ``take_grant(openid, template_id) -> bool``: consume one grant; False when none is left.
      Must be an atomic conditional decrement (``UPDATE ... SET n = n - 1 WHERE n > 0``, True iff
      a row changed) so that one grant never pays for two messages.
    """

    def use_code(self, code: str) -> bool: ...

    def add_grant(self, openid: str, template_id: str, n: int) -> None: ...

    def take_grant(self, openid: str, template_id: str) -> bool: ...


class MemoryFakeState:
    """FakeState in this process's memory: one process only (tests, a single dev server)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: set[str] = set()
        self._grants: Counter[tuple[str, str]] = Counter()

    def use_code(self, code: str) -> bool:
        with self._lock:
            if code in self._used:
                return False
            self._used.add(code)
            return True

    def add_grant(self, openid: str, template_id: str, n: int) -> None:
        with self._lock:
            self._grants[(openid, template_id)] += n

    def take_grant(self, openid: str, template_id: str) -> bool:
        with self._lock:
            if self._grants[(openid, template_id)] <= 0:
                return False
            self._grants[(openid, template_id)] -= 1
            return True


@dataclass(frozen=True)
class SentMessage:
    openid: str
    template_id: str
    data: dict[str, dict[str, str]]  # as it would go to WeChat: {"thing1": {"value": "..."}}
    page: str | None
    state: str


class FakeWeChat:
    """A stateful fake of WeChatClient; see the module docstring for its rules."""

    RISKY_MARKER = "违禁词"
    RISKY_MARKERS: tuple[str, ...] = (RISKY_MARKER, "RISKY")
    REVIEW_MARKERS: tuple[str, ...] = ("待审词", "REVIEW")
    LOGIN_PREFIX = "fake:"
    PHONE_PREFIX = "fake-phone:"
    REFRESH_AHEAD_S = 300
    app_id = "fake-appid"

    def __init__(
        self,
        state: FakeState | None = None,
        *,
        token_ttl_s: float = 7200,
        clock: Callable[[], float] = time.time,
        risky_markers: tuple[str, ...] | None = None,
        review_markers: tuple[str, ...] | None = None,
    ):
        self.state: FakeState = state if state is not None else MemoryFakeState()
        self.risky_markers = tuple(risky_markers or self.RISKY_MARKERS)
        self.review_markers = tuple(review_markers or self.REVIEW_MARKERS)
        self.sent: list[SentMessage] = []
        self.checked: list[str] = []  # texts given to msg_sec_check
        self.token_fetches = 0  # tokens issued
        self.rejected_tokens = 0  # calls that met an expired token and were retried
        self._ttl = token_ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._issued: dict[str, float] = {}  # WeChat's side: token -> expires_at
        self._cached: tuple[str, float] | None = None  # the client's side: its cached token
        self._failures: deque[int | str] = deque()
        self._serial = itertools.count(1)

    # --- controls for tests and the demo ------------------------------------------------------

    def grant_subscription(self, openid: str, template_id: str, count: int = 1) -> None:
        """The user tapped "allow" for this template count times (wx.requestSubscribeMessage)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        self.state.add_grant(openid, template_id, count)

    def expire_tokens(self) -> None:
        """Every access token issued so far stops working now."""
        with self._lock:
            for token in self._issued:
                self._issued[token] = 0.0

    def fail_next(self, error: int | str, n: int = 1) -> None:
        """The next n calls that would reach WeChat fail: an errcode, "timeout" or "unavailable"."""
        if error in (0, "") or (not isinstance(error, int) and error not in _TRANSPORT_FAILURES):
            raise ValueError('error must be a non-zero errcode, "timeout" or "unavailable"')
        if n < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._failures.extend([error] * n)

    # --- the WeChatClient interface -----------------------------------------------------------

    def code2session(self, code: str) -> Session:
        if not code:
            raise InvalidCode(40029, "empty code")
        self._maybe_fail("/sns/jscode2session")
        parts = self._split_code(code, self.LOGIN_PREFIX)
        if parts is None or not OPENID_RE.fullmatch(parts):
            raise InvalidCode(40029, "invalid code")
        if not self.state.use_code(code):
            raise CodeUsed(40163, "code been used")
        session_key = base64.b64encode(secrets.token_bytes(16)).decode("ascii")
        return {"openid": parts, "session_key": session_key}

    def phone_number(self, code: str) -> PhoneNumber:
        if not code:
            raise InvalidCode(40029, "empty code")
        self._maybe_fail("/wxa/business/getuserphonenumber")
        self._authorize()
        digits = self._split_code(code, self.PHONE_PREFIX)
        if digits is None or not _PHONE_RE.fullmatch(digits):
            raise InvalidCode(40029, "invalid code")
        if not self.state.use_code(code):
            raise CodeUsed(40163, "code been used")
        return {"phone": digits, "pure_phone": digits, "country_code": "86"}

    def access_token(self) -> str:
        self._maybe_fail("/cgi-bin/stable_token")
        return self._token(check_wechat=True)

    def refresh_access_token(self) -> str:
        self._maybe_fail("/cgi-bin/stable_token")
        return self._token(check_wechat=True)

    def send_subscribe_message(self, openid: str, template_id: str, data: Mapping[str, object],
                               page: str | None = None, state: str = "formal") -> None:
        fitted = fit_message(data, state)
        self._maybe_fail("/cgi-bin/message/subscribe/send")
        self._authorize()
        if not OPENID_RE.fullmatch(openid or ""):
            raise InvalidOpenid(40003, "invalid openid")
        if not template_id:
            raise InvalidTemplate(40037, "invalid template_id")
        if not self.state.take_grant(openid, template_id):
            raise SubscriptionRefused(43101, "user refuse to accept the msg")
        self.sent.append(SentMessage(openid, template_id, fitted, page, state))

    def msg_sec_check(self, openid: str, content: str, scene: int = 1) -> CheckResult:
        if scene not in CHECK_SCENES:
            raise ValueError(f"scene must be one of {CHECK_SCENES}")
        self._maybe_fail("/wxa/msg_sec_check")
        self._authorize()
        if not OPENID_RE.fullmatch(openid or ""):
            raise InvalidOpenid(40003, "invalid openid")
        self.checked.append(content)
        trace_id = f"fake-trace-{next(self._serial)}"
        if any(marker in content for marker in self.risky_markers):
            return CheckResult("risky", LABEL_OTHER, trace_id)
        if any(marker in content for marker in self.review_markers):
            return CheckResult("review", LABEL_OTHER, trace_id)
        return CheckResult("pass", LABEL_NORMAL, trace_id)

    # --- internals ----------------------------------------------------------------------------

    @staticmethod
    def _split_code(code: str, prefix: str) -> str | None:
        """The value in ``<prefix><value>`` or ``<prefix><value>:<nonce>``, else None."""
        if not code.startswith(prefix):
            return None
        value, sep, nonce = code[len(prefix):].partition(":")
        if sep and not _NONCE_RE.fullmatch(nonce):
            return None
        return value

    def _maybe_fail(self, path: str) -> None:
        with self._lock:
            if not self._failures:
                return
            error = self._failures.popleft()
        if error == "timeout":
            raise WeChatUnavailable(f"ConnectTimeout calling {path}")
        if error == "unavailable":
            raise WeChatUnavailable(f"HTTP 502 from {path}", status=502)
        raise error_for(int(error), "injected by FakeWeChat.fail_next")

    def _token(self, *, check_wechat: bool) -> str:
        """The cached token while fresh (and, if asked, still accepted), else a newly issued one."""
        now = self._clock()
        with self._lock:
            if self._cached and self._cached[1] - self.REFRESH_AHEAD_S > now:
                token = self._cached[0]
                if not check_wechat or self._issued.get(token, 0.0) > now:
                    return token
            token = f"fake-token-{next(self._serial)}"
            self._issued[token] = now + self._ttl
            self._cached = (token, now + self._ttl)
            self.token_fetches += 1
            return token

    def _authorize(self) -> str:
        """Like WeChatClient._post_with_token: a rejected cached token is replaced, once."""
        token = self._token(check_wechat=False)
        with self._lock:
            accepted = self._issued.get(token, 0.0) > self._clock()
            if not accepted:
                self.rejected_tokens += 1
        return token if accepted else self._token(check_wechat=True)
