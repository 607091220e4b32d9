"""The care fund and casework end to end through the API (issue 15)."""
from datetime import timedelta

from server.care.models import CaseStatus
from server.extensions import db
from server.timeutil import utcnow
from tests.care_world import CASE_BODY, build_care

API = "/api/v1"


def _body(resp):
    return resp.get_json()


def test_a_case_runs_from_application_to_payment_and_exit(client, world, login):
    care = build_care(world)
    member = world.users["member"]
    resp = client.post(f"{API}/cases", headers=login("member"),
                       json={**CASE_BODY, "applicant_id": member.id})
    assert resp.status_code == 201, resp.get_json()
    case = _body(resp)
    assert case["status"] == "applied" and case["eligibility"]["eligible"] is True
    assert case["eligibility"]["threshold_fen"] == 249000
    cid = case["id"]
    sec = login("unit_secretary")
    resp = client.post(f"{API}/cases/{cid}/verify", headers=sec,
                       json={"findings": "属实", "recommendation": "长期帮扶"})
    assert resp.status_code == 200 and _body(resp)["status"] == "verified"
    assert client.post(f"{API}/cases/{cid}/publish", headers=sec,
                       json={"days": 4}).status_code == 422
    resp = client.post(f"{API}/cases/{cid}/publish", headers=sec, json={"days": 5})
    assert _body(resp)["status"] == "publicised"
    lg = login("leading_group")
    resp = client.post(f"{API}/cases/{cid}/approve", headers=lg, json={
        "aid_type": "one_off", "amount_fen": 200000, "contact_person_id": world.users["contact"].id})
    assert resp.status_code == 409 and "公示期" in _body(resp)["message"]
    # the window closes (back-date it: the rule reads window_ends_at)
    from server.care.models import Case
    row = db.session.get(Case, cid)
    row.window_ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    resp = client.post(f"{API}/cases/{cid}/approve", headers=lg, json={
        "aid_type": "one_off", "amount_fen": 200000, "contact_person_id": world.users["contact"].id})
    assert resp.status_code == 200, _body(resp)
    assert _body(resp)["status"] == CaseStatus.ACTIVE
    fo = login("fund_officer")
    resp = client.post(f"{API}/fund/batches", headers=fo,
                       json={"name": "七月前发放", "pay_by": (utcnow().date() + timedelta(days=1)).isoformat()})
    assert resp.status_code == 201, _body(resp)
    batch = _body(resp)
    assert batch["status"] == "draft" and batch["payments"] >= 1
    assert client.post(f"{API}/fund/batches/{batch['id']}/pay", headers=fo).status_code == 409
    resp = client.post(f"{API}/fund/batches/{batch['id']}/approve", headers=lg)
    assert _body(resp)["status"] == "approved"
    before = _body(client.get(f"{API}/fund/balance", headers=fo))
    resp = client.post(f"{API}/fund/batches/{batch['id']}/pay", headers=fo)
    assert resp.status_code == 200 and _body(resp)["status"] == "paid", _body(resp)
    after = _body(client.get(f"{API}/fund/balance", headers=fo))
    assert before["cash_fen"] - after["cash_fen"] == batch["total_fen"]
    assert after["balanced"] is True
    assert client.post(f"{API}/fund/batches/{batch['id']}/pay", headers=fo).status_code == 409
    contact = login("contact")
    resp = client.post(f"{API}/cases/{cid}/revisits", headers=contact, json={
        "method": "visit", "note": "上门看望，情况好转", "next_due": (utcnow().date() + timedelta(days=30)).isoformat()})
    assert resp.status_code == 201, _body(resp)
    resp = client.post(f"{API}/cases/{cid}/exit", headers=login("member"), json={"reason": "已就业"})
    assert _body(resp)["status"] == "exited"
    detail = _body(client.get(f"{API}/cases/{cid}", headers=lg))
    assert detail["payments"][0]["status"] == "paid" and len(detail["revisits"]) == 1
    assert care["contribution"].id


def test_report_and_exports_read_back(client, world, login):
    from server.excel import read_sheet
    build_care(world)
    fo = login("fund_officer")
    year = utcnow().year
    resp = client.get(f"{API}/fund/report?year={year}", headers=fo)
    assert resp.status_code == 200, _body(resp)
    report = _body(resp)
    assert report["contributions_fen"] >= 5_000_000
    assert all("*" in p["name"] for p in report["publications"])
    resp = client.get(f"{API}/fund/report.xlsx?year={year}", headers=fo)
    title, headers, rows = read_sheet(resp.data)
    assert "关爱基金" in title and rows[0][0] == "捐款收入"
    title, headers, rows = read_sheet(resp.data, "公示名单")
    assert rows and all("*" in str(r[1]) for r in rows if isinstance(r[0], int))
    resp = client.get(f"{API}/cases/ledger.xlsx", headers=login("leading_group"))
    title, headers, rows = read_sheet(resp.data)
    assert headers[0] == "编号" and any(r and r[0] == "合计" for r in rows)
    resp = client.get(f"{API}/fund/participation?unit_id={world.units[0].id}&year={year}",
                      headers=fo)
    assert _body(resp) == {"unit_id": world.units[0].id, "community_id": None, "year": year,
                           "members": 2, "contributed": 1, "rate": 0.5}
