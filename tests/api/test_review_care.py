"""A hostile review of the care fund and casework against the four rules (docs/security.md):
scope on the whole requested scope, nobody on both sides, nothing public that locates a home,
access ending with the role; and no input gives a 5xx. The first tests document holes that were
fixed; the rest are probes that pass and guard the rule."""
from datetime import timedelta

import pytest

from server.care.models import Batch, Case
from server.extensions import db
from server.timeutil import utcnow
from server.volunteers.models import Volunteer
from tests.care_world import build_care, grant, make_case

API = "/api/v1"


# --- holes found and fixed ------------------------------------------------------------------------

def test_a_leading_group_member_cannot_approve_a_batch_that_pays_their_own_case(client, world,
                                                                                login):
    """The draft batch holds the payments of member's active case: member, also on the leading
    group, must not be the one who approves paying themself."""
    care = build_care(world)
    grant(world, "member", "leading_group", district_id=world.district.id)
    db.session.commit()
    resp = client.post(f"{API}/fund/batches/{care['draft'].id}/approve", headers=login("member"))
    assert resp.status_code == 403, resp.get_json()
    assert resp.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(Batch, care["draft"].id).status == "draft"
    ok = client.post(f"{API}/fund/batches/{care['draft'].id}/approve",
                     headers=login("leading_group"))
    assert ok.status_code == 200, ok.get_json()


def test_a_fund_officer_cannot_pay_a_batch_that_pays_their_own_case(client, world, login):
    """The approved batch holds member2's payments: member2 as fund officer must not pay it."""
    care = build_care(world)
    grant(world, "member2", "fund_officer", district_id=world.district.id)
    db.session.commit()
    resp = client.post(f"{API}/fund/batches/{care['approved'].id}/pay", headers=login("member2"))
    assert resp.status_code == 403, resp.get_json()
    db.session.expire_all()
    assert db.session.get(Batch, care["approved"].id).status == "approved"
    ok = client.post(f"{API}/fund/batches/{care['approved'].id}/pay",
                     headers=login("fund_officer"))
    assert ok.status_code == 200, ok.get_json()


def test_a_street_fund_officer_sees_only_the_streets_publication_list(client, world, login):
    """A fund officer of street 2 reads the year's report: its 公示 list must not name (even
    masked) the cases of street 1, outside the grant."""
    care = build_care(world)
    grant(world, "street_officer", "fund_officer", community=world.communities[2],
          street_id=world.streets[1].id)
    db.session.commit()
    year = utcnow().year
    resp = client.get(f"{API}/fund/report?year={year}", headers=login("street_officer"))
    assert resp.status_code == 200, resp.get_json()
    ids = {p["case_id"] for p in resp.get_json()["publications"]}
    assert care["active"].id not in ids and not ids
    district = client.get(f"{API}/fund/report?year={year}",
                          headers=login("fund_officer")).get_json()
    assert care["active"].id in {p["case_id"] for p in district["publications"]}


def test_the_contact_persons_access_ends_with_the_case(client, world, login):
    """The contact person reads the case file to follow it up; once the case is exited that
    role is over, and the hardship story, income and revisit notes are no longer theirs to
    read (the applicant and the staff in scope still are)."""
    care = build_care(world)
    case_id = care["active"].id
    contact = login("contact")
    assert client.get(f"{API}/cases/{case_id}", headers=contact).status_code == 200
    exited = client.post(f"{API}/cases/{case_id}/exit", headers=login("member"),
                         json={"reason": "已就业，困难解除"})
    assert exited.status_code == 200, exited.get_json()
    assert client.get(f"{API}/cases/{case_id}", headers=contact).status_code == 404
    queue = client.get(f"{API}/cases", headers=contact).get_json()
    assert case_id not in [c["id"] for c in queue]
    assert client.get(f"{API}/cases/{care['exited'].id}", headers=contact).status_code == 404
    assert client.get(f"{API}/cases/{case_id}", headers=login("member")).status_code == 200
    assert client.get(f"{API}/cases/{case_id}",
                      headers=login("leading_group")).status_code == 200


def test_the_contact_person_is_someone_the_leading_groups_grant_reaches(client, world, login):
    """contact_person_id is a user id in a body: the contact then reads the whole case file
    (hardship, income, documents), so a leading group of street 1 cannot name a resident of
    street 2 (or anyone anywhere)."""
    care = build_care(world)
    grant(world, "lg_street1", "leading_group", street_id=world.streets[0].id)
    db.session.commit()
    case = care["window_closed"]
    body = {"aid_type": "one_off", "amount_fen": 100000,
            "contact_person_id": world.users["member_b"].id}  # lives in community c, street 2
    far = client.post(f"{API}/cases/{case.id}/approve", headers=login("lg_street1"), json=body)
    assert far.status_code == 422, far.get_json()
    assert "contact_person_id" in far.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(Case, case.id).contact_person_id is None
    near = client.post(f"{API}/cases/{case.id}/approve", headers=login("lg_street1"),
                       json={**body, "contact_person_id": world.users["contact"].id})
    assert near.status_code == 200, near.get_json()


# --- probes that pass (they guard the rules) ------------------------------------------------------

def test_a_street_fund_officer_cannot_move_the_district_funds_cash(client, world, login):
    """The fund is the district's: an adjustment by a street officer would move the cash of
    every street (a charge could drain it). A guard: refused today (403), nothing written."""
    build_care(world)
    grant(world, "street_officer", "fund_officer", community=world.communities[2],
          street_id=world.streets[1].id)
    db.session.commit()
    before = client.get(f"{API}/fund/balance", headers=login("fund_officer")).get_json()
    resp = client.post(f"{API}/fund/adjustments", headers=login("street_officer"),
                       json={"amount_fen": -100000, "reason": "手续费"})
    assert resp.status_code == 403, resp.get_json()
    after = client.get(f"{API}/fund/balance", headers=login("fund_officer")).get_json()
    assert after["cash_fen"] == before["cash_fen"]
    ok = client.post(f"{API}/fund/adjustments", headers=login("fund_officer"),
                     json={"amount_fen": 1234, "reason": "银行利息"})
    assert ok.status_code == 201, ok.get_json()


def test_a_leading_group_of_another_street_cannot_decide_or_read(client, world, login):
    care = build_care(world)
    other = login("leading_group_b")
    case = care["window_closed"]
    assert client.get(f"{API}/cases/{case.id}", headers=other).status_code == 404
    assert client.post(f"{API}/cases/{case.id}/approve", headers=other, json={
        "aid_type": "one_off", "amount_fen": 100000,
        "contact_person_id": world.users["contact"].id}).status_code == 404
    assert client.post(f"{API}/cases/{case.id}/reject", headers=other,
                       json={"reason": "x"}).status_code == 404
    assert client.post(f"{API}/fund/batches/{care['draft'].id}/approve",
                       headers=other).status_code == 404
    assert case.id not in [c["id"] for c in client.get(f"{API}/cases", headers=other).get_json()]


def test_another_units_secretary_and_members_cannot_act(client, world, login):
    care = build_care(world)
    other = login("unit_secretary_b")
    assert client.post(f"{API}/cases/{care['applied'].id}/verify", headers=other, json={
        "findings": "x", "recommendation": "y"}).status_code == 404
    assert client.post(f"{API}/cases/{care['verified'].id}/publish", headers=other,
                       json={"days": 5}).status_code == 404
    assert client.post(f"{API}/cases/{care['publicised'].id}/objections",
                       headers=login("member_b"), json={"text": "不同意"}).status_code == 404
    assert client.get(f"{API}/cases/{care['active'].id}",
                      headers=login("member2")).status_code == 404  # same unit, not a party


def test_a_member_who_left_loses_the_publication_and_objections(client, world, login):
    care = build_care(world)
    member2 = login("member2")
    pubs = client.get(f"{API}/cases/publications", headers=member2).get_json()
    assert care["publicised"].id in [p["id"] for p in pubs]
    db.session.get(Volunteer, world.volunteers["member2"].id).status = "left"
    db.session.commit()
    pubs = client.get(f"{API}/cases/publications", headers=member2).get_json()
    assert care["publicised"].id not in [p["id"] for p in pubs]
    assert client.post(f"{API}/cases/{care['publicised'].id}/objections", headers=member2,
                       json={"text": "不同意"}).status_code == 404


def test_a_revoked_unit_secretary_stops_at_once(client, world, login):
    from server.identity.models import RoleGrant
    care = build_care(world)
    headers = login("unit_secretary")
    assert client.get(f"{API}/cases/{care['applied'].id}", headers=headers).status_code == 200
    db.session.execute(db.delete(RoleGrant).where(
        RoleGrant.user_id == world.users["unit_secretary"].id))
    db.session.commit()
    assert client.get(f"{API}/cases/{care['applied'].id}", headers=headers).status_code == 404
    assert client.post(f"{API}/cases/{care['applied'].id}/verify", headers=headers, json={
        "findings": "x", "recommendation": "y"}).status_code == 404


def test_the_publication_outside_the_organisation_carries_no_name_or_story(client, world, login):
    care = build_care(world)
    text = client.get(f"{API}/cases/publications",
                      headers=login("leading_group")).get_data(as_text=True)
    assert str(care["publicised"].id) in text
    for secret in ("周建华", care["publicised"].hardship, "income_per_head_fen", "13812345678"):
        assert secret not in text
    report = client.get(f"{API}/fund/report?year={utcnow().year}",
                        headers=login("fund_officer")).get_data(as_text=True)
    for secret in ("周建华", "郑丽", care["active"].hardship, "13812345678"):
        assert secret not in report


def test_the_money_never_goes_negative_and_paying_twice_pays_once(client, world, login):
    care = build_care(world)
    officer = login("fund_officer")
    drain = client.post(f"{API}/fund/adjustments", headers=officer,
                        json={"amount_fen": -(10**9), "reason": "全部转出"})
    assert drain.status_code == 409
    first = client.post(f"{API}/fund/batches/{care['approved'].id}/pay", headers=officer)
    second = client.post(f"{API}/fund/batches/{care['approved'].id}/pay", headers=officer)
    assert first.status_code == 200 and second.status_code == 409
    balance = client.get(f"{API}/fund/balance", headers=officer).get_json()
    assert balance["balanced"] and balance["cash_fen"] >= 0


@pytest.mark.parametrize("method,path,body", [
    ("post", "/fund/contributions", {"unit_id": 2**31, "amount_fen": 1, "paid_on": "2026-01-01",
                                     "method": "cash"}),
    ("post", "/fund/contributions", {"unit_id": 1, "amount_fen": -500, "paid_on": "2026-01-01",
                                     "method": "cash"}),
    ("post", "/fund/contributions", {"unit_id": 1, "amount_fen": 10**30, "paid_on": "2026-01-01",
                                     "method": "cash"}),
    ("post", "/fund/contributions", {"unit_id": "一", "amount_fen": [], "paid_on": 5,
                                     "method": None}),
    ("post", "/fund/contributions/99999999999999/reverse", {"reason": "x"}),
    ("post", "/fund/adjustments", {"amount_fen": "1e3", "reason": "x"}),
    ("post", "/fund/adjustments", {"amount_fen": 5, "reason": "x", "district_id": 2**31 - 1}),
    ("post", "/fund/batches", {"name": "x", "pay_by": "2026-01-01", "district_id": 2**31 - 1}),
    ("post", "/fund/batches/2147483647/pay", {}),
    ("post", "/fund/batches/99999999999999999999/approve", {}),
    ("get", "/fund/participation?year=99999", None),
    ("get", "/fund/participation?year=2026&unit_id=-1", None),
    ("get", "/fund/participation?year=2026&unit_id=1&community_id=1", None),
    ("get", "/fund/balance?district_id=2147483647", None),
    ("get", "/fund/report?year=-1", None),
    ("get", "/cases?status=nope", None),
    ("post", "/cases", {"applicant_id": 2**31 - 1, "category": "retired", "hardship": "困难",
                        "household_size": 1, "income_per_head_fen": 1}),
    ("post", "/cases", {"applicant_id": 1, "category": "retired", "hardship": "😀" * 5000,
                        "household_size": 10**9, "income_per_head_fen": -1}),
    ("post", "/cases", {"applicant_id": 1, "category": "retired", "hardship": "困难",
                        "household_size": 2, "income_per_head_fen": 1, "documents": [{}]}),
    ("post", "/cases/{active}/approve", {"aid_type": "one_off", "amount_fen": 10**30,
                                         "contact_person_id": 1}),
    ("post", "/cases/{window_closed}/approve", {"aid_type": "loan_subsidy", "loan_fen": 10**9,
                                                "annual_rate_bp": 10**9, "months": 120,
                                                "contact_person_id": 1}),
    ("post", "/cases/{window_closed}/approve", {"aid_type": "long_term", "monthly_fen": -5,
                                                "months": 0, "contact_person_id": 1}),
    ("post", "/cases/{active}/revisits", {"method": "phone", "note": "x",
                                          "next_due": "1999-01-01"}),
    ("post", "/cases/{publicised}/objections", {"text": ""}),
    ("post", "/cases/{publicised}/objections/2147483647/resolve", {"decision": "upheld",
                                                                   "resolution": "x"}),
    ("post", "/cases/{publicised}/objections/{objection}/resolve", {"decision": "maybe",
                                                                    "resolution": "x"}),
    ("post", "/cases/{verified}/publish", {"days": 10**12}),
])
def test_hostile_input_is_a_4xx_with_a_message(client, world, login, method, path, body):
    care = build_care(world)
    case_ids = {k: care[k].id for k in ("active", "window_closed", "publicised", "verified")}
    path = path.format(objection=care["objection"].id, **case_ids)
    db.session.get(Case, care["window_closed"].id).window_ends_at = (
        utcnow() - timedelta(seconds=1))
    db.session.commit()
    for who in ("fund_officer", "leading_group", "member", "unit_secretary", "contact"):
        resp = getattr(client, method)(f"{API}{path}", headers=login(who), json=body)
        assert 400 <= resp.status_code < 500, (who, resp.status_code, resp.get_data()[:300])
        assert resp.get_json() is not None and resp.get_json().get("message")


def test_a_huge_loan_subsidy_is_a_4xx_not_a_5xx(client, world, login):
    """round(loan × rate / 10000 / 12) of the largest loan at an absurd rate must still be
    refused or stored, never a 500."""
    care = build_care(world)
    case = make_case(world, applicant="member2", to="window_closed")
    db.session.commit()
    resp = client.post(f"{API}/cases/{case.id}/approve", headers=login("leading_group"), json={
        "aid_type": "loan_subsidy", "loan_fen": 10**9, "annual_rate_bp": 10**9, "months": 120,
        "contact_person_id": world.users["contact"].id})
    assert resp.status_code < 500, resp.get_json()
    assert care


# --- the console's forms (the same rules; no input gives a 5xx) -----------------------------------

from tests.console.conftest import console  # noqa: E402,F401  (the signed-in console fixture)


@pytest.mark.parametrize("action,form", [
    ("publish", {"days": "999999999"}),  # a window of 2.7 million years overflowed the date
    ("publish", {"days": "²"}),  # str.isdigit() says yes, int() says no
    ("approve", {"aid_type": "one_off", "amount_fen": "5", "contact_person_id": "²"}),
])
def test_the_case_forms_never_give_a_5xx(console, world, action, form):  # noqa: F811
    care = build_care(world)
    case = care["verified"] if action == "publish" else care["window_closed"]
    who = "unit_secretary" if action == "publish" else "leading_group"
    browser = console(who)
    browser.get(f"/console/care/cases/{case.id}")
    resp = browser.post(f"/console/care/cases/{case.id}/{action}", form)
    assert resp.status_code < 500, resp.get_data(as_text=True)[:300]
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == case.status


def test_a_repeated_contribution_with_its_key_is_recorded_once(client, world, login):
    """Idempotency-Key on a creating POST: the same key and body twice is one contribution and
    one posting; the same key with another body is refused, never a second entry."""
    from server.care.models import Contribution
    build_care(world)
    unit = world.units[0]
    headers = {**login("member"), "Idempotency-Key": "fund-2026-member"}
    body = {"unit_id": unit.id, "amount_fen": 20000, "paid_on": utcnow().date().isoformat(),
            "method": "wechat"}
    before = db.session.execute(db.select(db.func.count()).select_from(Contribution)).scalar_one()
    first = client.post(f"{API}/fund/contributions", headers=headers, json=body)
    second = client.post(f"{API}/fund/contributions", headers=headers, json=body)
    assert first.status_code == second.status_code == 201, first.get_json()
    assert first.get_json()["id"] == second.get_json()["id"]
    other = client.post(f"{API}/fund/contributions", headers=headers,
                        json={**body, "amount_fen": 1})
    assert 400 <= other.status_code < 500
    db.session.expire_all()
    after = db.session.execute(db.select(db.func.count()).select_from(Contribution)).scalar_one()
    assert after == before + 1
    balance = client.get(f"{API}/fund/balance", headers=login("fund_officer")).get_json()
    assert balance["balanced"]
