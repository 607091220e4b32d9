"""Retention of the volunteer service system, part b: a closed project's place and notes go
after RETENTION_TEXT_DAYS; check-ins hold no position to erase."""
from datetime import timedelta

from server.extensions import db
from server.identity.actor import SYSTEM
from server.privacy_lifecycle.retention import enforce_retention
from server.projects.models import Project, ProjectUpdate
from server.timeutil import utcnow
from tests.service_system_b_world import make_project


def test_old_closed_projects_lose_their_place_and_notes(world):
    now = utcnow()
    old = make_project(world, status="done", done_at=now - timedelta(days=400))
    recent = make_project(world, status="done", done_at=now - timedelta(days=10))
    live = make_project(world, status="claimed")
    for project in (old, recent, live):
        project.lat += 0.0013  # the home, not the community's centre
        db.session.add(ProjectUpdate(project_id=project.id, author_id=project.claimed_by,
                                     note="甲路1号 已完成"))
    db.session.commit()
    counts = enforce_retention(SYSTEM, now=now)
    assert counts["projects_erased"] == 1
    assert enforce_retention(SYSTEM, now=now)["projects_erased"] == 0
    db.session.commit()
    a = world.communities[0]
    gone = db.session.get(Project, old.id)
    assert (gone.address, gone.lat, gone.lng) == ("", a.lat, a.lng)
    notes = dict(db.session.execute(db.select(ProjectUpdate.project_id, ProjectUpdate.note)).all())
    assert notes == {old.id: "", recent.id: "甲路1号 已完成", live.id: "甲路1号 已完成"}
    assert db.session.get(Project, recent.id).address == "甲路1号3单元"
