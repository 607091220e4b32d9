"""Retention of the volunteer service system (issue 16a): old visit notes of ended pairings and
old duty-log notes are erased, old pairing runs deleted (an accepted pairing keeps its row);
recent ones stay; a second run changes nothing."""
from datetime import timedelta

from server.extensions import db
from server.pairings.models import Pairing, PairingRun, PairingVisit
from server.posts.models import PostLog
from server.timeutil import utcnow
from tests.service_system_world import make_log, make_pairing, make_pairing_run, make_post

from .helpers import run


def test_old_notes_and_runs_go_recent_ones_stay(world):
    now = utcnow()
    old, recent = now - timedelta(days=400), now - timedelta(days=10)
    ended = make_pairing(world, status="ended")
    ended.ended_at = old
    live = make_pairing(world, volunteer="volunteer2", household="resident2")
    for pairing in (ended, live):
        db.session.add(PairingVisit(pairing_id=pairing.id, volunteer_id=pairing.volunteer_id,
                                    note="王阿姨说腿疼", visited_at=old))
    post = make_post(world, holders=("volunteer",))
    logs = [make_log(world, post, status="confirmed") for _ in range(2)]
    logs[0].decided_at, logs[1].decided_at = old, recent
    old_run, proposal = make_pairing_run(world)
    old_run.created_at = old
    live.proposal_id = proposal.id
    db.session.commit()
    ids = {"ended": ended.id, "live": live.id, "run": old_run.id,
           "logs": [log.id for log in logs]}
    counts = run("retention", now)
    assert (counts["visit_notes_erased"], counts["duty_log_notes_erased"],
            counts["pairing_runs_deleted"]) == (1, 1, 1)
    db.session.expunge_all()
    notes = dict(db.session.execute(db.select(PairingVisit.pairing_id, PairingVisit.note)).all())
    assert notes == {ids["ended"]: "", ids["live"]: "王阿姨说腿疼"}
    assert [db.session.get(PostLog, i).note for i in ids["logs"]] == ["", "入户宣传垃圾分类"]
    assert db.session.get(PairingRun, ids["run"]) is None
    assert db.session.get(Pairing, ids["live"]).proposal_id is None
    again = run("retention", now)
    assert (again["visit_notes_erased"], again["duty_log_notes_erased"],
            again["pairing_runs_deleted"]) == (0, 0, 0)
