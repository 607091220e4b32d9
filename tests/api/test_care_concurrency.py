"""Races on paying (issue 15), on SQLite and PostgreSQL: the same batch paid by two fund
officers at once, or by one twice, pays once; two batches that the fund can cover only one of,
paid at once, pay one and refuse the other (409) — cash never goes below zero."""
from datetime import timedelta

from server.care import batches, ledger
from server.care.models import Account, Batch, BatchStatus, Payment, PaymentStatus, Posting
from server.extensions import db
from server.identity.actor import SYSTEM
from server.timeutil import utcnow
from tests.care_world import build_care, make_case
from tests.concurrency import race

API = "/api/v1"


def _fresh():
    db.session.rollback()  # the racers committed in other connections


def _paid_postings(batch_id: int) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(Posting).where(
        Posting.batch_id == batch_id, Posting.kind == "payment")).scalar_one()


def test_two_payers_at_once_and_a_repeat_pay_once(app, client, world, login):
    care = build_care(world)
    batch_id, fund_id = care["approved"].id, care["approved"].fund_id
    cash_before = ledger.cash(fund_id)
    total = care["approved"].total_fen
    db.session.commit()
    heads = [login("fund_officer"), login("fund_officer2"), login("fund_officer"),
             login("fund_officer2")]
    results = race(app, [("POST", f"{API}/fund/batches/{batch_id}/pay", h, {}) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes == [200, 409, 409, 409], results
    _fresh()
    assert db.session.get(Batch, batch_id).status == BatchStatus.PAID
    assert _paid_postings(batch_id) == 1
    assert ledger.cash(fund_id) == cash_before - total
    again = client.post(f"{API}/fund/batches/{batch_id}/pay", headers=heads[0])
    assert again.status_code == 409
    assert ledger.cash(fund_id) == cash_before - total
    assert sum(ledger.balances(fund_id).values()) == 0


def test_two_batches_the_fund_covers_only_one_of(app, client, world, login):
    care = build_care(world)
    fund_id = care["approved"].fund_id
    # drain the fund to just over one batch: each of the two batches below needs 300,000 fen
    cash = ledger.cash(fund_id)
    ledger.post(fund_id, "adjustment", [(Account.FUND_CASH, None, -(cash - 400_000)),
                                        (Account.ADJUSTMENTS, None, cash - 400_000)],
                on=utcnow().date(), memo="测试：转出")
    db.session.commit()
    make_case(world, applicant="member_b", to="active")
    # the already approved batch (member2's case, 300,000) and a new one (member_b's case)
    second = batches.create_batch(SYSTEM, {"name": "第三批",
                                           "pay_by": utcnow().date() + timedelta(days=200),
                                           "district_id": world.district.id})
    batches.approve_batch(SYSTEM, second.id)
    ids = [care["approved"].id, second.id]
    db.session.commit()
    assert care["approved"].total_fen + second.total_fen > 400_000 >= second.total_fen
    results = race(app, [("POST", f"{API}/fund/batches/{i}/pay", login(who), {})
                         for i, who in zip(ids, ("fund_officer", "fund_officer2"))])
    codes = sorted(code for code, _ in results)
    assert codes == [200, 409], results
    refused = next(b for code, b in results if code == 409)
    assert refused["message"] == "基金余额不足，不能发放这一批次"
    _fresh()
    assert ledger.cash(fund_id) >= 0
    statuses = sorted(db.session.get(Batch, i).status for i in ids)
    assert statuses == [BatchStatus.APPROVED, BatchStatus.PAID]
    unpaid = next(i for i in ids if db.session.get(Batch, i).status == BatchStatus.APPROVED)
    assert db.session.execute(db.select(db.func.count()).select_from(Payment).where(
        Payment.batch_id == unpaid, Payment.status == PaymentStatus.PAID)).scalar_one() == 0
