"""The one posting function and the balances derived from postings.

Every change of money goes through `post`: it refuses a posting whose lines do not sum to zero
(`Unbalanced`, a programming error, never caused by input) and inserts the posting and its lines.
Postings and lines are never updated or deleted — the session refuses it (`_append_only`); a
correction is a new posting that negates an earlier one (`reverse`, at most once per posting).
"""
from collections.abc import Iterable
from datetime import date

from sqlalchemy import event, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import Conflict
from ..extensions import db
from ..identity.models import Street
from .models import Account, CareFund, Posting, PostingKind, PostingLine

Line = tuple[Account, int | None, int]  # (account, case id for payable, amount: debit > 0)


class Unbalanced(ValueError):
    """A posting whose lines do not sum to zero: refused before anything is written."""


class AppendOnly(RuntimeError):
    """An attempt to change or delete a posting or a line."""


@event.listens_for(Session, "before_flush")
def _append_only(session, _context, _instances):
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, (Posting, PostingLine)) and (obj in session.deleted
                                                        or session.is_modified(obj)):
            raise AppendOnly("postings are never edited; post a correction instead")


def check_balanced(lines: Iterable[Line]) -> list[Line]:
    kept = [(Account(a), c, int(x)) for a, c, x in lines if x]
    if not kept:
        raise Unbalanced("a posting needs at least one non-zero line")
    if sum(x for _, _, x in kept) != 0:
        raise Unbalanced(f"lines sum to {sum(x for _, _, x in kept)}, not 0")
    if any((a == Account.PAYABLE) != (c is not None) for a, c, _ in kept):
        raise Unbalanced("payable lines, and only they, name a case")
    return kept


def post(fund_id: int, kind: PostingKind, lines: Iterable[Line], *, on: date, memo: str = "",
         by: int | None = None, batch_id: int | None = None,
         reverses_id: int | None = None) -> Posting:
    """THE posting function: balanced lines in, one posting and its lines inserted."""
    kept = check_balanced(lines)
    posting = Posting(fund_id=fund_id, kind=kind, memo=memo[:200], created_by=by,
                      batch_id=batch_id, reverses_id=reverses_id, posted_on=on)
    db.session.add(posting)
    db.session.flush()
    db.session.execute(PostingLine.__table__.insert(), [  # core: no ORM bookkeeping per line
        {"posting_id": posting.id, "account": a, "case_id": c, "amount_fen": x}
        for a, c, x in kept])
    return posting


def reverse(posting: Posting, *, on: date, memo: str, by: int | None) -> Posting:
    """A correction: a new posting with every line negated; a posting is reversed once."""
    lines = db.session.execute(db.select(PostingLine.account, PostingLine.case_id,
                                         PostingLine.amount_fen)
                               .where(PostingLine.posting_id == posting.id)).all()
    try:
        with db.session.begin_nested():
            return post(posting.fund_id, PostingKind.CORRECTION,
                        [(a, c, -x) for a, c, x in lines], on=on, memo=memo, by=by,
                        reverses_id=posting.id)
    except IntegrityError:
        raise Conflict("这笔记账已经更正过") from None


def balances(fund_id: int) -> dict[Account, int]:
    """Each account's balance: the sum of its lines (payable summed over every case)."""
    rows = db.session.execute(
        db.select(PostingLine.account, func.coalesce(func.sum(PostingLine.amount_fen), 0))
        .join(Posting, Posting.id == PostingLine.posting_id)
        .where(Posting.fund_id == fund_id).group_by(PostingLine.account)).all()
    found = {Account(a): int(x) for a, x in rows}
    return {account: found.get(account, 0) for account in Account}


def cash(fund_id: int) -> int:
    return balances_of(fund_id, Account.FUND_CASH)


def balances_of(fund_id: int, account: Account, case_id: int | None = None) -> int:
    query = (db.select(func.coalesce(func.sum(PostingLine.amount_fen), 0))
             .join(Posting, Posting.id == PostingLine.posting_id)
             .where(Posting.fund_id == fund_id, PostingLine.account == account))
    if case_id is not None:
        query = query.where(PostingLine.case_id == case_id)
    return int(db.session.execute(query).scalar_one())


def fund_for_district(district_id: int) -> CareFund:
    """The district's fund, made on first use (a concurrent first use finds the other's row)."""
    query = db.select(CareFund).where(CareFund.district_id == district_id)
    fund = db.session.execute(query).scalar_one_or_none()
    if fund is not None:
        return fund
    try:
        with db.session.begin_nested():
            fund = CareFund(district_id=district_id, name="党员关爱基金")
            db.session.add(fund)
        return fund
    except IntegrityError:
        return db.session.execute(query).scalar_one()


def fund_for_street(street_id: int) -> CareFund:
    district_id = db.session.execute(db.select(Street.district_id)
                                     .where(Street.id == street_id)).scalar_one()
    return fund_for_district(district_id)


def lock_fund(fund_id: int) -> CareFund:
    """Serialise payments out of one fund (PostgreSQL row lock; SQLite writes are serial)."""
    return db.session.execute(db.select(CareFund).where(CareFund.id == fund_id)
                              .with_for_update()).scalar_one()
