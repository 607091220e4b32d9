"""Pruning: idempotency keys after 24 hours, the jobs run log after JOBS_RUNS_KEEP_DAYS."""
from server.identity.actor import SYSTEM
from server.idempotency.services import prune_keys
from server.scheduling.services import prune_job_runs


def prune_idempotency_keys(now):
    return {"deleted": prune_keys(now=now)}


def prune_run_log(now):
    return prune_job_runs(SYSTEM, now=now)
