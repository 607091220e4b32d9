"""The console pages of the volunteer service system, part b, through the test client: scope
(a secretary of another community sees none of community A's), the forms' services and their
separation rules."""
from server.extensions import db
from server.projects.models import Project
from server.stars.models import StarReview
from tests.service_system_b_world import GOOD, make_checkin_day, make_project, make_review


def test_projects_page_lists_publishes_and_cancels(console, world):
    make_project(world, title="甲社区楼道清理")
    db.session.commit()
    secretary = console("secretary")
    page = secretary.get("/console/projects")
    assert page.status_code == 200 and "甲社区楼道清理" in page.get_data(as_text=True)
    resp = secretary.post("/console/projects/new", {"community_id": "1", "title": "新项目",
                                                    "category": "culture"})
    assert resp.status_code == 303
    new = db.session.execute(db.select(Project).filter_by(title="新项目")).scalar_one()
    assert secretary.post("/console/projects/cancel?community_id=1",
                          {"ids": str(new.id), "reason": "重复"}).status_code == 303
    db.session.rollback()
    assert db.session.get(Project, new.id).status == "cancelled"
    other = console("secretary_b")
    assert other.get("/console/projects?community_id=1").status_code == 403
    assert "甲社区楼道清理" not in other.get("/console/projects").get_data(as_text=True)
    assert other.post("/console/projects/new", {"community_id": "1", "title": "越权项目",
                                                "category": "culture"}).status_code == 403


def test_done_projects_wait_on_the_page_for_a_secretarys_confirmation(console, world):
    """The queue of done projects (the workbench counts it): a secretary in scope confirms and
    the claimer's points are credited; another community's secretary neither sees nor confirms."""
    from server.points.models import PointsEntry
    done = make_project(world, status="done", title="甲社区宣传周")
    db.session.commit()
    other = console("secretary_b")
    assert "甲社区宣传周" not in other.get("/console/projects").get_data(as_text=True)
    assert other.post("/console/projects/confirm", {"ids": str(done.id)}).status_code in (
        403, 404, 409)
    secretary = console("secretary")
    page = secretary.get("/console/projects").get_data(as_text=True)
    assert "待确认完成的项目" in page and f'data-confirm-project="{done.id}"' in page
    assert secretary.post("/console/projects/confirm?community_id=1",
                          {"ids": str(done.id)}).status_code == 303
    db.session.rollback()
    assert db.session.get(Project, done.id).confirmed_at is not None
    assert db.session.execute(db.select(PointsEntry).filter_by(
        reason="project_done", ref_id=done.id)).scalar_one().volunteer_id == \
        world.volunteers["volunteer"].id
    assert f'data-confirm-project="{done.id}"' not in secretary.get(
        "/console/projects").get_data(as_text=True)


def test_checkins_page_is_scoped(console, world, client, login):
    day, venue = make_checkin_day(world)
    db.session.commit()
    for who in ("volunteer", "volunteer_b"):
        client.post(f"/api/v1/service-days/{day.id}/check-ins", headers=login(who),
                    json={"venue_id": venue.id, "lat": venue.lat, "lng": venue.lng})
    page = console("secretary").get(f"/console/checkins?day_id={day.id}").get_data(as_text=True)
    assert "李建国" in page and page.count("data-checkin=") == 2
    b_page = console("secretary_b").get("/console/checkins").get_data(as_text=True)
    assert b_page.count("data-checkin=") == 1 and "李建国" not in b_page
    xlsx = console("secretary").client.get(f"/console/checkins/{day.id}.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")


def test_star_queue_branch_and_street(console, world):
    ready = make_review(world, who="volunteer2", status="peer_reviewed")
    db.session.commit()
    branch = console("secretary")
    page = branch.get("/console/stars").get_data(as_text=True)
    assert f'data-review="{ready.id}"' in page
    form = {f"{code}-{ready.id}": str(v) for code, v in GOOD.items()}
    assert console("secretary_b").post(f"/console/stars/{ready.id}/branch-review",
                                       form).status_code == 403
    assert branch.post(f"/console/stars/{ready.id}/branch-review",
                       {**form, "comment": "好"}).status_code == 303
    street = console("street_secretary")
    assert f'data-review="{ready.id}"' in street.get("/console/stars?role=street").get_data(
        as_text=True)
    assert street.post("/console/stars/approve", {"ids": str(ready.id)}).status_code == 303
    db.session.rollback()
    assert db.session.get(StarReview, ready.id).status == "approved"


def test_bad_star_form_is_refused_and_changes_nothing(console, world):
    ready = make_review(world, who="volunteer2", status="peer_reviewed")
    db.session.commit()
    form = {f"{code}-{ready.id}": str(v) for code, v in GOOD.items()}
    form[f"zongzhi-{ready.id}"] = "21"
    assert console("secretary").post(f"/console/stars/{ready.id}/branch-review",
                                     form).status_code == 422
    db.session.rollback()
    assert db.session.get(StarReview, ready.id).status == "peer_reviewed"
