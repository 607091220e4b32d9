"""Take the day's figures snapshot of every community."""
from server.identity.actor import SYSTEM
from server.reports.figures import snapshot_figures


def snapshot(now):
    return snapshot_figures(SYSTEM, now=now)
