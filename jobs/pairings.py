"""Remind paired volunteers when a household's visit falls due (结对走访提醒)."""
from server.identity.actor import SYSTEM
from server.pairings.services import remind_due_visits


def remind_visits(now):
    return remind_due_visits(SYSTEM, now=now)
