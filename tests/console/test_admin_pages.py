"""积分规则 and 审计日志 in the console (issue 13): the services of PUT /points/rules/{code} and
GET /audit(.xlsx), with their scope rules; a form without its CSRF token is refused."""
from server.audit.models import AuditEntry
from server.excel import read_sheet
from server.extensions import db
from server.points.services import rule_points


def test_district_admin_changes_a_rule_and_reads_it_in_the_audit_trail(console, world):
    admin = console("admin")
    assert "wish_confirmed" in admin.get("/console/points-rules").get_data(as_text=True)
    resp = admin.post("/console/points-rules/wish_confirmed", {"points": "12"})
    assert resp.status_code == 303
    db.session.expire_all()
    assert rule_points("wish_confirmed") == 12
    html = admin.get("/console/audit?action=points.rule").get_data(as_text=True)
    assert "points.rule" in html and "积分规则 #wish_confirmed" in html and "points_rule" in html
    book = admin.client.get("/console/audit.xlsx?action=points.rule")
    title, headers, rows = read_sheet(book.data)
    assert "审计日志" in title and headers[0] == "编号" and rows[0][5] == "points.rule"


def test_rules_refuse_others_bad_values_and_missing_csrf(console, world):
    admin = console("admin")
    admin.get("/console/points-rules")
    assert admin.post("/console/points-rules/wish_confirmed", {"points": "5000"}).status_code == 422
    assert admin.post("/console/points-rules/nope", {"points": "5"}).status_code == 404
    assert admin.post("/console/points-rules/wish_confirmed", {"points": "9"},
                      csrf=False).status_code == 400
    secretary = console("secretary")
    assert secretary.get("/console/points-rules").status_code == 403
    assert secretary.get("/console/audit").status_code == 403
    db.session.expire_all()
    assert rule_points("wish_confirmed") == 10
    assert not db.session.execute(db.select(AuditEntry).filter_by(action="points.rule")).first()


def test_audit_page_rejects_bad_filters(console, world):
    admin = console("admin")
    assert admin.get("/console/audit?actor_id=x").status_code == 422
    assert admin.get("/console/audit?from=2026-99-01").status_code == 422
    assert admin.get("/console/audit?from=0001-01-01").status_code == 422
    assert admin.get("/console/audit?to=9999-12-31").status_code == 422
    assert admin.get("/console/audit?from=2026-11-01&to=2026-11-30").status_code == 200
