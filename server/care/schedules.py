"""Aid types and their schedules: what is due to a case, when (pure functions, no database).

    one_off       amount_fen once, on the start day
    temporary     amount_fen once (a hardship of short duration; may be granted again later)
    long_term     monthly_fen for `months` months, the first on the start day
    composite     amount_fen once plus monthly_fen for `months` months
    loan_subsidy  the interest on loan_fen at annual_rate_bp (basis points) for `months`
                  months, paid monthly: round(loan_fen × rate_bp / 10000 / 12)
"""
import calendar
from datetime import date

from ..errors import Invalid
from .models import AidType

MAX_MONTHS = 120


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _need(plan: dict, *names: str) -> None:
    missing = {n: ["必填"] for n in names if not plan.get(n)}
    if missing:
        raise Invalid("帮扶方案不完整", errors=missing)


def normalise_plan(aid_type: str, plan: dict) -> dict:
    """The fields that matter for this aid type, checked (422 when one is missing)."""
    aid = AidType(aid_type)
    fields = {AidType.ONE_OFF: ("amount_fen",), AidType.TEMPORARY: ("amount_fen",),
              AidType.LONG_TERM: ("monthly_fen", "months"),
              AidType.COMPOSITE: ("amount_fen", "monthly_fen", "months"),
              AidType.LOAN_SUBSIDY: ("loan_fen", "annual_rate_bp", "months")}[aid]
    _need(plan, *fields)
    kept = {name: int(plan[name]) for name in fields}
    if kept.get("months", 1) > MAX_MONTHS:
        raise Invalid("帮扶期限过长", errors={"months": [f"不超过 {MAX_MONTHS} 个月"]})
    if aid == AidType.LOAN_SUBSIDY and monthly_subsidy(kept) < 1:
        raise Invalid("贴息金额不足 1 分", errors={"loan_fen": ["贷款或利率过小"]})
    return kept


def monthly_subsidy(plan: dict) -> int:
    return round(plan["loan_fen"] * plan["annual_rate_bp"] / 10000 / 12)


def schedule(aid_type: str, plan: dict, start: date) -> list[tuple[date, int]]:
    """[(due_on, amount_fen)] in order; every amount is positive."""
    aid = AidType(aid_type)
    due: list[tuple[date, int]] = []
    if aid in (AidType.ONE_OFF, AidType.TEMPORARY, AidType.COMPOSITE):
        due.append((start, plan["amount_fen"]))
    if aid in (AidType.LONG_TERM, AidType.COMPOSITE):
        due += [(add_months(start, k), plan["monthly_fen"]) for k in range(plan["months"])]
    if aid == AidType.LOAN_SUBSIDY:
        due += [(add_months(start, k), monthly_subsidy(plan)) for k in range(plan["months"])]
    return due
