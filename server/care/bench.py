"""`flask --app server care bench`: a city's year — HOUSEHOLDS cases (all but ~2.6 % active,
one payment each due before 1 July), CONTRIBUTIONS contributions — bulk-inserted in a child
process, then ONE batch gathered, approved and paid through the real services, and the year's
report (JSON and workbook) built. Prints the time and this process's peak memory of each.

The setup runs in a spawned child so the parent's peak RSS is the batch's and the report's.
"""
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from multiprocessing import get_context

from sqlalchemy import insert

from ..database import unit_of_work
from ..extensions import db
from ..identity.actor import SYSTEM
from ..identity.models import Community, District, Street, Unit, User
from ..timeutil import LOCAL_TZ, utcnow
from . import batches, ledger, reports
from . import models as m

CHUNK = 5_000
OTHER = [m.CaseStatus.APPLIED, m.CaseStatus.VERIFIED, m.CaseStatus.PUBLICISED, m.CaseStatus.REJECTED,
         m.CaseStatus.EXITED]


def _chunks(rows):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert(model, rows) -> None:
    for chunk in _chunks(rows):
        db.session.execute(insert(model), chunk)


def _org(tag: str):
    district = District(name=f"基准区{tag}", city="基准市")
    db.session.add(district)
    db.session.flush()
    street = Street(name="基准街道", district_id=district.id)
    db.session.add(street)
    db.session.flush()
    community = Community(name="基准社区", street_id=street.id, lat=30.29, lng=120.16)
    db.session.add(community)
    db.session.flush()
    unit = Unit(name=f"基准单位{tag}", community_id=community.id)
    db.session.add(unit)
    db.session.flush()
    return district, community, unit


def _users(tag: str, n: int, community_id: int) -> list[int]:
    _insert(User, ({"openid": f"bench-{tag}-{i}", "name": f"党员{i:05d}",
                    "community_id": community_id} for i in range(n)))
    return list(db.session.execute(db.select(User.id).where(
        User.openid.like(f"bench-{tag}-%")).order_by(User.id)).scalars())


def _contributions(fund_id, unit_id, users, n, year) -> int:
    amount = 20_000  # 200 元 each
    posting = ledger.post(fund_id, m.PostingKind.CONTRIBUTION,
                          [(m.Account.FUND_CASH, None, amount * n),
                           (m.Account.CONTRIBUTIONS, None, -amount * n)],
                          on=date(year, 1, 31), memo="基准：全年捐款汇总")
    _insert(m.Contribution, ({"fund_id": fund_id, "member_id": users[i % len(users)],
                            "unit_id": unit_id, "amount_fen": amount,
                            "paid_on": date(year, 1, 1) + timedelta(days=i % 180),
                            "method": "payroll", "posting_id": posting.id} for i in range(n)))
    return amount * n


def _cases(users, community_id, unit_id, paid, year) -> None:
    window = datetime(year, 3, 1, tzinfo=LOCAL_TZ)
    _insert(m.Case, ({"applicant_id": uid, "unit_id": unit_id, "community_id": community_id,
                    "status": m.CaseStatus.ACTIVE if i < paid else OTHER[i % len(OTHER)],
                    "category": "retired", "hardship": "基准", "household_size": 3,
                    "income_per_head_fen": 100_000, "eligible": True, "aid_type": "one_off",
                    "plan": {"amount_fen": 200_000}, "window_starts_at": window,
                    "window_ends_at": window + timedelta(days=5)}
                   for i, uid in enumerate(users)))
    case_ids = db.session.execute(db.select(m.Case.id).where(
        m.Case.community_id == community_id, m.Case.status == m.CaseStatus.ACTIVE)).scalars()
    _insert(m.Payment, ({"case_id": cid, "seq": 1, "due_on": date(year, 6, 1),
                       "amount_fen": 200_000, "status": m.PaymentStatus.DUE} for cid in case_ids))


def setup(households: int, contributions: int, paid: int, year: int) -> tuple[int, float]:
    """The city's year, bulk-inserted (in the child process); returns (district id, seconds)."""
    from .. import create_app  # start-up: the child process builds its own app
    started = time.perf_counter()
    with create_app().app_context(), unit_of_work():
        tag = str(int(time.time() * 1000))
        district, community, unit = _org(tag)
        fund = ledger.fund_for_district(district.id)
        users = _users(tag, households, community.id)
        _contributions(fund.id, unit.id, users, contributions, year)
        _cases(users, community.id, unit.id, paid, year)
        district_id = district.id
    return district_id, time.perf_counter() - started


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(label, fn, lines):
    started = time.perf_counter()
    with unit_of_work():
        result = fn()
    lines.append(f"  {label}: {time.perf_counter() - started:.2f} s, peak RSS {_rss_mb():.0f} MB")
    return result


def run_bench(households: int, contributions: int, paid: int) -> str:
    year = utcnow().astimezone(LOCAL_TZ).year
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        district_id, setup_s = pool.submit(setup, households, contributions, paid, year).result()
    lines = [f"setup (bulk insert, child process): {households} cases, {contributions} "
             f"contributions, {paid} payments due in {setup_s:.1f} s",
             f"  peak RSS before the batch: {_rss_mb():.0f} MB"]
    pay_by = {"name": "基准批次", "pay_by": date(year, 6, 30), "district_id": district_id}
    started = time.perf_counter()
    batch = _timed("gather (POST /fund/batches)", lambda: batches.create_batch(SYSTEM, pay_by).id,
                   lines)
    _timed("approve", lambda: batches.approve_batch(SYSTEM, batch), lines)
    paid_batch = _timed("pay", lambda: _paid(batch), lines)
    lines.append(f"batch: {paid_batch} in {time.perf_counter() - started:.2f} s, "
                 f"peak RSS {_rss_mb():.0f} MB")
    fund_id = _timed("fund", lambda: ledger.fund_for_district(district_id).id, [])
    report = _timed("report (JSON with the 公示 list)", lambda: _report(fund_id, year), lines)
    _timed("report workbook (.xlsx)", lambda: len(reports.workbook_for(report, year)), lines)
    lines.append(f"report: {report['households']} households, "
                 f"{report['disbursed_fen'] / 100:.2f} 元 paid, balance "
                 f"{report['balance_fen'] / 100:.2f} 元, {len(report['publications'])} in the 公示 list")
    return "\n".join(lines)


def _paid(batch_id: int) -> str:
    batch = batches.pay_batch(SYSTEM, batch_id)
    return f"{batch.status}, {batch.payments} payments, {batch.total_fen / 100:.2f} 元"


def _report(fund_id: int, year: int) -> dict:
    return {**reports.report_for_fund(fund_id, year),
            "publications": reports.publication_list(fund_id, year)}


__all__ = ["run_bench"]
