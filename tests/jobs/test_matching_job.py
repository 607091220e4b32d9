"""The scheduled matching run: proposals for open tasks, and nothing new when run again."""
from server.extensions import db
from server.matching_runs.models import MatchingRun, MatchProposal

from .helpers import run


def _count(model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar()


def test_matching_job_proposes_once_per_open_task(world):
    runs_before = _count(MatchingRun)
    counts = run("matching")
    # world: community A has one open wish (with a proposal already waiting from the fixture's
    # run), community B one open wish and a volunteer; C has nothing open.
    assert counts["runs"] == 1 and counts["proposals"] == 1
    proposals = db.session.execute(db.select(MatchProposal).where(
        MatchProposal.run_id != world.run.id)).scalars().all()
    assert [(p.task_type, p.task_id) for p in proposals] == [("wish", world.wishes["open_b"].id)]
    assert run("matching") == {"communities": 0, "runs": 0, "proposals": 0}
    assert _count(MatchingRun) == runs_before + 1
    run_row = db.session.execute(db.select(MatchingRun).order_by(MatchingRun.id.desc())).scalars().first()
    assert run_row.trigger == "schedule" and run_row.status == "done"
