"""Keeping the shared access token fresh ahead of its expiry (run by the jobs process), so that
web workers never wait for WeChat's token endpoint in the middle of a request."""
from datetime import datetime
from typing import TYPE_CHECKING

from ..config import settings
from ..policy.scope import system_only
from ..timeutil import utcnow
from .db_state import DatabaseTokenStore
from .gateway import get_wechat

if TYPE_CHECKING:  # wechat sits below identity (docs/architecture.md); the name is for readers
    from ..identity.actor import Actor


def refresh_token_if_due(actor: "Actor", *, now: datetime | None = None, wechat=None) -> dict:
    """Fetch the stable token when the stored one expires within WECHAT_TOKEN_REFRESH_AHEAD_S.

    The fake keeps its token in memory, so there is nothing stored and it is simply refreshed.
    """
    system_only(actor)
    now = now or utcnow()
    if wechat is None:
        wechat = get_wechat()
    stored = DatabaseTokenStore().get()
    ahead = settings().wechat_token_refresh_ahead_s
    if stored and stored[0] and stored[1] - ahead > now.timestamp():
        return {"refreshed": 0, "expires_in_s": int(stored[1] - now.timestamp())}
    wechat.refresh_access_token()
    stored = DatabaseTokenStore().get()
    left = int(stored[1] - now.timestamp()) if stored and stored[0] else None
    return {"refreshed": 1, "expires_in_s": left}
