"""Refresh the shared WeChat access token ahead of its expiry."""
from server.identity.actor import SYSTEM
from server.wechat.refresh import refresh_token_if_due


def refresh_token(now):
    return refresh_token_if_due(SYSTEM, now=now)
