"""The parts of a volunteer's file (一人一档) this half gives to part a: each package's
file_section(volunteer_id) lists that volunteer's own projects, check-ins and star reviews."""
from datetime import timedelta

from server.checkins.file_section import file_section as checkin_section
from server.checkins.models import CheckIn
from server.extensions import db
from server.projects.file_section import file_section as project_section
from server.stars.file_section import file_section as star_section
from server.timeutil import utcnow
from tests.service_system_b_world import FULL, make_checkin_day, make_project, make_review


def test_each_section_holds_the_volunteers_own_rows(world):
    me, other = world.volunteers["volunteer"], world.volunteers["volunteer2"]
    make_project(world, status="done", title="我的项目")
    make_project(world, status="claimed", claimer="volunteer2", title="别人的项目")
    day, venue = make_checkin_day(world)
    db.session.add(CheckIn(service_day_id=day.id, venue_id=venue.id, volunteer_id=me.id,
                           community_id=me.community_id, status="checked_out",
                           checked_in_at=utcnow() - timedelta(hours=2),
                           checked_out_at=utcnow(), minutes=120))
    make_review(world, who="volunteer", status="approved", scores=FULL)
    db.session.commit()
    projects = project_section(me.id)
    assert [(p["title"], p["status"], p["progress"]) for p in projects] == [("我的项目", "done", 100)]
    checkins = checkin_section(me.id)
    assert [(c["service_day_id"], c["hours"], c["venue"]) for c in checkins] == [
        (day.id, 2.0, venue.name)]
    stars = star_section(me.id)
    assert [(s["final_total"], s["commended"], s["status"]) for s in stars] == [
        (100, True, "approved")]
    assert checkin_section(other.id) == [] and star_section(other.id) == []
    assert [p["title"] for p in project_section(other.id)] == ["别人的项目"]
