"""Token refresh, pruning of idempotency keys and of the run log."""
from datetime import timedelta

from server.extensions import db
from server.idempotency.models import IdempotencyKey
from server.identity.actor import SYSTEM
from server.scheduling.models import JobRun
from server.timeutil import utcnow
from server.wechat.db_state import DatabaseTokenStore
from server.wechat.refresh import refresh_token_if_due

from .helpers import run


class _RecordingClient:
    """Stands in for WeChatClient: a refresh stores a two-hour token, as the real one does."""

    def __init__(self, now):
        self.now, self.calls = now, 0

    def refresh_access_token(self):
        self.calls += 1
        DatabaseTokenStore().put(f"token-{self.calls}", self.now.timestamp() + 7200)
        return f"token-{self.calls}"


def test_token_is_refreshed_only_when_it_nears_expiry(db):
    now = utcnow()
    client = _RecordingClient(now)
    assert refresh_token_if_due(SYSTEM, now=now, wechat=client) == {"refreshed": 1,
                                                                     "expires_in_s": 7200}
    assert refresh_token_if_due(SYSTEM, now=now + timedelta(hours=1), wechat=client)["refreshed"] == 0
    assert client.calls == 1
    later = now + timedelta(hours=1, minutes=51)  # 9 minutes left: inside the 10-minute margin
    client.now = later
    assert refresh_token_if_due(SYSTEM, now=later, wechat=client)["refreshed"] == 1
    assert DatabaseTokenStore().get()[0] == "token-2"


def test_token_job_works_with_the_fake(db):
    assert run("token")["refreshed"] == 1


def test_idempotency_keys_older_than_a_day_are_pruned(world):
    now = utcnow()
    user_id = world.users["resident"].id
    for key, age in (("old", timedelta(hours=25)), ("fresh", timedelta(hours=23))):
        db.session.add(IdempotencyKey(user_id=user_id, key=key, request_hash="h",
                                      created_at=now - age))
    assert run("prune_keys", now) == {"deleted": 1}
    assert run("prune_keys", now) == {"deleted": 0}
    assert db.session.execute(db.select(IdempotencyKey.key)).scalars().all() == ["fresh"]


def test_run_log_keeps_a_week(db):
    now = utcnow()
    for age in (8, 6):
        db.session.add(JobRun(job="outbox", holder="h", started_at=now - timedelta(days=age),
                              finished_at=now - timedelta(days=age)))
    assert run("prune_runs", now) == {"deleted": 1}
    assert run("prune_runs", now) == {"deleted": 0}
    # The two runs of prune_runs itself and the six-day-old row remain.
    assert db.session.execute(db.select(db.func.count()).select_from(JobRun)).scalar_one() == 3
