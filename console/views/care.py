"""关爱基金与帮扶: the case queue per role (unit secretary, leading group, contact person), the
case file with its actions, the batch screen, and the fund's balance and participation charts.
Every action calls the same service as the API (server/care)."""
from datetime import date

from flask import flash, redirect, render_template, request, url_for

from server.care import batches, cases, decisions, fund, queries
from server.care.models import AID_NAMES, STATUS_NAMES, AidType, Case, CaseStatus
from server.care.policies import leading_group_over, unit_secretary_of
from server.errors import Invalid
from server.timeutil import LOCAL_TZ, utcnow

from .. import bp
from ..auth import actor
from ..forms import reason
from ..queues import count, first_rows

PAGE_ROWS = 100
PLAN_NAMES = {"amount_fen": "一次性", "monthly_fen": "每月", "months": "月数",
              "loan_fen": "贷款", "annual_rate_bp": "年利率（基点）"}
TABS = {"mine": "全部", "unit": "本单位待核实/公示", "decide": "待领导小组决定",
        "contact": "我联系的"}


def _tab_query(staff, tab: str):
    query = queries.case_queue_query(staff)
    if tab == "unit":
        return query.where(Case.status.in_((CaseStatus.APPLIED, CaseStatus.VERIFIED)))
    if tab == "decide":
        return query.where(Case.status == CaseStatus.PUBLICISED)
    if tab == "contact":
        return query.where(Case.contact_person_id == staff.user_id,
                           Case.status == CaseStatus.ACTIVE)
    return query


@bp.route("/care/cases")
def care_cases():
    staff = actor()
    tab = request.args.get("tab", "mine")
    tab = tab if tab in TABS else "mine"
    query = _tab_query(staff, tab)
    rows = [queries.case_view(staff, c, full=False) for c in first_rows(query, PAGE_ROWS)]
    return render_template("care_cases.html", rows=rows, total=count(query), tab=tab, tabs=TABS,
                           status_names=STATUS_NAMES, aid_names=AID_NAMES,
                           today=utcnow().astimezone(LOCAL_TZ).date())


@bp.route("/care/cases/<int:case_id>")
def care_case(case_id):
    staff = actor()
    view = queries.case_detail(staff, case_id)  # audited read
    case = cases.load_case(staff, case_id)
    return render_template("care_case.html", case=view, status_names=STATUS_NAMES,
                           aid_names=AID_NAMES, aid_types=list(AidType),
                           is_unit=unit_secretary_of(staff, case.unit_id),
                           is_group=leading_group_over(staff, case),
                           is_contact=staff.user_id == case.contact_person_id,
                           plan_names=PLAN_NAMES)


def _int(name: str, *, yuan: bool = False) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or len(raw) > 9:
        raise Invalid("请填写正整数", errors={name: ["须为正整数"]})
    return int(raw) * (100 if yuan else 1)


def _approve_body() -> dict:
    aid = request.form.get("aid_type", "")
    if aid not in [a.value for a in AidType]:
        raise Invalid("请选择帮扶方式")
    body = {"aid_type": aid, "contact_person_id": _int("contact_person_id"),
            "override_reason": (request.form.get("override_reason") or "").strip()[:200]}
    if body["contact_person_id"] is None:
        raise Invalid("请填写跟踪联系人编号")
    for name, yuan in (("amount_fen", True), ("monthly_fen", True), ("loan_fen", True),
                       ("months", False), ("annual_rate_bp", False)):
        value = _int(name, yuan=yuan)
        if value is not None:
            body[name] = value
    return body


def _date(name: str):
    try:
        return date.fromisoformat(request.form.get(name, ""))
    except ValueError:
        raise Invalid("日期格式有误", errors={name: ["YYYY-MM-DD"]}) from None


def _text(name: str, label: str, limit: int = 1000) -> str:
    text = (request.form.get(name) or "").strip()
    if not text or len(text) > limit:
        raise Invalid(f"请填写{label}（不超过 {limit} 字）")
    return text


ACTIONS = {
    "verify": lambda s, i: cases.verify_case(s, i, {"findings": _text("findings", "核实情况"),
                                                    "recommendation": _text("recommendation",
                                                                            "意见")}),
    "publish": lambda s, i: cases.publish_case(s, i, _int("days") or 0),
    "approve": lambda s, i: decisions.approve_case(s, i, _approve_body()),
    "reject": lambda s, i: decisions.reject_case(s, i, reason(required=True)),
    "exit": lambda s, i: decisions.exit_case(s, i, reason(required=True)),
    "revisit": lambda s, i: decisions.add_revisit(s, i, {
        "method": request.form.get("method") if request.form.get("method") in ("phone", "visit")
        else "phone", "note": _text("note", "回访情况"), "next_due": _date("next_due")}),
}
DONE = {"verify": "已核实", "publish": "已公示", "approve": "已批准", "reject": "已驳回",
        "exit": "已退出帮扶", "revisit": "已登记回访"}


@bp.route("/care/cases/<int:case_id>/<action>", methods=["POST"])
def care_case_action(case_id, action):
    if action not in ACTIONS:
        raise Invalid("未知操作")
    ACTIONS[action](actor(), case_id)
    flash(f"案件 #{case_id} {DONE[action]}")
    return redirect(url_for("console.care_case", case_id=case_id), code=303)


@bp.route("/care/batches")
def care_batches():
    staff = actor()
    return render_template("care_batches.html", rows=batches.list_batches(staff),
                           today=utcnow().astimezone(LOCAL_TZ).date())


@bp.route("/care/batches/new", methods=["POST"])
def care_batch_new():
    batch = batches.create_batch(actor(), {"name": _text("name", "批次名称", 60),
                                           "pay_by": _date("pay_by")})
    flash(f"已编制批次「{batch.name}」：{batch.payments} 笔")
    return redirect(url_for("console.care_batches"), code=303)


@bp.route("/care/batches/<int:batch_id>/<action>", methods=["POST"])
def care_batch_action(batch_id, action):
    move = {"approve": batches.approve_batch, "pay": batches.pay_batch}.get(action)
    if move is None:
        raise Invalid("未知操作")
    batch = move(actor(), batch_id)
    flash(f"批次「{batch.name}」{'已批准' if action == 'approve' else '已发放'}")
    return redirect(url_for("console.care_batches"), code=303)


@bp.route("/care/fund")
def care_fund():
    staff = actor()
    year = utcnow().astimezone(LOCAL_TZ).year
    balance = fund.fund_balance(staff)
    units = fund.unit_participation(staff, year)
    top = max([a["balance_fen"] for a in balance["accounts"]] + [1], key=abs)
    return render_template("care_fund.html", balance=balance, units=units, year=year,
                           top=abs(top))
