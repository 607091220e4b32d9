"""Disbursement batches: draft (the due payments of active cases gathered by pay_by) →
approved (the leading group; owed to each case) → paid (the fund officer; cash out, once).

Paying is a conditional UPDATE … WHERE status = 'approved' under the fund's row lock: a second
payer, or the same one twice, changes nothing and gets 409; a batch the fund's cash cannot cover
is refused before anything is written.
"""
from datetime import datetime

from sqlalchemy import func, select, update

from ..audit.services import record_audit
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Role
from ..policy.parties import require_not_party
from ..policy.scope import Scope, ScopeKind, actor_covers, communities_in
from ..timeutil import local_date, utcnow
from . import ledger
from .models import (
    BATCH,
    Account,
    Batch,
    BatchStatus,
    Case,
    CaseStatus,
    Payment,
    PaymentStatus,
    PostingKind,
)
from .policies import require_fund_scope


def _batch_scope(batch: Batch) -> Scope:
    if batch.street_id is not None:
        return Scope(ScopeKind.STREET, batch.street_id)
    return Scope(ScopeKind.DISTRICT, db.session.get(ledger.CareFund, batch.fund_id).district_id)


def load_batch(actor, batch_id: int, *, lock: bool = False) -> Batch:
    query = db.select(Batch).where(Batch.id == batch_id)
    batch = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    if batch is None or not actor_covers(actor, _batch_scope(batch),
                                         roles=(Role.FUND_OFFICER, Role.LEADING_GROUP,
                                                Role.ADMIN)):
        raise NotFound("发放批次不存在")
    return batch


def list_batches(actor, limit: int = 50) -> list[Batch]:
    """The batches of the funds whose scope the caller (fund officer, leading group, admin)
    covers, newest first."""
    rows = db.session.execute(db.select(Batch).order_by(Batch.id.desc()).limit(limit * 4)
                              ).scalars().all()
    roles = (Role.FUND_OFFICER, Role.LEADING_GROUP, Role.ADMIN)
    return [b for b in rows if actor_covers(actor, _batch_scope(b), roles=roles)][:limit]


def create_batch(actor, body: dict, *, now: datetime | None = None) -> Batch:
    """Gather every due, unbatched payment of the scope's active cases due by `pay_by`."""
    now = now or utcnow()
    scope = require_fund_scope(actor, district_id=body.get("district_id"),
                               street_id=body.get("street_id"))
    if not actor_covers(actor, scope, roles=(Role.FUND_OFFICER,)):
        raise Forbidden("只有关爱基金管理员可以编制发放批次")
    fund = (ledger.fund_for_district(scope.id) if scope.kind == ScopeKind.DISTRICT
            else ledger.fund_for_street(scope.id))
    batch = Batch(fund_id=fund.id, name=body["name"], pay_by=body["pay_by"],
                  street_id=scope.id if scope.kind == ScopeKind.STREET else None,
                  status=BatchStatus.DRAFT, created_by=actor.user_id, created_at=now)
    db.session.add(batch)
    db.session.flush()
    cases = select(Case.id).where(Case.status == CaseStatus.ACTIVE,
                                  Case.community_id.in_(communities_in(scope)))
    db.session.execute(update(Payment).where(
        Payment.status == PaymentStatus.DUE, Payment.batch_id.is_(None),
        Payment.due_on <= body["pay_by"], Payment.case_id.in_(cases)
    ).values(batch_id=batch.id).execution_options(synchronize_session=False))
    _count(batch)
    record_audit(actor, "care_batch_created", "care_batch", batch.id, scope=str(scope),
                 detail={"payments": batch.payments, "total_fen": batch.total_fen})
    return batch


def _count(batch: Batch) -> None:
    count, total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Payment.amount_fen), 0))
        .where(Payment.batch_id == batch.id, Payment.status == PaymentStatus.DUE)).one()
    batch.payments, batch.total_fen = int(count), int(total)


def _lines(batch_id: int, account: Account, sign: int) -> list:
    rows = db.session.execute(select(Payment.case_id, func.sum(Payment.amount_fen))
                              .where(Payment.batch_id == batch_id,
                                     Payment.status == PaymentStatus.DUE)
                              .group_by(Payment.case_id).order_by(Payment.case_id)).all()
    return [(Account.PAYABLE, case_id, sign * int(amount)) for case_id, amount in rows]


def _applicants(batch_id: int) -> list[int]:
    """The people the batch pays: the applicants of the cases with a due payment in it."""
    return list(db.session.execute(
        select(Case.applicant_id).join(Payment, Payment.case_id == Case.id)
        .where(Payment.batch_id == batch_id, Payment.status == PaymentStatus.DUE)
        .distinct()).scalars())


def approve_batch(actor, batch_id: int, *, now: datetime | None = None) -> Batch:
    """The leading group approves a draft: each case's payable is credited, disbursements
    debited (by whoever did not make the batch)."""
    now = now or utcnow()
    batch = load_batch(actor, batch_id, lock=True)
    if not actor_covers(actor, _batch_scope(batch), roles=(Role.LEADING_GROUP,)):
        raise Forbidden("只有帮扶领导小组可以批准发放批次")
    require_not_party(actor, batch.created_by, sides="maker/approver")
    require_not_party(actor, *_applicants(batch.id), sides="payee/approver")
    BATCH.move(batch, BatchStatus.APPROVED, error_message="批次不是草稿，不能批准")
    _count(batch)
    if batch.payments == 0:
        raise Conflict("批次中没有待发放的款项")
    lines = _lines(batch.id, Account.PAYABLE, -1)
    ledger.post(batch.fund_id, PostingKind.ACCRUAL,
                [(Account.DISBURSEMENTS, None, batch.total_fen), *lines], on=local_date(now),
                memo=f"批准发放批次 {batch.name}", by=actor.user_id, batch_id=batch.id)
    batch.approved_by, batch.approved_at = actor.user_id, now
    record_audit(actor, "care_batch_approved", "care_batch", batch.id,
                 scope=str(_batch_scope(batch)), detail={"total_fen": batch.total_fen})
    return batch


def pay_batch(actor, batch_id: int, *, now: datetime | None = None) -> Batch:
    """Pay an approved batch once: 409 if already paid (or being paid), or if the fund's cash
    cannot cover it — checked before anything is written."""
    now = now or utcnow()
    batch = load_batch(actor, batch_id)
    if not actor_covers(actor, _batch_scope(batch), roles=(Role.FUND_OFFICER,)):
        raise Forbidden("只有关爱基金管理员可以发放")
    require_not_party(actor, batch.approved_by, sides="approver/payer")
    require_not_party(actor, *_applicants(batch.id), sides="payee/payer")
    ledger.lock_fund(batch.fund_id)
    db.session.refresh(batch)
    BATCH.check(batch.status, BatchStatus.PAID, error_message="批次未批准或已发放")
    if ledger.cash(batch.fund_id) < batch.total_fen:
        raise Conflict("基金余额不足，不能发放这一批次")
    won = db.session.execute(update(Batch).where(
        Batch.id == batch.id, Batch.status == BatchStatus.APPROVED
    ).values(status=BatchStatus.PAID, paid_by=actor.user_id, paid_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if won != 1:
        raise Conflict("批次已发放")
    lines = _lines(batch.id, Account.PAYABLE, +1)
    db.session.execute(update(Payment).where(
        Payment.batch_id == batch.id, Payment.status == PaymentStatus.DUE
    ).values(status=PaymentStatus.PAID, paid_at=now).execution_options(
        synchronize_session=False))
    ledger.post(batch.fund_id, PostingKind.PAYMENT,
                [(Account.FUND_CASH, None, -batch.total_fen), *lines], on=local_date(now),
                memo=f"发放批次 {batch.name}", by=actor.user_id, batch_id=batch.id)
    db.session.refresh(batch)
    record_audit(actor, "care_batch_paid", "care_batch", batch.id,
                 scope=str(_batch_scope(batch)), detail={"total_fen": batch.total_fen})
    return batch


__all__ = ["create_batch", "approve_batch", "pay_batch", "Invalid"]
