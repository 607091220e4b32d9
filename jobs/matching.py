"""A matching run per community with open tasks; the proposals then wait for review."""
from server.identity.actor import SYSTEM
from server.matching_runs.services import run_scheduled_matching


def run_matching(now):
    return run_scheduled_matching(SYSTEM, now=now)
