"""A thin client for the WeChat mini-program server API, over ``requests``.

Every call has a timeout; every answer goes through ``_request``, the one place that turns
transport failures and errcodes into the exceptions of ``errors.py``. Nothing here retries except
the one documented case: an access token that WeChat rejects (40001/42001) is dropped from the
shared store and the call is made once more with a freshly fetched stable token. Retrying anything
else (SystemBusy, RateLimited, WeChatUnavailable) is the caller's decision, e.g. the outbox's.
"""
from __future__ import annotations

import json
import logging
import time
from typing import Any, Callable, Mapping

import requests

from .errors import (
    AccessTokenInvalid,
    InvalidCode,
    TemplateParamInvalid,
    WeChatUnavailable,
    error_for,
)
from .results import LABEL_NORMAL, CheckResult, PhoneNumber, Session
from .subscribe import build_subscribe_data
from .tokens import TokenStore

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
MINIPROGRAM_STATES = ("developer", "trial", "formal")
CHECK_SCENES = (1, 2, 3, 4)  # profile, comment, forum, social log


def fit_message(data: Mapping[str, object], state: str) -> dict[str, dict[str, str]]:
    """A subscribe message's data fitted to its fields, refused before sending as WeChat would
    refuse it (the real client and the fake alike): ValueError for an unknown `state`, 47003
    TemplateParamInvalid for a value that does not fit."""
    if state not in MINIPROGRAM_STATES:
        raise ValueError(f"state must be one of {MINIPROGRAM_STATES}")
    try:
        return build_subscribe_data(data)
    except ValueError as exc:
        raise TemplateParamInvalid(47003, f"refused before sending: {exc}") from None
MAX_CHECK_CHARS = 2500  # msgSecCheck's documented limit per request


class WeChatClient:
    """code2Session, stable access token, subscribe messages, msgSecCheck v2, phone number."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        token_store: TokenStore,
        base_url: str = DEFAULT_BASE_URL,
        session: requests.Session | None = None,
        timeout: float | tuple[float, float] = (3.05, 5),
        refresh_ahead_s: float = 300,
        clock: Callable[[], float] = time.time,
    ):
        if not app_id or not app_secret:
            raise ValueError("WeChatClient needs an app id and an app secret")
        self.app_id = app_id
        self._secret = app_secret
        self._store = token_store
        self._base_url = base_url.rstrip("/")
        self._session = session or requests.Session()
        self._timeout = timeout
        self._refresh_ahead_s = refresh_ahead_s
        self._clock = clock

    def __repr__(self) -> str:  # never show the secret
        return f"WeChatClient(app_id={self.app_id!r}, base_url={self._base_url!r})"

    # --- identity -------------------------------------------------------------------------

    def code2session(self, code: str) -> Session:
        """Exchange a wx.login code for the user's openid (and unionid when there is one)."""
        if not code:
            raise InvalidCode(40029, "empty code")
        answer = self._request("GET", "/sns/jscode2session", params={
            "appid": self.app_id, "secret": self._secret,
            "js_code": code, "grant_type": "authorization_code",
        })
        openid, session_key = answer.get("openid"), answer.get("session_key")
        if not isinstance(openid, str) or not openid or not isinstance(session_key, str):
            raise WeChatUnavailable("jscode2session answered without openid/session_key")
        session: Session = {"openid": openid, "session_key": session_key}
        if answer.get("unionid"):
            session["unionid"] = str(answer["unionid"])
        return session

    def phone_number(self, code: str) -> PhoneNumber:
        """Exchange a getPhoneNumber button code for the user's phone number."""
        if not code:
            raise InvalidCode(40029, "empty code")
        answer = self._post_with_token("/wxa/business/getuserphonenumber", {"code": code})
        info = answer.get("phone_info") or {}
        phone = info.get("phoneNumber")
        if not phone:
            raise WeChatUnavailable("getuserphonenumber answered without phone_info")
        return {
            "phone": str(phone),
            "pure_phone": str(info.get("purePhoneNumber") or phone),
            "country_code": str(info.get("countryCode", "")),
        }

    # --- access token ---------------------------------------------------------------------

    def access_token(self) -> str:
        """The stable access token, from the shared store until ``refresh_ahead_s`` before expiry."""
        cached = self._store.get()
        if cached and cached[0] and cached[1] - self._refresh_ahead_s > self._clock():
            return cached[0]
        return self.refresh_access_token()

    def refresh_access_token(self) -> str:
        """Fetch the stable token now and store it (for the jobs process's scheduled refresh).

        Always ``force_refresh: false``: in that mode WeChat hands out a new token during the
        last five minutes of the old one, and the old one keeps working meanwhile. Forcing would
        invalidate the token that every other worker is using (and is capped at 20 a day).
        """
        now = self._clock()
        answer = self._request("POST", "/cgi-bin/stable_token", json_body={
            "grant_type": "client_credential", "appid": self.app_id,
            "secret": self._secret, "force_refresh": False,
        })
        token, expires_in = answer.get("access_token"), answer.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, (int, float)):
            raise WeChatUnavailable("stable_token answered without access_token/expires_in")
        self._store.put(token, now + expires_in)
        return token

    # --- messages and content -------------------------------------------------------------

    def send_subscribe_message(
        self,
        openid: str,
        template_id: str,
        data: Mapping[str, object],
        page: str | None = None,
        state: str = "formal",
    ) -> None:
        """Send one subscribe message; values are fitted to their fields first (see subscribe.py).

        Raises SubscriptionRefused (43101, final) when the user holds no grant for the template.
        """
        fitted = fit_message(data, state)
        body: dict[str, Any] = {
            "touser": openid, "template_id": template_id, "data": fitted,
            "miniprogram_state": state, "lang": "zh_CN",
        }
        if page:
            body["page"] = page
        self._post_with_token("/cgi-bin/message/subscribe/send", body)

    def msg_sec_check(self, openid: str, content: str, scene: int = 1) -> CheckResult:
        """msgSecCheck v2 on text; longer than 2,500 characters is checked in parts, worst wins."""
        if scene not in CHECK_SCENES:
            raise ValueError(f"scene must be one of {CHECK_SCENES}")
        result: CheckResult | None = None
        for start in range(0, max(len(content), 1), MAX_CHECK_CHARS):
            part = self._check_text(openid, content[start:start + MAX_CHECK_CHARS], scene)
            result = part if result is None else result.worst(part)
            if result.suggest == "risky":
                break
        assert result is not None
        return result

    def _check_text(self, openid: str, content: str, scene: int) -> CheckResult:
        answer = self._post_with_token("/wxa/msg_sec_check", {
            "content": content, "version": 2, "scene": scene, "openid": openid,
        })
        verdict = answer.get("result") or {}
        suggest = verdict.get("suggest")
        if suggest not in ("pass", "review", "risky"):
            raise WeChatUnavailable("msg_sec_check answered without result.suggest")
        return CheckResult(
            suggest=suggest,
            label=int(verdict.get("label", LABEL_NORMAL)),
            trace_id=str(answer.get("trace_id", "")),
        )

    # --- plumbing -------------------------------------------------------------------------

    def _post_with_token(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        token = self.access_token()
        try:
            return self._request("POST", path, params={"access_token": token}, json_body=body)
        except AccessTokenInvalid as exc:
            log.warning("wechat %s rejected the access token (errcode %s); fetching it again",
                        path, exc.errcode)
            self._drop_token(token)
        token = self.access_token()
        return self._request("POST", path, params={"access_token": token}, json_body=body)

    def _drop_token(self, rejected: str) -> None:
        cached = self._store.get()
        # Another worker may already have stored a newer token; drop only the rejected one.
        if cached and cached[0] == rejected:
            self._store.put(rejected, 0.0)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        data, headers = None, None
        if json_body is not None:
            # WeChat wants UTF-8 text, not \\uXXXX escapes, in message data and checked content.
            data = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            headers = {"Content-Type": "application/json; charset=utf-8"}
        failure = None
        try:
            resp = self._session.request(method, self._base_url + path, params=params, data=data,
                                         headers=headers, timeout=self._timeout)
        except requests.RequestException as exc:
            failure = type(exc).__name__
        if failure is not None:
            # Raised outside the except block on purpose: the requests exception's text holds the
            # URL, whose query carries the app secret or the access token.
            log.warning("wechat %s %s failed: %s", method, path, failure)
            raise WeChatUnavailable(f"{failure} calling {path}")
        return self._parse(path, resp)

    @staticmethod
    def _parse(path: str, resp: requests.Response) -> dict[str, Any]:
        if resp.status_code != 200:
            log.warning("wechat %s answered HTTP %s", path, resp.status_code)
            raise WeChatUnavailable(f"HTTP {resp.status_code} from {path}", status=resp.status_code)
        try:
            # Parsed regardless of Content-Type: jscode2session answers JSON as text/plain.
            answer = json.loads(resp.content.decode("utf-8"))
        except ValueError:  # includes UnicodeDecodeError and JSONDecodeError
            answer = None
        if not isinstance(answer, dict):
            log.warning("wechat %s answered something that is not a JSON object", path)
            raise WeChatUnavailable(f"non-JSON answer from {path}", status=resp.status_code)
        errcode, errmsg = answer.get("errcode") or 0, str(answer.get("errmsg", ""))
        if not isinstance(errcode, int):
            raise WeChatUnavailable(f"errcode {errcode!r} from {path} is not a number")
        if errcode:
            log.info("wechat %s errcode %s: %s", path, errcode, errmsg)
            raise error_for(errcode, errmsg)
        return answer
