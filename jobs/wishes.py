"""Wishes with nobody asking: deadline reminders, expiry, and release of no-show claims."""
from server.identity.actor import SYSTEM
from server.wishes.maintenance import expire_overdue_wishes, release_stale_claims, remind_due_wishes


def remind_wishes(now):
    return remind_due_wishes(SYSTEM, now=now)


def expire_wishes(now):
    return expire_overdue_wishes(SYSTEM, now=now)


def release_no_shows(now):
    """No-show clock: from the claim's last progress, or later the wish's window start or the
    matching assignment's scheduled start (server/wishes/maintenance.clock_start)."""
    return release_stale_claims(SYSTEM, now=now)
