"""Open the 争六星 period of the current half-year (every June and December)."""
from server.identity.actor import SYSTEM
from server.stars.services import open_star_period


def open_period(now):
    return open_star_period(SYSTEM, now=now)
