"""Pruning: idempotency keys after 24 hours, the jobs run log after JOBS_RUNS_KEEP_DAYS, and
the retention table of docs/security.md (server/privacy_lifecycle/retention.py)."""
from server.idempotency.services import prune_keys
from server.identity.actor import SYSTEM
from server.privacy_lifecycle.retention import enforce_retention as _enforce_retention
from server.scheduling.services import prune_job_runs


def prune_idempotency_keys(now):
    return {"deleted": prune_keys(now=now)}


def prune_run_log(now):
    return prune_job_runs(SYSTEM, now=now)


def enforce_retention(now):
    return _enforce_retention(SYSTEM, now=now)
