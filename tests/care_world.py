"""Builders for care fund and casework test data: party members of two units, the unit
secretaries, the fund officer and the leading group, a funded ledger, cases in every state and
batches (driven through the real services as the system actor, like a back-dated history)."""
from datetime import date, timedelta

from server.care import batches, cases, decisions, fund
from server.care.models import Batch, Case, Contribution, Objection
from server.extensions import db
from server.identity.actor import SYSTEM
from server.identity.models import RoleGrant
from server.timeutil import utcnow
from tests.factories import make_user, make_volunteer

CASE_BODY = {"category": "retired", "hardship": "老伴重病住院，医药费负担重",
             "household_size": 3, "income_per_head_fen": 150000}


def add_member(world, key, community, unit, name="周党员"):
    world.users[key] = make_user(key, community, name)
    world.volunteers[key] = make_volunteer(world.users[key], community, unit_id=unit.id)
    return world.users[key]


def grant(world, key, role, community=None, **scope):
    if key not in world.users:
        world.users[key] = make_user(key, community or world.communities[0], "吴干部")
    db.session.add(RoleGrant(user_id=world.users[key].id, role=role, **scope))
    db.session.flush()
    return world.users[key]


def make_case(world, applicant="member", to="applied", now=None, **body):
    """A case moved through the real services up to `to` (windows back-dated when closed)."""
    now = now or utcnow()
    case = cases.apply_case(SYSTEM, {**CASE_BODY, **body,
                                     "applicant_id": world.users[applicant].id},
                            now=now - timedelta(days=20))
    steps = ["verified", "publicised", "window_closed", "active", "exited"]
    if to == "rejected":
        decisions.reject_case(SYSTEM, case.id, "经核实不符合条件", now=now)
        return case
    for step in steps[:steps.index(to) + 1] if to in steps else []:
        if step == "verified":
            cases.verify_case(SYSTEM, case.id, {"findings": "情况属实", "recommendation":
                                                "建议一次性帮扶 2000 元"}, now=now - timedelta(days=19))
        elif step == "publicised":
            cases.publish_case(SYSTEM, case.id, 5, now=now - timedelta(
                days=18 if to != "publicised" else 1))
        elif step == "active":
            decisions.approve_case(SYSTEM, case.id, {
                "aid_type": "long_term", "monthly_fen": 50000, "months": 6,
                "contact_person_id": world.users["contact"].id}, now=now - timedelta(days=10))
        elif step == "exited":
            decisions.exit_case(SYSTEM, case.id, "已就业，困难解除", now=now)
    db.session.flush()
    return db.session.get(Case, case.id)


def build_care(world) -> dict:
    """Everything the care endpoints act on; idempotent per world."""
    if getattr(world, "care", None):
        return world.care
    a, _, c = world.communities
    unit, unit_b = world.units
    unit.community_id, unit_b.community_id = a.id, c.id
    add_member(world, "member", a, unit, "周建华")
    add_member(world, "member2", a, unit, "郑丽")
    add_member(world, "member_b", c, unit_b, "冯强")
    grant(world, "unit_secretary", "unit_secretary", unit_id=unit.id)
    grant(world, "unit_secretary_b", "unit_secretary", unit_id=unit_b.id)
    grant(world, "fund_officer", "fund_officer", district_id=world.district.id)
    grant(world, "fund_officer2", "fund_officer", district_id=world.district.id)
    grant(world, "leading_group", "leading_group", district_id=world.district.id)
    grant(world, "leading_group_b", "leading_group", street_id=world.streets[1].id)
    world.users["contact"] = make_user("contact", a, "何联系")
    today = utcnow().date()
    contribution = fund.record_contribution(SYSTEM, {
        "member_id": world.users["member2"].id, "unit_id": unit.id, "amount_fen": 5_000_000,
        "paid_on": today - timedelta(days=30), "method": "transfer"})
    care = {"contribution": contribution}
    for state in ("applied", "verified", "publicised", "window_closed", "active", "exited",
                  "rejected"):
        care[state] = make_case(world, to=state)
    care["objection"] = cases.object_to_case(world_actor(world, "member2"),
                                             care["publicised"].id, "情况与事实不符")
    care["draft"] = batches.create_batch(SYSTEM, {"name": "上半年发放",
                                                  "pay_by": today + timedelta(days=200),
                                                  "district_id": world.district.id})
    care["draft"].created_by = world.users["fund_officer"].id
    second = make_case(world, applicant="member2", to="active")
    care["second"] = second
    care["approved"] = batches.create_batch(SYSTEM, {"name": "第二批", "pay_by": today
                                                     + timedelta(days=200),
                                                     "district_id": world.district.id})
    batches.approve_batch(SYSTEM, care["approved"].id)
    db.session.commit()
    world.care = care
    return care


def world_actor(world, key):
    from server.identity.services import load_actor
    return load_actor(world.users[key].id)


def care_placeholders(world, template: str) -> dict:
    care = build_care(world)
    case_for = {"verify": "applied", "publish": "verified", "objections": "publicised",
                "resolve": "publicised", "approve": "window_closed", "reject": "window_closed",
                "exit": "active", "revisits": "active"}
    last = template.rstrip("/").rsplit("/", 1)[-1]
    case = care[case_for.get(last, "active")]
    batch = care["approved"] if last == "pay" else care["draft"]
    return {"case_id": case.id, "objection_id": care["objection"].id, "batch_id": batch.id,
            "contribution_id": care["contribution"].id}


__all__ = ["build_care", "care_placeholders", "make_case", "Batch", "Contribution", "Objection",
           "date"]


_TODAY = utcnow().date()
# Bodies of the care endpoints in tests/api/matrix.py; ids the world fixes are filled by care_path.
CARE_BODIES = {
    "POST /fund/contributions": {"unit_id": 1, "amount_fen": 10000, "method": "wechat",
                                 "paid_on": (_TODAY - timedelta(days=1)).isoformat()},
    "POST /fund/contributions/{contribution_id}/reverse": {"reason": "重复登记"},
    "POST /fund/adjustments": {"amount_fen": 1234, "reason": "银行利息"},
    "POST /fund/batches": {"name": "七一前发放", "pay_by": (_TODAY + timedelta(days=30)).isoformat()},
    "POST /cases": {**CASE_BODY, "applicant_id": 0},
    "POST /cases/{case_id}/verify": {"findings": "情况属实", "recommendation": "建议长期帮扶"},
    "POST /cases/{case_id}/publish": {"days": 5},
    "POST /cases/{case_id}/objections": {"text": "申请人家庭收入不止这些"},
    "POST /cases/{case_id}/objections/{objection_id}/resolve": {"decision": "dismissed",
                                                                "resolution": "经核实不成立"},
    "POST /cases/{case_id}/approve": {"aid_type": "one_off", "amount_fen": 200000,
                                      "contact_person_id": 0},
    "POST /cases/{case_id}/reject": {"reason": "家庭收入超过标准"},
    "POST /cases/{case_id}/exit": {"reason": "困难已解除"},
    "POST /cases/{case_id}/revisits": {"method": "phone", "note": "电话回访，情况稳定",
                                       "next_due": (_TODAY + timedelta(days=30)).isoformat()},
}


def care_path(world, template: str, values: dict) -> str:
    """The matrix's path for a care endpoint (building the care world on first use) and the
    world's ids in the bodies that name people."""
    values = {**values, **care_placeholders(world, template)}
    CARE_BODIES["POST /cases"]["applicant_id"] = world.users["member"].id
    CARE_BODIES["POST /cases/{case_id}/approve"]["contact_person_id"] = world.users["contact"].id
    return template.format(**values)
