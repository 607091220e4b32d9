"""The year's report (contributions, disbursements by aid type, households, balance), the
internal 公示 list with masked names, the 帮扶台账, and their workbooks (server/excel.py)."""
from datetime import date, datetime, time

from sqlalchemy import distinct, func, select

from ..audit.services import record_audit
from ..errors import Forbidden
from ..excel import Column, Kind, Sheet, workbook
from ..extensions import db
from ..identity.models import Community, Role, Street, Unit, User
from ..policy.scope import Scope, ScopeKind, communities_in, covered_ids, grant_scopes
from ..privacy import mask_name
from ..scheduling.settings import system_only
from ..timeutil import LOCAL_TZ, utcnow
from . import ledger
from .models import (
    AID_NAMES,
    STATUS_NAMES,
    Account,
    AidType,
    CareFund,
    Case,
    CaseStatus,
    Contribution,
    Payment,
    PaymentStatus,
    Posting,
    PostingKind,
    PostingLine,
    YearReport,
)
from .policies import require_fund_scope


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    start = datetime.combine(date(year, 1, 1), time(), LOCAL_TZ)
    return start, datetime.combine(date(year + 1, 1, 1), time(), LOCAL_TZ)


def _contributions(fund_id: int, year: int) -> dict:
    amount, count, people = db.session.execute(
        select(func.coalesce(func.sum(Contribution.amount_fen), 0), func.count(),
               func.count(distinct(Contribution.member_id)))
        .where(Contribution.fund_id == fund_id, Contribution.reversed_at.is_(None),
               Contribution.paid_on >= date(year, 1, 1),
               Contribution.paid_on <= date(year, 12, 31))).one()
    return {"contributions_fen": int(amount), "contributions": count, "contributors": people}


def _disbursements(fund_id: int, year: int) -> list[dict]:
    start, end = _year_bounds(year)
    rows = db.session.execute(
        select(Case.aid_type, func.count(distinct(Payment.case_id)), func.count(),
               func.sum(Payment.amount_fen))
        .join(Case, Case.id == Payment.case_id)
        .join(ledger.Posting, ledger.Posting.batch_id == Payment.batch_id)
        .where(Payment.status == PaymentStatus.PAID, Payment.paid_at >= start,
               Payment.paid_at < end, ledger.Posting.fund_id == fund_id,
               ledger.Posting.kind == PostingKind.PAYMENT)
        .group_by(Case.aid_type).order_by(Case.aid_type)).all()
    return [{"aid_type": aid, "name": AID_NAMES[AidType(aid)], "households": households,
             "payments": count, "amount_fen": int(amount)}
            for aid, households, count, amount in rows]


def _cash_at(fund_id: int, day: date) -> int:
    return int(db.session.execute(
        select(func.coalesce(func.sum(PostingLine.amount_fen), 0))
        .join(Posting, Posting.id == PostingLine.posting_id)
        .where(Posting.fund_id == fund_id, PostingLine.account == Account.FUND_CASH,
               Posting.posted_on <= day)).scalar_one())


def publication_list(fund_id: int, year: int, scope: Scope | None = None) -> list[dict]:
    """The 公示 list: names masked, no hardship, no income (it may leave the organisation);
    the fund's whole district, or only the communities of `scope` (a street officer's)."""
    start, end = _year_bounds(year)
    district = db.session.get(CareFund, fund_id).district_id
    communities = (communities_in(scope) if scope is not None
                   else _district_communities(district))
    rows = db.session.execute(
        select(Case.id, User.name, Unit.name, Case.category, Case.status, Case.aid_type,
               Case.window_ends_at).join(User, User.id == Case.applicant_id)
        .join(Unit, Unit.id == Case.unit_id)
        .where(Case.window_starts_at >= start, Case.window_starts_at < end,
               Case.community_id.in_(_district_communities(district)),
               Case.community_id.in_(communities))
        .order_by(Case.window_starts_at, Case.id))
    return [{"case_id": case_id, "name": mask_name(name), "unit": unit, "category": category,
             "status": status, "aid_type": aid_type, "window_ends_at": ends}
            for case_id, name, unit, category, status, aid_type, ends in rows]


def _district_communities(district_id: int):
    return (select(Community.id).join(Street, Street.id == Community.street_id)
            .where(Street.district_id == district_id))


def report_for_fund(fund_id: int, year: int) -> dict:
    disbursed = _disbursements(fund_id, year)
    start, end = _year_bounds(year)
    households = db.session.execute(
        select(func.count(distinct(Payment.case_id))).join(
            ledger.Posting, ledger.Posting.batch_id == Payment.batch_id)
        .where(Payment.status == PaymentStatus.PAID, Payment.paid_at >= start,
               Payment.paid_at < end, ledger.Posting.fund_id == fund_id,
               ledger.Posting.kind == PostingKind.PAYMENT)).scalar_one()
    return {"fund_id": fund_id, "year": year, **_contributions(fund_id, year),
            "disbursements": disbursed,
            "disbursed_fen": sum(d["amount_fen"] for d in disbursed),
            "households": households,
            "balance_fen": ledger.cash(fund_id),
            "year_end_balance_fen": _cash_at(fund_id, date(year, 12, 31))}


def _fund_of(actor):
    scope = require_fund_scope(actor)
    return (ledger.fund_for_district(scope.id) if scope.kind == ScopeKind.DISTRICT
            else ledger.fund_for_street(scope.id)), scope


def year_report(actor, year: int) -> dict:
    """The year's report for the caller's fund (fund officer or admin), with the 公示 list."""
    fund, scope = _fund_of(actor)
    record_audit(actor, "care_report_read", "care_fund", fund.id, scope=str(scope),
                 detail={"year": year})
    return {**report_for_fund(fund.id, year),
            "publications": publication_list(fund.id, year, scope)}


def report_workbook(actor, year: int) -> bytes:
    return workbook_for(year_report(actor, year), year)


def workbook_for(data: dict, year: int) -> bytes:
    """The year's report and its 公示 list as a workbook."""
    summary = Sheet("年度报告", f"{year} 年度党员关爱基金收支情况", [
        Column("项目", width=24), Column("户数", Kind.INT), Column("笔数", Kind.INT),
        Column("金额（元）", Kind.FEN)], totals=False)
    summary.rows = [["捐款收入", None, data["contributions"], data["contributions_fen"]]]
    summary.rows += [[f"支出：{d['name']}", d["households"], d["payments"], d["amount_fen"]]
                     for d in data["disbursements"]]
    summary.rows += [["支出合计", data["households"], None, data["disbursed_fen"]],
                     ["年末余额", None, None, data["year_end_balance_fen"]]]
    notice = Sheet("公示名单", f"{year} 年度帮扶对象公示名单（党内，姓名已隐去）", [
        Column("编号", Kind.INT), Column("姓名", width=10), Column("单位", width=24),
        Column("类别"), Column("帮扶方式", width=14), Column("状态")],
        note="按规定仅在党组织内部公示；本表不含困难情况和收入。")
    notice.rows = [[p["case_id"], p["name"], p["unit"], p["category"],
                    AID_NAMES.get(p["aid_type"], "") if p["aid_type"] else "",
                    STATUS_NAMES[CaseStatus(p["status"])]] for p in data["publications"]]
    return workbook([summary, notice])


def ledger_rows(actor) -> list[list]:
    """帮扶台账: every case in the caller's scope (leading group, fund officer, admin); the export
    is audited."""
    roles = (Role.LEADING_GROUP, Role.FUND_OFFICER, Role.ADMIN)
    if not grant_scopes(actor, roles) and not actor.is_system:
        raise Forbidden("只有帮扶领导小组、基金管理员或管理员可以导出帮扶台账")
    communities = covered_ids(actor, roles)[ScopeKind.COMMUNITY]
    paid = (select(Payment.case_id, func.sum(Payment.amount_fen).label("paid"))
            .where(Payment.status == PaymentStatus.PAID).group_by(Payment.case_id).subquery())
    rows = db.session.execute(
        select(Case, User.name, Unit.name, func.coalesce(paid.c.paid, 0))
        .join(User, User.id == Case.applicant_id).join(Unit, Unit.id == Case.unit_id)
        .outerjoin(paid, paid.c.case_id == Case.id)
        .where(Case.community_id.in_(communities)).order_by(Case.id)).all()
    record_audit(actor, "care_ledger_export", "care_case", "*", detail={"rows": len(rows)})
    return [[c.id, name, unit, c.category, STATUS_NAMES[CaseStatus(c.status)],
             AID_NAMES[AidType(c.aid_type)] if c.aid_type else "", int(amount),
             c.next_revisit_due] for c, name, unit, amount in rows]


def ledger_workbook(actor) -> bytes:
    stamp = utcnow().astimezone(LOCAL_TZ).strftime("%Y-%m-%d")
    return workbook([Sheet("帮扶台账", f"党内帮扶台账（{stamp}）", [
        Column("编号", Kind.INT), Column("姓名", width=10), Column("单位", width=24),
        Column("类别"), Column("状态"), Column("帮扶方式", width=14),
        Column("已发放（元）", Kind.FEN, total=True), Column("下次回访", Kind.DATE)],
        ledger_rows(actor), note="内部资料，注意保密。")])


def draft_year_reports(actor, *, now: datetime | None = None) -> dict:
    """The March job: draft last year's report of every fund (a second run redrafts)."""
    system_only(actor)
    now = now or utcnow()
    year = now.astimezone(LOCAL_TZ).year - 1
    drafted = 0
    for fund in db.session.execute(select(CareFund)).scalars():
        body = {**report_for_fund(fund.id, year), "publications": publication_list(fund.id, year)}
        body = _jsonable(body)
        row = db.session.execute(select(YearReport).where(
            YearReport.fund_id == fund.id, YearReport.year == year)).scalar_one_or_none()
        if row is None:
            db.session.add(YearReport(fund_id=fund.id, year=year, body=body, drafted_at=now))
        else:
            row.body, row.drafted_at = body, now
        drafted += 1
    db.session.flush()
    return {"year": year, "drafted": drafted}


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
