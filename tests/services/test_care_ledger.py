"""The care fund's ledger (issue 15): every posting balanced, never edited, balances derived.

The property test drives any sequence of contributions, payments, corrections, adjustments and
the refusals among them through the real services and checks, after every step, that each
posting sums to zero, that every account's balance is the sum of its lines and equals a model
kept beside it, and that the fund's cash never goes below zero.
"""
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func

from server.care import batches, cases, decisions, fund, ledger
from server.care.models import Account, Posting, PostingKind, PostingLine
from server.errors import DomainError
from server.extensions import db
from server.identity.actor import SYSTEM
from server.identity.models import Community, District, Street, Unit, User
from server.timeutil import utcnow
from server.volunteers.models import Volunteer

NOW = utcnow()


def _org(tag: str):
    district = District(name=f"区{tag}")
    db.session.add(district)
    db.session.flush()
    street = Street(name="街道", district_id=district.id)
    db.session.add(street)
    db.session.flush()
    community = Community(name="社区", street_id=street.id, lat=30.0, lng=120.0)
    db.session.add(community)
    db.session.flush()
    unit = Unit(name=f"单位{tag}", community_id=community.id)
    contact = User(openid=f"contact-{tag}", name="联系人", community_id=community.id)
    db.session.add_all([unit, contact])
    db.session.flush()
    return district, community, unit, contact


def _member(tag: str, n: int, community, unit) -> User:
    user = User(openid=f"m-{tag}-{n}", name="党员", community_id=community.id)
    db.session.add(user)
    db.session.flush()
    db.session.add(Volunteer(user_id=user.id, status="active", community_id=community.id,
                             unit_id=unit.id, skills=[], capacity_per_day=1, lat=30.0,
                             lng=120.0, availability=[]))
    db.session.flush()
    return user


def _pay(world, amount: int) -> None:
    district, community, unit, contact, tag, counter = world
    member = _member(tag, next(counter), community, unit)
    case = cases.apply_case(SYSTEM, {"applicant_id": member.id, "category": "serving",
                                     "hardship": "困难", "household_size": 2,
                                     "income_per_head_fen": 1000}, now=NOW - timedelta(days=20))
    cases.verify_case(SYSTEM, case.id, {"findings": "属实", "recommendation": "帮扶"},
                      now=NOW - timedelta(days=19))
    cases.publish_case(SYSTEM, case.id, 5, now=NOW - timedelta(days=18))
    decisions.approve_case(SYSTEM, case.id, {"aid_type": "one_off", "amount_fen": amount,
                                             "contact_person_id": contact.id},
                           now=NOW - timedelta(days=10))
    batch = batches.create_batch(SYSTEM, {"name": "批次", "pay_by": NOW.date(),
                                          "district_id": district.id}, now=NOW)
    batches.approve_batch(SYSTEM, batch.id, now=NOW)
    batches.pay_batch(SYSTEM, batch.id, now=NOW)


def _check(fund_id: int, model_cash: int) -> None:
    sums = db.session.execute(
        db.select(PostingLine.posting_id, func.sum(PostingLine.amount_fen))
        .join(Posting, Posting.id == PostingLine.posting_id).where(Posting.fund_id == fund_id)
        .group_by(PostingLine.posting_id)).all()
    assert all(total == 0 for _, total in sums), sums
    balances = ledger.balances(fund_id)
    assert sum(balances.values()) == 0
    for account in Account:
        assert balances[account] == ledger.balances_of(fund_id, account)
    assert balances[Account.FUND_CASH] == model_cash >= 0


OPS = st.lists(st.one_of(
    st.tuples(st.just("contribute"), st.integers(1, 500_000)),
    st.tuples(st.just("pay"), st.integers(1, 800_000)),
    st.tuples(st.just("correct"), st.integers(0, 30)),
    st.tuples(st.just("adjust"), st.integers(-300_000, 300_000).filter(bool)),
), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS)
def test_any_sequence_keeps_the_ledger_balanced(db, ops):
    import itertools
    tag = str(next(_TAGS))
    district, community, unit, contact = _org(tag)
    world = (district, community, unit, contact, tag, itertools.count(1))
    contributor = _member(tag, 0, community, unit)
    fund_id = ledger.fund_for_district(district.id).id
    cash, contributions = 0, []
    for op, value in ops:
        try:
            with db.session.begin_nested():
                if op == "contribute":
                    row = fund.record_contribution(SYSTEM, {
                        "member_id": contributor.id, "unit_id": unit.id, "amount_fen": value,
                        "paid_on": NOW.date(), "method": "cash"}, now=NOW)
                    contributions.append(row)
                    delta = value
                elif op == "pay":
                    _pay(world, value)
                    delta = -value
                elif op == "correct":
                    if not contributions:
                        continue
                    row = contributions[value % len(contributions)]
                    fund.reverse_contribution(SYSTEM, row.id, "更正", now=NOW)
                    delta = -row.amount_fen
                else:
                    fund.record_adjustment(SYSTEM, {"district_id": district.id,
                                                    "amount_fen": value, "reason": "利息"},
                                           now=NOW)
                    delta = value
        except DomainError:
            delta = 0  # a refusal (409): nothing was written
        cash += delta
        _check(fund_id, cash)


_TAGS = iter(range(10**6))


def test_an_unbalanced_posting_is_refused_before_anything_is_written(db):
    district, _, _, _ = _org("u")
    fund_id = ledger.fund_for_district(district.id).id
    with pytest.raises(ledger.Unbalanced):
        ledger.post(fund_id, PostingKind.ADJUSTMENT, [(Account.FUND_CASH, None, 100),
                                                      (Account.ADJUSTMENTS, None, -99)],
                    on=NOW.date())
    with pytest.raises(ledger.Unbalanced):
        ledger.post(fund_id, PostingKind.ADJUSTMENT, [(Account.PAYABLE, None, 5),
                                                      (Account.FUND_CASH, None, -5)],
                    on=NOW.date())
    assert db.session.execute(db.select(func.count()).select_from(Posting)).scalar_one() == 0


def test_postings_are_never_edited_or_deleted(db):
    district, _, _, _ = _org("e")
    fund_id = ledger.fund_for_district(district.id).id
    posting = ledger.post(fund_id, PostingKind.ADJUSTMENT, [(Account.FUND_CASH, None, 100),
                                                            (Account.ADJUSTMENTS, None, -100)],
                          on=NOW.date())
    db.session.commit()
    line = db.session.execute(db.select(PostingLine).where(
        PostingLine.posting_id == posting.id)).scalars().first()
    line.amount_fen = 50
    with pytest.raises(ledger.AppendOnly):
        db.session.flush()
    db.session.rollback()
    posting = db.session.execute(db.select(Posting)).scalars().first()
    db.session.delete(posting)
    with pytest.raises(ledger.AppendOnly):
        db.session.flush()
