"""Remind residents and volunteers of service orders about to start."""
from server.identity.actor import SYSTEM
from server.orders.reminders import remind_upcoming_orders


def remind_orders(now):
    return remind_upcoming_orders(SYSTEM, now=now)
