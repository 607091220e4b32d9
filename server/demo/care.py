"""Demo data of the care fund and casework: a year of contributions from the demo units' members
(~96 % take part), about 40 cases in every state, one paid batch, revisits on time and overdue.
Everything goes through the real services as the system actor, back-dated like a real year."""
from datetime import timedelta

from ..care import batches, cases, decisions, fund
from ..care.models import AidType, Case
from ..extensions import db
from ..identity.actor import SYSTEM
from ..identity.models import District, RoleGrant, Street, Unit, User
from ..identity.services import load_actor
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus

PER_STATE = 40
HARDSHIPS = ["配偶重病住院，医疗费用负担重", "本人下岗失业，子女上学", "家中老人长期卧床",
             "遭遇火灾，房屋受损", "本人患慢性病需长期服药", "子女残疾需长期照料"]
CATEGORIES = ["serving", "retired", "survivor"]
DEMO_STAFF = (("demo-unit-secretary", "钱卫东", "unit_secretary"),
              ("demo-fund-officer", "孙红梅", "fund_officer"),
              ("demo-leading-group", "李国强", "leading_group"))


def _staff(district, units, home) -> dict:
    people = {}
    for openid, name, role in DEMO_STAFF:
        user = User(openid=openid, name=name, community_id=home.id)
        db.session.add(user)
        db.session.flush()
        scope = {"unit_id": units[0].id} if role == "unit_secretary" else {
            "district_id": district.id}
        db.session.add(RoleGrant(user_id=user.id, role=role, **scope))
        people[role] = user
    db.session.flush()
    return people


def _contributions(rng, members, units, today) -> int:
    start = today.replace(month=1, day=1)
    span = (today - start).days
    count = 0
    for volunteer in members:
        if rng.random() < 0.96:
            fund.record_contribution(SYSTEM, {
                "member_id": volunteer.user_id, "unit_id": volunteer.unit_id,
                "amount_fen": rng.choice([100, 200, 300, 500, 1000]) * 100,
                "paid_on": start + timedelta(days=rng.randrange(span + 1)),
                "method": rng.choice(["wechat", "transfer", "cash", "payroll"])})
            count += 1
    for unit in units:  # the units' own gifts (党组织捐款)
        fund.record_contribution(SYSTEM, {"unit_id": unit.id, "amount_fen": 2_000_000,
                                          "paid_on": start + timedelta(days=60),
                                          "method": "transfer"})
    return count


def _plan(rng, contact_id: int) -> dict:
    aid = rng.choice(list(AidType))
    plan = {"aid_type": aid, "contact_person_id": contact_id}
    if aid in (AidType.ONE_OFF, AidType.TEMPORARY, AidType.COMPOSITE):
        plan["amount_fen"] = rng.choice([1000, 2000, 3000]) * 100
    if aid in (AidType.LONG_TERM, AidType.COMPOSITE):
        plan.update(monthly_fen=rng.choice([300, 500, 800]) * 100, months=rng.choice([6, 12]))
    if aid == AidType.LOAN_SUBSIDY:
        plan.update(loan_fen=rng.choice([50_000, 100_000]) * 100, annual_rate_bp=435, months=12)
    return plan


def _case(rng, member, now, to: str, contact_id: int) -> Case:
    """One case moved to `to` through the real services, at back-dated times."""
    income = rng.choice([90_000, 120_000, 150_000, 200_000, 230_000, 260_000])
    case = cases.apply_case(SYSTEM, {
        "applicant_id": member.user_id, "category": rng.choice(CATEGORIES),
        "hardship": rng.choice(HARDSHIPS), "household_size": rng.randint(1, 5),
        "income_per_head_fen": income}, now=now - timedelta(days=120))
    if to == "applied":
        return case
    if to == "rejected":
        return decisions.reject_case(SYSTEM, case.id, "经核实家庭收入超过标准", now=now)
    cases.verify_case(SYSTEM, case.id, {"findings": "经走访核实，情况属实",
                                        "recommendation": "建议给予帮扶"},
                      now=now - timedelta(days=115))
    if to == "verified":
        return case
    recent = to == "publicised"
    cases.publish_case(SYSTEM, case.id, 5, now=now - timedelta(days=2 if recent else 110))
    if recent:
        return case
    decisions.approve_case(SYSTEM, case.id, {
        **_plan(rng, contact_id),
        **({} if case.eligible else {"override_reason": "因病致贫，领导小组研究同意破格帮扶"})},
        now=now - timedelta(days=rng.randint(60, 100)))
    return case


def load_demo_care(rng, communities) -> str:
    """The care fund's year in the demo district (see the module docstring)."""
    now = utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    district = db.session.execute(db.select(District)).scalars().first()
    units = db.session.execute(db.select(Unit).order_by(Unit.id)).scalars().all()
    for i, unit in enumerate(units):  # 共驻共建: each unit stands linked to a community
        unit.community_id = unit.community_id or communities[i % len(communities)].id
    staff = _staff(district, units, communities[0])
    members = db.session.execute(db.select(Volunteer).where(
        Volunteer.status == VolunteerStatus.ACTIVE, Volunteer.unit_id.is_not(None))
        .order_by(Volunteer.id)).scalars().all()
    given = _contributions(rng, members, units, today)
    applicants = rng.sample(members, min(len(members), PER_STATE * 6))
    contact = staff["unit_secretary"]  # the unit's secretary keeps in touch (跟踪联系人)
    states = ["applied", "verified", "publicised", "rejected", "active", "exited"]
    made = {s: [_case(rng, applicants[i * PER_STATE + k], now, s if s != "exited" else "active",
                      contact.id)
                for k in range(PER_STATE) if i * PER_STATE + k < len(applicants)]
            for i, s in enumerate(states)}
    batch = batches.create_batch(SYSTEM, {"name": f"{today.year} 年上半年关爱基金发放",
                                          "pay_by": today, "district_id": district.id},
                                 now=now - timedelta(days=30))
    batches.approve_batch(SYSTEM, batch.id, now=now - timedelta(days=25))
    batches.pay_batch(SYSTEM, batch.id, now=now - timedelta(days=20))
    for case in made["exited"]:
        decisions.exit_case(SYSTEM, case.id, "困难已解除，本人申请退出", now=now - timedelta(days=5))
    _revisits(rng, made["active"], contact, today, now)
    _objections(made["publicised"], members, now)
    db.session.flush()
    return (f"care fund: {given} of {len(members)} members gave, "
            f"{sum(len(v) for v in made.values())} cases, batch of {batch.payments} payments "
            f"paid ({batch.total_fen / 100:.2f} 元); logins "
            + ", ".join(openid for openid, _, _ in DEMO_STAFF) + f" (+{len(staff)})")


def _revisits(rng, active, contact, today, now) -> None:
    """Half the active cases visited on time (next visit ahead), a quarter overdue."""
    actor = load_actor(contact.id)
    for i, case in enumerate(active):
        if i % 4 == 3:
            db.session.get(Case, case.id).next_revisit_due = today - timedelta(days=30)
        elif i % 2 == 0:
            decisions.add_revisit(actor, case.id, {
                "method": rng.choice(["phone", "visit"]), "note": "电话了解近况，生活基本稳定",
                "next_due": today + timedelta(days=rng.randint(20, 80))}, now=now)


def _objections(publicised, members, now) -> None:
    for case in publicised[:5]:
        row = db.session.get(Case, case.id)
        colleague = next((m for m in members if m.unit_id == row.unit_id
                          and m.user_id != row.applicant_id), None)
        if colleague is not None:
            cases.object_to_case(load_actor(colleague.user_id), case.id,
                                 "据了解其家庭另有经营收入，请核实", now=now)


__all__ = ["load_demo_care", "Street"]
