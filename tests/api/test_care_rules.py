"""The casework rules (issue 15): the publication window and objections, privacy of the
publication outside the party organisation, eligibility and its audited override, illegal moves
(409 in Chinese), bad input (4xx, never 5xx), revisit reminders."""
from datetime import timedelta

import pytest

from server.audit.models import AuditEntry
from server.care.maintenance import remind_revisits
from server.care.models import Case
from server.extensions import db
from server.identity.actor import SYSTEM
from server.notifications.models import OutboxMessage
from server.timeutil import utcnow
from tests.care_world import CASE_BODY, build_care, make_case

API = "/api/v1"


def _approve(client, login, world, case_id, **extra):
    return client.post(f"{API}/cases/{case_id}/approve", headers=login("leading_group"), json={
        "aid_type": "long_term", "monthly_fen": 50000, "months": 3,
        "contact_person_id": world.users["contact"].id, **extra})


def _close_window(case_id):
    db.session.get(Case, case_id).window_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_no_approval_or_rejection_while_the_window_is_open(client, world, login):
    care = build_care(world)
    case = make_case(world, applicant="member2", to="publicised")
    db.session.commit()
    assert _approve(client, login, world, case.id).status_code == 409
    resp = client.post(f"{API}/cases/{case.id}/reject", headers=login("leading_group"),
                       json={"reason": "不符合"})
    assert resp.status_code == 409 and resp.get_json()["message"] == "公示期未结束，不能作出决定"
    _close_window(case.id)
    assert _approve(client, login, world, case.id).status_code == 200
    assert care


def test_an_open_objection_blocks_approval_until_resolved(client, world, login):
    care = build_care(world)
    case_id = care["publicised"].id  # carries member2's open objection
    _close_window(case_id)
    resp = _approve(client, login, world, case_id)
    assert resp.status_code == 409 and "异议" in resp.get_json()["message"]
    oid = care["objection"].id
    resp = client.post(f"{API}/cases/{case_id}/objections/{oid}/resolve",
                       headers=login("leading_group"),
                       json={"decision": "dismissed", "resolution": "经核实不成立"})
    assert resp.status_code == 200 and resp.get_json()["status"] == "dismissed"
    assert client.post(f"{API}/cases/{case_id}/objections/{oid}/resolve",
                       headers=login("leading_group"),
                       json={"decision": "upheld", "resolution": "再议"}).status_code == 409
    assert _approve(client, login, world, case_id).status_code == 200


def test_an_upheld_objection_blocks_approval(client, world, login):
    care = build_care(world)
    case_id = care["publicised"].id
    client.post(f"{API}/cases/{case_id}/objections/{care['objection'].id}/resolve",
                headers=login("leading_group"), json={"decision": "upheld", "resolution": "成立"})
    _close_window(case_id)
    resp = _approve(client, login, world, case_id)
    assert resp.status_code == 409 and resp.get_json()["message"] == "异议成立，不能批准"
    assert client.post(f"{API}/cases/{case_id}/reject", headers=login("leading_group"),
                       json={"reason": "异议成立"}).get_json()["status"] == "rejected"


def test_objections_only_inside_the_organisation_and_only_during_the_window(client, world,
                                                                            login):
    care = build_care(world)
    case_id = care["publicised"].id
    body = {"text": "有异议"}
    assert client.post(f"{API}/cases/{case_id}/objections", headers=login("member_b"),
                       json=body).status_code == 404
    assert client.post(f"{API}/cases/{care['verified'].id}/objections",
                       headers=login("member2"), json=body).status_code == 409
    _close_window(case_id)
    resp = client.post(f"{API}/cases/{case_id}/objections", headers=login("member2"), json=body)
    assert resp.status_code == 409 and "公示期" in resp.get_json()["message"]


def test_the_publication_is_masked_outside_the_organisation(client, world, login):
    care = build_care(world)
    name = world.users["member"].name
    inside = client.get(f"{API}/cases/publications", headers=login("member2")).get_json()
    assert inside and {p["name"] for p in inside} == {name}
    assert not any(p["masked"] for p in inside)
    staff = client.get(f"{API}/cases/publications", headers=login("leading_group")).get_json()
    assert len(staff) == len(inside)
    assert all(p["name"] != name and "*" in p["name"] and p["masked"] for p in staff)
    for outsider in ("member_b", "resident", "volunteer", "leading_group_b"):
        assert client.get(f"{API}/cases/publications", headers=login(outsider)).get_json() == []
    text = str(inside) + str(staff)
    assert care["publicised"].hardship not in text and "income" not in text
    detail = client.get(f"{API}/cases/{care['publicised'].id}", headers=login("member2"))
    assert detail.status_code == 404


def test_eligibility_is_computed_and_an_override_needs_a_reason(client, world, login):
    build_care(world)
    resp = client.post(f"{API}/cases", headers=login("member2"), json={
        **CASE_BODY, "applicant_id": world.users["member2"].id, "income_per_head_fen": 300000,
        "exclusions": ["discipline"]})
    case = resp.get_json()
    assert case["eligibility"]["eligible"] is False
    assert case["eligibility"]["below_threshold"] is False
    assert len(case["eligibility"]["reasons"]) == 2
    db.session.get(Case, case["id"]).status = "publicised"
    db.session.commit()
    _close_window(case["id"])
    resp = _approve(client, login, world, case["id"])
    assert resp.status_code == 409 and "破格" in resp.get_json()["message"]
    resp = _approve(client, login, world, case["id"], override_reason="因病致贫，领导小组研究同意")
    assert resp.status_code == 200
    audit = db.session.execute(db.select(AuditEntry).filter_by(
        action="care_case_eligibility_override")).scalar_one()
    assert audit.detail["reason"] == "因病致贫，领导小组研究同意"


def test_every_illegal_move_is_a_409_in_chinese(client, world, login):
    care = build_care(world)
    lg, sec = login("leading_group"), login("unit_secretary")
    moves = [(sec, care["active"].id, "verify", {"findings": "x", "recommendation": "y"}),
             (sec, care["applied"].id, "publish", {"days": 5}),
             (lg, care["applied"].id, "approve", {"aid_type": "one_off", "amount_fen": 1,
                                                  "contact_person_id": world.users["contact"].id}),
             (lg, care["exited"].id, "exit", {"reason": "再退"}),
             (lg, care["rejected"].id, "reject", {"reason": "再驳"})]
    for headers, case_id, action, body in moves:
        resp = client.post(f"{API}/cases/{case_id}/{action}", headers=headers, json=body)
        assert resp.status_code == 409, (action, resp.get_json())
        assert any("\u4e00" <= ch <= "\u9fff" for ch in resp.get_json()["message"])
    # the contact person's role ends with the case: an exited case is no longer theirs (404,
    # tests/api/test_review_care.py::test_the_contact_persons_access_ends_with_the_case)
    resp = client.post(f"{API}/cases/{care['exited'].id}/revisits", headers=login("contact"),
                       json={"method": "phone", "note": "回访", "next_due": "2099-01-01"})
    assert resp.status_code == 404 and resp.get_json()["message"]


BAD = [("/cases", {"applicant_id": "x"}), ("/cases", {**CASE_BODY, "applicant_id": 2**40}),
       ("/cases", {**CASE_BODY, "applicant_id": 999999}),
       ("/cases", {**CASE_BODY, "applicant_id": 1, "household_size": 0}),
       ("/cases", {**CASE_BODY, "applicant_id": 1, "exclusions": ["nope"]}),
       ("/fund/contributions", {"unit_id": 1, "amount_fen": -5, "paid_on": "2026-01-01",
                                "method": "cash"}),
       ("/fund/contributions", {"unit_id": 999, "amount_fen": 5, "paid_on": "2026-01-01",
                                "method": "cash"}),
       ("/fund/contributions", {"unit_id": 1, "amount_fen": 5, "paid_on": "9999-01-01",
                                "method": "cash"}),
       ("/fund/contributions", {"unit_id": 1, "amount_fen": 5, "paid_on": "2099-01-01",
                                "method": "cash"}),
       ("/fund/batches", {"name": "", "pay_by": "2026-13-01"}),
       ("/fund/batches", {"name": "x", "pay_by": "2026-01-01", "street_id": 999}),
       ("/fund/adjustments", {"amount_fen": 0, "reason": "零"}),
       ("/fund/adjustments", {"amount_fen": -10**10, "reason": "全部转出"})]


@pytest.mark.parametrize("path,body", BAD)
def test_bad_input_is_4xx(client, world, login, path, body):
    build_care(world)
    for who in ("fund_officer", "member", "resident"):
        resp = client.post(API + path, headers=login(who), json=body)
        assert 400 <= resp.status_code < 500, (path, who, resp.status_code, resp.get_json())


@pytest.mark.parametrize("action,body", [
    ("approve", {"aid_type": "long_term", "contact_person_id": 1}),
    ("approve", {"aid_type": "loan_subsidy", "loan_fen": 1, "annual_rate_bp": 1, "months": 2,
                 "contact_person_id": 1}),
    ("approve", {"aid_type": "one_off", "amount_fen": 5, "contact_person_id": 999999}),
    ("approve", {"aid_type": "composite", "amount_fen": 5, "monthly_fen": 5, "months": 999,
                 "contact_person_id": 1}),
    ("publish", {"days": "many"}), ("reject", {}), ("revisits", {"method": "fax"})])
def test_bad_decisions_are_4xx(client, world, login, action, body):
    care = build_care(world)
    _close_window(care["window_closed"].id)
    for case in ("window_closed", "verified", "active"):
        resp = client.post(f"{API}/cases/{care[case].id}/{action}",
                           headers=login("leading_group"), json=body)
        assert 400 <= resp.status_code < 500, (action, resp.get_json())


def test_revisit_reminders_and_overdue_notices(client, world, login):
    care = build_care(world)
    active = db.session.get(Case, care["active"].id)
    today = utcnow().date()
    active.next_revisit_due = today - timedelta(days=30)
    db.session.commit()
    first = remind_revisits(SYSTEM, now=utcnow())
    assert first["reminded"] >= 1 and first["overdue_notices"] == 1
    assert remind_revisits(SYSTEM, now=utcnow())["overdue_notices"] == 0  # once per due date
    kinds = {(m.user_id, m.kind) for m in db.session.execute(db.select(OutboxMessage)).scalars()}
    assert (world.users["contact"].id, "care_revisit_due") in kinds
    assert (world.users["unit_secretary"].id, "care_revisit_overdue") in kinds
    resp = client.post(f"{API}/cases/{active.id}/revisits", headers=login("contact"), json={
        "method": "visit", "note": "上门", "next_due": (today + timedelta(days=60)).isoformat()})
    assert resp.status_code == 201
    assert db.session.get(Case, active.id).next_revisit_due == today + timedelta(days=60)


def test_my_export_holds_my_cases_and_retention_erases_closed_cases_text(client, world, login):
    from server.privacy_lifecycle.retention import enforce_retention
    care = build_care(world)
    data = client.get(f"{API}/me/export", headers=login("member")).get_json()
    assert {c["id"] for c in data["care_cases"]} >= {care["active"].id, care["exited"].id}
    assert any(c["payments"] for c in data["care_cases"])
    mine = client.get(f"{API}/me/export", headers=login("member2")).get_json()
    assert mine["care_objections"] and mine["care_contributions"]
    counts = enforce_retention(SYSTEM, now=utcnow() + timedelta(days=400))
    assert counts["care_cases_erased"] == 2  # the exited and the rejected case
    db.session.expire_all()
    assert db.session.get(Case, care["exited"].id).hardship == ""
    assert db.session.get(Case, care["active"].id).hardship != ""
    assert enforce_retention(SYSTEM, now=utcnow() + timedelta(days=400))["care_cases_erased"] == 0


def test_a_risky_hardship_text_is_refused(client, world, login):
    build_care(world)
    resp = client.post(f"{API}/cases", headers=login("member2"), json={
        **CASE_BODY, "applicant_id": world.users["member2"].id, "hardship": "含有违禁词的内容"})
    assert resp.status_code == 422 and "hardship" in resp.get_json()["errors"]


def test_cancelling_an_account_erases_the_case_story_and_keeps_the_ledger(client, world, login):
    from server.care import ledger
    care = build_care(world)
    fund_id = care["approved"].fund_id
    before = ledger.balances(fund_id)
    resp = client.post(f"{API}/me/cancel", headers=login("member"), json={"confirm": True})
    assert resp.status_code == 200
    db.session.expire_all()
    for key in ("active", "exited", "applied"):
        case = db.session.get(Case, care[key].id)
        assert case.hardship == "" and case.findings is None
    assert ledger.balances(fund_id) == before


def test_participation_of_the_whole_fund(client, world, login):
    build_care(world)
    body = client.get(f"{API}/fund/participation", headers=login("fund_officer")).get_json()
    assert body["members"] == 3 and body["contributed"] == 1 and body["rate"] == 0.3333


def test_the_fund_officer_reads_the_plan_and_payments_not_the_story(client, world, login):
    care = build_care(world)
    path = f"{API}/cases/{care['active'].id}"
    officer = client.get(path, headers=login("fund_officer")).get_json()
    assert officer["payments"] and officer["plan"]
    assert "hardship" not in officer and "income_per_head_fen" not in officer
    group = client.get(path, headers=login("leading_group")).get_json()
    assert group["hardship"] == care["active"].hardship
