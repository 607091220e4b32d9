"""Care fund ledger and assistance cases: tables, StrEnums, transition tables, pure checks.

The ledger is double entry in integer fen: a posting has lines whose amounts sum to zero (debit
positive, credit negative); postings and lines are only ever inserted (a correction is a new
posting that reverses an old one); balances are sums of lines, never stored.
"""
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Authored, Created, InCommunity, Keyed, Updated
from ..extensions import db
from ..statemachine import Machine
from ..timeutil import UTCDateTime, utcnow


class Account(StrEnum):
    FUND_CASH = "fund_cash"          # 基金专户（资产）
    CONTRIBUTIONS = "contributions"  # 捐款收入
    DISBURSEMENTS = "disbursements"  # 帮扶支出
    PAYABLE = "payable"              # 应付帮扶款（每个案件一个）
    ADJUSTMENTS = "adjustments"      # 调整


ACCOUNT_NAMES = {Account.FUND_CASH: "基金专户", Account.CONTRIBUTIONS: "捐款收入",
                 Account.DISBURSEMENTS: "帮扶支出", Account.PAYABLE: "应付帮扶款",
                 Account.ADJUSTMENTS: "调整"}


class PostingKind(StrEnum):
    CONTRIBUTION = "contribution"
    ACCRUAL = "accrual"        # a batch approved: disbursement owed to each case
    PAYMENT = "payment"        # a batch paid: cash out of the fund
    CORRECTION = "correction"  # reverses an earlier posting
    ADJUSTMENT = "adjustment"  # bank interest or charges


class CareFund(Keyed, db.Model):
    """One fund per district; its row is the lock that serialises payments out of it."""
    __tablename__ = "care_funds"
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), unique=True)
    name: Mapped[str] = mapped_column(String(60))


class Posting(Keyed, Authored, db.Model):
    __tablename__ = "care_postings"
    fund_id: Mapped[int] = mapped_column(ForeignKey("care_funds.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    memo: Mapped[str] = mapped_column(String(200), default="")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("care_postings.id"), unique=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("care_batches.id"), index=True)
    posted_on: Mapped[date]


class PostingLine(Keyed, db.Model):
    __tablename__ = "care_posting_lines"
    __table_args__ = (CheckConstraint("amount_fen <> 0", name="nonzero"),
                      CheckConstraint("(account = 'payable') = (case_id IS NOT NULL)",
                                      name="payable_has_case"),
                      Index("ix_care_lines_account", "account", "case_id"))
    posting_id: Mapped[int] = mapped_column(ForeignKey("care_postings.id"), index=True)
    account: Mapped[str] = mapped_column(String(20))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("care_cases.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # debit > 0, credit < 0


class PayMethod(StrEnum):
    CASH = "cash"
    TRANSFER = "transfer"
    WECHAT = "wechat"
    PAYROLL = "payroll"


class Contribution(Keyed, Created, db.Model):
    __tablename__ = "care_contributions"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="positive"),
                      Index("ix_care_contributions_unit_year", "unit_id", "paid_on"))
    fund_id: Mapped[int] = mapped_column(ForeignKey("care_funds.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date]
    method: Mapped[str] = mapped_column(String(10))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    posting_id: Mapped[int] = mapped_column(ForeignKey("care_postings.id"))
    reversed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- cases ------------------------------------------------------------------------------------

class CaseStatus(StrEnum):
    APPLIED = "applied"
    VERIFIED = "verified"
    PUBLICISED = "publicised"
    ACTIVE = "active"
    EXITED = "exited"
    REJECTED = "rejected"


STATUS_NAMES = {CaseStatus.APPLIED: "已申请", CaseStatus.VERIFIED: "单位已核实",
                CaseStatus.PUBLICISED: "公示中", CaseStatus.ACTIVE: "帮扶中",
                CaseStatus.EXITED: "已退出", CaseStatus.REJECTED: "未通过"}
CASE = Machine("帮扶案件", {
    CaseStatus.APPLIED: {CaseStatus.VERIFIED, CaseStatus.REJECTED},
    CaseStatus.VERIFIED: {CaseStatus.PUBLICISED, CaseStatus.REJECTED},
    CaseStatus.PUBLICISED: {CaseStatus.ACTIVE, CaseStatus.REJECTED},
    CaseStatus.ACTIVE: {CaseStatus.EXITED},
})
OPEN_CASE_STATUSES = (CaseStatus.APPLIED, CaseStatus.VERIFIED, CaseStatus.PUBLICISED,
                      CaseStatus.ACTIVE)


class ApplicantCategory(StrEnum):
    SERVING = "serving"
    RETIRED = "retired"
    SURVIVOR = "survivor"


class Exclusion(StrEnum):
    """Conduct exclusions (不予帮扶的情形)."""
    DISCIPLINE = "discipline"        # 受党纪政务处分期间
    CRIME = "crime"                  # 违法犯罪
    GAMBLING = "gambling"            # 赌博、吸毒等
    REFUSES_WORK = "refuses_work"    # 有劳动能力拒不就业


EXCLUSION_NAMES = {Exclusion.DISCIPLINE: "受党纪政务处分期间", Exclusion.CRIME: "有违法犯罪行为",
                   Exclusion.GAMBLING: "有赌博、吸毒等行为", Exclusion.REFUSES_WORK: "有劳动能力拒不就业"}


class AidType(StrEnum):
    ONE_OFF = "one_off"
    LONG_TERM = "long_term"
    TEMPORARY = "temporary"
    COMPOSITE = "composite"
    LOAN_SUBSIDY = "loan_subsidy"


AID_NAMES = {AidType.ONE_OFF: "一次性帮扶", AidType.LONG_TERM: "长期帮扶",
             AidType.TEMPORARY: "临时帮扶", AidType.COMPOSITE: "综合帮扶",
             AidType.LOAN_SUBSIDY: "创业贷款贴息"}


class Case(Keyed, InCommunity, Created, Updated, db.Model):
    __tablename__ = "care_cases"
    __table_args__ = (Index("ix_care_cases_status_unit", "status", "unit_id"),)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default=CaseStatus.APPLIED)
    category: Mapped[str] = mapped_column(String(10))
    hardship: Mapped[str] = mapped_column(Text)
    household_size: Mapped[int]
    income_per_head_fen: Mapped[int] = mapped_column(BigInteger)
    exclusions: Mapped[list] = mapped_column(JSON, default=list)
    documents: Mapped[list] = mapped_column(JSON, default=list)
    eligible: Mapped[bool]
    override_reason: Mapped[str | None] = mapped_column(String(200))
    findings: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    window_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    window_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(String(200))
    aid_type: Mapped[str | None] = mapped_column(String(15))
    plan: Mapped[dict] = mapped_column(JSON, default=dict)
    contact_person_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    next_revisit_due: Mapped[date | None]
    exit_reason: Mapped[str | None] = mapped_column(String(200))

    def window_open(self, now: datetime) -> bool:
        return self.window_ends_at is not None and now < self.window_ends_at


class ObjectionStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    UPHELD = "upheld"


class Objection(Keyed, Created, db.Model):
    __tablename__ = "care_objections"
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=ObjectionStatus.OPEN)
    resolution: Mapped[str | None] = mapped_column(String(200))
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


OBJECTION = Machine("异议", {ObjectionStatus.OPEN: {ObjectionStatus.DISMISSED,
                                                    ObjectionStatus.UPHELD}})


class PaymentStatus(StrEnum):
    DUE = "due"
    PAID = "paid"
    CANCELLED = "cancelled"  # the case exited before it was paid


class Payment(Keyed, db.Model):
    """One instalment of a case's schedule: what is due, when; batched and paid once."""
    __tablename__ = "care_payments"
    __table_args__ = (UniqueConstraint("case_id", "seq"),
                      CheckConstraint("amount_fen > 0", name="positive"),
                      Index("ix_care_payments_due", "status", "batch_id", "due_on"))
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"))
    seq: Mapped[int]
    due_on: Mapped[date]
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10), default=PaymentStatus.DUE)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("care_batches.id"), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class BatchStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PAID = "paid"


BATCH = Machine("发放批次", {BatchStatus.DRAFT: {BatchStatus.APPROVED},
                         BatchStatus.APPROVED: {BatchStatus.PAID}})


class Batch(Keyed, Authored, db.Model):
    __tablename__ = "care_batches"
    fund_id: Mapped[int] = mapped_column(ForeignKey("care_funds.id"))
    name: Mapped[str] = mapped_column(String(60))
    pay_by: Mapped[date]
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id"))
    status: Mapped[str] = mapped_column(String(10), default=BatchStatus.DRAFT)
    payments: Mapped[int] = mapped_column(default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RevisitMethod(StrEnum):
    PHONE = "phone"
    VISIT = "visit"


class Revisit(Keyed, Created, db.Model):
    __tablename__ = "care_revisits"
    case_id: Mapped[int] = mapped_column(ForeignKey("care_cases.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    method: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text)
    next_due: Mapped[date | None]


class YearReport(Keyed, db.Model):
    """The yearly report drafted each March (the figures as JSON, for the party meeting)."""
    __tablename__ = "care_year_reports"
    __table_args__ = (UniqueConstraint("fund_id", "year"),)
    fund_id: Mapped[int] = mapped_column(ForeignKey("care_funds.id"))
    year: Mapped[int]
    body: Mapped[dict] = mapped_column(JSON, default=dict)
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
