"""Contributions, corrections, adjustments, participation and the fund's balances."""
from datetime import date, datetime

from sqlalchemy import distinct, func

from ..audit.services import record_audit
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Unit
from ..policy.scope import Scope, ScopeKind, actor_covers, communities_in, require_covers
from ..timeutil import local_date, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from . import ledger
from .models import ACCOUNT_NAMES, Account, Contribution, PostingKind
from .policies import FUND_ROLES, district_of_unit, member_unit, require_fund_scope


def _fund_of_unit(unit_id: int):
    if db.session.get(Unit, unit_id) is None:
        raise NotFound("单位不存在")
    district_id = district_of_unit(unit_id)
    if district_id is None:
        raise Invalid("该单位未关联社区，无法确定所属基金", errors={"unit_id": ["单位未关联社区"]})
    return ledger.fund_for_district(district_id)


def _check_contributor(actor, member_id: int | None, unit_id: int) -> None:
    if actor_covers(actor, Scope(ScopeKind.UNIT, unit_id), roles=FUND_ROLES):
        return
    if member_id not in (None, actor.user_id):
        raise Forbidden("只能为本人登记捐款")
    if member_unit(actor.user_id) != unit_id:
        raise Forbidden("只能登记本人所在单位党组织的捐款")


def record_contribution(actor, body: dict, *, now: datetime | None = None) -> Contribution:
    """A contribution to the fund: by the fund officer in scope, or a member for themself
    (to their own unit); cash in, contributions income out, in one balanced posting."""
    now = now or utcnow()
    unit_id = body["unit_id"]
    member_id = body.get("member_id")
    _check_contributor(actor, member_id, unit_id)
    staff = actor_covers(actor, Scope(ScopeKind.UNIT, unit_id), roles=FUND_ROLES)
    if not staff:
        member_id = actor.user_id
    if member_id is not None and member_unit(member_id) != unit_id:
        raise Invalid("该党员不属于这个单位", errors={"member_id": ["不是该单位的党员"]})
    if body["paid_on"] > local_date(now):
        raise Invalid("缴纳日期不能晚于今天", errors={"paid_on": ["不能是将来的日期"]})
    fund = _fund_of_unit(unit_id)
    amount = body["amount_fen"]
    posting = ledger.post(fund.id, PostingKind.CONTRIBUTION,
                          [(Account.FUND_CASH, None, amount),
                           (Account.CONTRIBUTIONS, None, -amount)],
                          on=body["paid_on"], memo=f"捐款 单位{unit_id}", by=actor.user_id)
    row = Contribution(fund_id=fund.id, member_id=member_id, unit_id=unit_id, amount_fen=amount,
                       paid_on=body["paid_on"], method=body["method"], recorded_by=actor.user_id,
                       posting_id=posting.id, created_at=now)
    db.session.add(row)
    db.session.flush()
    return row


def reverse_contribution(actor, contribution_id: int, reason: str, *,
                         now: datetime | None = None) -> Contribution:
    """Correct a wrongly recorded contribution with a reversing posting (never an edit); refused
    when the fund's cash would go below zero."""
    now = now or utcnow()
    row = db.session.get(Contribution, contribution_id)
    if row is None or not actor_covers(actor, Scope(ScopeKind.UNIT, row.unit_id),
                                       roles=FUND_ROLES):
        raise NotFound("捐款记录不存在")
    ledger.lock_fund(row.fund_id)
    if row.reversed_at is not None:
        raise Conflict("这笔捐款已经更正过")
    if ledger.cash(row.fund_id) < row.amount_fen:
        raise Conflict("基金余额不足，不能冲销这笔捐款")
    posting = db.session.get(ledger.Posting, row.posting_id)
    ledger.reverse(posting, on=local_date(now), memo=f"更正：{reason}", by=actor.user_id)
    row.reversed_at = now
    record_audit(actor, "care_contribution_reversed", "care_contribution", row.id,
                 scope=f"unit:{row.unit_id}", detail={"reason": reason, "fen": row.amount_fen})
    db.session.flush()
    return row


def record_adjustment(actor, body: dict, *, now: datetime | None = None) -> dict:
    """Bank interest (+) or charges (−) between the fund's cash and the adjustments account;
    cash never goes below zero."""
    now = now or utcnow()
    scope = require_fund_scope(actor, district_id=body.get("district_id"))
    fund = (ledger.fund_for_district(scope.id) if scope.kind == ScopeKind.DISTRICT
            else ledger.fund_for_street(scope.id))
    ledger.lock_fund(fund.id)
    amount = body["amount_fen"]
    if amount < 0 and ledger.cash(fund.id) < -amount:
        raise Conflict("基金余额不足")
    posting = ledger.post(fund.id, PostingKind.ADJUSTMENT,
                          [(Account.FUND_CASH, None, amount), (Account.ADJUSTMENTS, None, -amount)],
                          on=local_date(now), memo=body["reason"], by=actor.user_id)
    record_audit(actor, "care_adjustment", "care_posting", posting.id, scope=str(scope),
                 detail={"fen": amount, "reason": body["reason"]})
    return fund_balance(actor, district_id=fund.district_id)


def fund_balance(actor, *, district_id: int | None = None) -> dict:
    """Every account's balance, derived from the postings; `balanced` is the ledger's check."""
    scope = require_fund_scope(actor, district_id=district_id)
    fund = (ledger.fund_for_district(scope.id) if scope.kind == ScopeKind.DISTRICT
            else ledger.fund_for_street(scope.id))
    values = ledger.balances(fund.id)
    return {"fund_id": fund.id, "district_id": fund.district_id, "name": fund.name,
            "balanced": sum(values.values()) == 0,
            "accounts": [{"account": a, "name": ACCOUNT_NAMES[a], "balance_fen": values[a]}
                         for a in Account],
            "cash_fen": values[Account.FUND_CASH]}


def _members(actor, unit_id: int | None, community_id: int | None):
    """The members counted: of a unit, reporting to a community, or (neither named) of every
    unit linked to a community inside the caller's fund scope."""
    base = db.select(Volunteer.user_id).where(Volunteer.status == VolunteerStatus.ACTIVE,
                                              Volunteer.unit_id.is_not(None))
    if unit_id is not None and community_id is not None:
        raise Invalid("请只指定 unit_id 或 community_id 之一", errors={"unit_id": ["二选一"]})
    if unit_id is not None:
        require_covers(actor, Scope(ScopeKind.UNIT, unit_id), roles=FUND_ROLES)
        return base.where(Volunteer.unit_id == unit_id)
    if community_id is not None:
        require_covers(actor, Scope(ScopeKind.COMMUNITY, community_id), roles=FUND_ROLES)
        return base.where(Volunteer.community_id == community_id)
    scope = require_fund_scope(actor)
    units = db.select(Unit.id).where(Unit.community_id.in_(communities_in(scope)))
    return base.where(Volunteer.unit_id.in_(units))


def participation(actor, *, unit_id: int | None, community_id: int | None, year: int) -> dict:
    """Members of a unit, of a community, or of the caller's whole fund scope; how many gave
    that year; the rate."""
    members = _members(actor, unit_id, community_id)
    total = db.session.execute(db.select(func.count()).select_from(members.subquery())
                               ).scalar_one()
    gave = db.session.execute(
        db.select(func.count(distinct(Contribution.member_id))).where(
            Contribution.member_id.in_(members), Contribution.reversed_at.is_(None),
            Contribution.paid_on >= date(year, 1, 1), Contribution.paid_on <= date(year, 12, 31))
    ).scalar_one()
    return {"unit_id": unit_id, "community_id": community_id, "year": year, "members": total,
            "contributed": gave, "rate": round(gave / total, 4) if total else 0.0}


def unit_participation(actor, year: int) -> list[dict]:
    """Participation of every unit the caller (fund officer or admin) covers, for the charts."""
    units = db.session.execute(db.select(Unit).where(Unit.community_id.is_not(None))
                               .order_by(Unit.id)).scalars().all()
    rows = []
    for unit in units:
        if actor_covers(actor, Scope(ScopeKind.UNIT, unit.id), roles=FUND_ROLES):
            rows.append({"name": unit.name, **participation(actor, unit_id=unit.id,
                                                            community_id=None, year=year)})
    return rows
