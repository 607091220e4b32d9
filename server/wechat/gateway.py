"""The app's WeChat client: the real one over requests, or the stateful fake (WECHAT_MODE)."""
from flask import current_app

from . import FakeWeChat, WeChatClient
from .db_state import DatabaseFakeState, DatabaseTokenStore


def get_wechat():
    """One client per app, built on first use from the app's configuration."""
    app = current_app._get_current_object()
    client = app.extensions.get("lianxin_wechat")
    if client is None:
        client = build_wechat(app.config)
        app.extensions["lianxin_wechat"] = client
    return client


def build_wechat(config):
    if config["WECHAT_MODE"] == "fake":
        return FakeWeChat(state=DatabaseFakeState())
    return WeChatClient(config["WECHAT_APP_ID"], config["WECHAT_APP_SECRET"],
                        token_store=DatabaseTokenStore(), base_url=config["WECHAT_BASE_URL"])
