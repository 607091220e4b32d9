"""The exports of projects, a day's check-ins and the star reviews: server/excel.py workbooks,
read back; scope-filtered like their lists; audited."""
from server.audit.models import AuditEntry
from server.excel import read_sheet
from server.extensions import db
from tests.service_system_b_world import FULL, make_checkin_day, make_project, make_review

API = "/api/v1"


def test_projects_export(client, world, login):
    make_project(world, title="甲项目", status="claimed")
    make_project(world, title="丙项目", community=world.communities[2])
    db.session.commit()
    resp = client.get(f"{API}/projects.xlsx", headers=login("secretary"))
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    title, headers, rows = read_sheet(resp.data)
    assert headers[1] == "项目" and [r[1] for r in rows[:-3]] == ["甲项目"]
    assert rows[0][6] == "李**" and rows[0][4] == "甲路1号3单元"
    assert rows[-3][0] == "合计" and rows[-3][-1] == 1
    assert db.session.execute(db.select(AuditEntry).filter_by(action="project.export")).first()


def test_checkins_export(client, world, login):
    day, venue = make_checkin_day(world)
    db.session.commit()
    for who in ("volunteer", "volunteer2"):
        client.post(f"{API}/service-days/{day.id}/check-ins", headers=login(who),
                    json={"venue_id": venue.id, "lat": venue.lat, "lng": venue.lng})
    resp = client.get(f"{API}/service-days/{day.id}/check-ins.xlsx", headers=login("secretary"))
    assert resp.status_code == 200
    _title, headers, rows = read_sheet(resp.data)
    assert headers[0] == "姓名" and len(rows) == 3 and rows[-1][0] == "合计" and rows[-1][-1] == 2
    assert client.get(f"{API}/service-days/{day.id}/check-ins.xlsx",
                      headers=login("volunteer")).status_code == 403


def test_star_reviews_export(client, world, login):
    make_review(world, who="volunteer", status="approved", scores=FULL)
    make_review(world, who="volunteer_b", status="self_assessed")
    db.session.commit()
    resp = client.get(f"{API}/star-reviews.xlsx", headers=login("secretary"))
    assert resp.status_code == 200
    _title, headers, rows = read_sheet(resp.data)
    assert "宗旨星" in headers
    assert [r[0] for r in rows[:-3]] == ["李建国"]  # community B's member is out of scope
    assert rows[0][-2] == "是" and rows[0][-3] == 100


def test_a_filter_outside_the_scope_is_403_not_an_empty_file(client, world, login):
    b, street = world.communities[1].id, world.streets[0].id
    make_review(world, who="volunteer")
    db.session.commit()
    for path in (f"/projects.xlsx?community_id={b}", f"/projects.xlsx?street_id={street}",
                 f"/star-reviews.xlsx?community_id={b}", f"/star-reviews/queue?community_id={b}"):
        assert client.get(API + path, headers=login("secretary")).status_code == 403, path
    assert client.get(f"{API}/star-reviews/queue?community_id={b}",
                      headers=login("volunteer2")).status_code == 403
