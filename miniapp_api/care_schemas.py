"""Schemas for the care fund and casework. What a caller sees is decided in server/care
(policies, queries); these only lay it out."""
import marshmallow as ma
from marshmallow import validate as v

from server.care.models import (
    AidType,
    ApplicantCategory,
    BatchStatus,
    CaseStatus,
    Exclusion,
    ObjectionStatus,
    PayMethod,
    RevisitMethod,
)
from server.timeutil import LOCAL_TZ, utcnow

from .common import LocalDateTime
from .order_schemas import DAY_RANGE

_ID = v.Range(min=1, max=2**31 - 1)
_FEN = v.Range(min=1, max=10**9)  # up to 10 million yuan
_MONTHS = v.Range(min=1, max=120)


def _id(**kwargs):
    return ma.fields.Int(validate=_ID, **kwargs)


def _day(**kwargs):
    return ma.fields.Date(validate=DAY_RANGE, **kwargs)


def _text(max_len: int, **kwargs):
    return ma.fields.Str(validate=v.Length(min=1, max=max_len), **kwargs)


# --- fund ------------------------------------------------------------------------------------

class ContributionCreateSchema(ma.Schema):
    member_id = _id()
    unit_id = _id(required=True)
    amount_fen = ma.fields.Int(required=True, validate=_FEN)
    paid_on = _day(required=True)
    method = ma.fields.Str(required=True, validate=v.OneOf([m.value for m in PayMethod]))


class ContributionSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    member_id = ma.fields.Int(allow_none=True)
    unit_id = ma.fields.Int(required=True)
    amount_fen = ma.fields.Int(required=True)
    paid_on = ma.fields.Date(required=True)
    method = ma.fields.Str(required=True)
    posting_id = ma.fields.Int(required=True)
    reversed_at = LocalDateTime(allow_none=True)


class CorrectionSchema(ma.Schema):
    reason = _text(200, required=True)


class AdjustmentSchema(ma.Schema):
    district_id = _id()
    amount_fen = ma.fields.Int(required=True, validate=v.Range(min=-10**9, max=10**9))
    reason = _text(200, required=True)

    @ma.validates("amount_fen")
    def _nonzero(self, value, **_):
        if value == 0:
            raise ma.ValidationError("金额不能为 0")


class AccountBalanceSchema(ma.Schema):
    account = ma.fields.Str(required=True)
    name = ma.fields.Str(required=True)
    balance_fen = ma.fields.Int(required=True)


class BalanceSchema(ma.Schema):
    fund_id = ma.fields.Int(required=True)
    district_id = ma.fields.Int(required=True)
    name = ma.fields.Str(required=True)
    balanced = ma.fields.Bool(required=True)
    cash_fen = ma.fields.Int(required=True)
    accounts = ma.fields.List(ma.fields.Nested(AccountBalanceSchema), required=True)


class BalanceQuery(ma.Schema):
    district_id = _id()


def _this_year() -> int:
    return utcnow().astimezone(LOCAL_TZ).year


class ParticipationQuery(ma.Schema):
    unit_id = _id()
    community_id = _id()
    year = ma.fields.Int(load_default=_this_year, validate=v.Range(min=2000, max=2100))


class ParticipationSchema(ma.Schema):
    unit_id = ma.fields.Int(allow_none=True)
    community_id = ma.fields.Int(allow_none=True)
    year = ma.fields.Int(required=True)
    members = ma.fields.Int(required=True)
    contributed = ma.fields.Int(required=True)
    rate = ma.fields.Float(required=True)


class YearQuery(ma.Schema):
    year = ma.fields.Int(load_default=_this_year, validate=v.Range(min=2000, max=2100))


class DisbursementLineSchema(ma.Schema):
    aid_type = ma.fields.Str(required=True)
    name = ma.fields.Str(required=True)
    households = ma.fields.Int(required=True)
    payments = ma.fields.Int(required=True)
    amount_fen = ma.fields.Int(required=True)


class PublicationLineSchema(ma.Schema):
    case_id = ma.fields.Int(required=True)
    name = ma.fields.Str(required=True)
    unit = ma.fields.Str(required=True)
    category = ma.fields.Str(required=True)
    status = ma.fields.Str(required=True)
    aid_type = ma.fields.Str(allow_none=True)
    window_ends_at = LocalDateTime(allow_none=True)


class ReportSchema(ma.Schema):
    fund_id = ma.fields.Int(required=True)
    year = ma.fields.Int(required=True)
    contributions_fen = ma.fields.Int(required=True)
    contributions = ma.fields.Int(required=True)
    contributors = ma.fields.Int(required=True)
    disbursements = ma.fields.List(ma.fields.Nested(DisbursementLineSchema), required=True)
    disbursed_fen = ma.fields.Int(required=True)
    households = ma.fields.Int(required=True)
    balance_fen = ma.fields.Int(required=True)
    year_end_balance_fen = ma.fields.Int(required=True)
    publications = ma.fields.List(ma.fields.Nested(PublicationLineSchema), required=True)


class BatchCreateSchema(ma.Schema):
    name = _text(60, required=True)
    pay_by = _day(required=True)
    district_id = _id()
    street_id = _id()


class BatchSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    name = ma.fields.Str(required=True)
    pay_by = ma.fields.Date(required=True)
    street_id = ma.fields.Int(allow_none=True)
    status = ma.fields.Str(required=True, validate=v.OneOf([s.value for s in BatchStatus]))
    payments = ma.fields.Int(required=True)
    total_fen = ma.fields.Int(required=True)
    created_at = LocalDateTime(required=True)
    approved_at = LocalDateTime(allow_none=True)
    paid_at = LocalDateTime(allow_none=True)


# --- cases -----------------------------------------------------------------------------------

class CaseCreateSchema(ma.Schema):
    applicant_id = _id(required=True)
    category = ma.fields.Str(required=True,
                             validate=v.OneOf([c.value for c in ApplicantCategory]))
    hardship = _text(2000, required=True)
    household_size = ma.fields.Int(required=True, validate=v.Range(min=1, max=30))
    income_per_head_fen = ma.fields.Int(required=True, validate=v.Range(min=0, max=10**9))
    exclusions = ma.fields.List(ma.fields.Str(validate=v.OneOf([e.value for e in Exclusion])),
                                validate=v.Length(max=len(Exclusion)), load_default=list)
    documents = ma.fields.List(_text(300), validate=v.Length(max=20), load_default=list)


class VerifySchema(ma.Schema):
    findings = _text(2000, required=True)
    recommendation = _text(1000, required=True)
    income_per_head_fen = ma.fields.Int(validate=v.Range(min=0, max=10**9))
    exclusions = ma.fields.List(ma.fields.Str(validate=v.OneOf([e.value for e in Exclusion])),
                                validate=v.Length(max=len(Exclusion)))


class PublishSchema(ma.Schema):
    days = ma.fields.Int(required=True, validate=v.Range(min=5, max=60))


class ObjectionCreateSchema(ma.Schema):
    text = _text(1000, required=True)


class ObjectionResolveSchema(ma.Schema):
    decision = ma.fields.Str(required=True, validate=v.OneOf(
        [ObjectionStatus.DISMISSED.value, ObjectionStatus.UPHELD.value]))
    resolution = _text(200, required=True)


class ObjectionSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    case_id = ma.fields.Int(required=True)
    text = ma.fields.Str(required=True)
    status = ma.fields.Str(required=True)
    resolution = ma.fields.Str(allow_none=True)
    created_at = LocalDateTime(required=True)


class ApproveSchema(ma.Schema):
    aid_type = ma.fields.Str(required=True, validate=v.OneOf([a.value for a in AidType]))
    amount_fen = ma.fields.Int(validate=_FEN)
    monthly_fen = ma.fields.Int(validate=_FEN)
    months = ma.fields.Int(validate=_MONTHS)
    loan_fen = ma.fields.Int(validate=_FEN)
    annual_rate_bp = ma.fields.Int(validate=v.Range(min=1, max=5000))
    contact_person_id = _id(required=True)
    override_reason = ma.fields.Str(validate=v.Length(max=200))


class ReasonRequiredSchema(ma.Schema):
    reason = _text(200, required=True)


class RevisitCreateSchema(ma.Schema):
    method = ma.fields.Str(required=True, validate=v.OneOf([m.value for m in RevisitMethod]))
    note = _text(2000, required=True)
    next_due = _day(required=True)


class RevisitSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    case_id = ma.fields.Int(required=True)
    method = ma.fields.Str(required=True)
    note = ma.fields.Str(required=True)
    next_due = ma.fields.Date(allow_none=True)
    created_at = LocalDateTime(required=True)


class CaseQueueQuery(ma.Schema):
    status = ma.fields.Str(validate=v.OneOf([s.value for s in CaseStatus]))


class EligibilitySchema(ma.Schema):
    eligible = ma.fields.Bool(required=True)
    income_per_head_fen = ma.fields.Int(required=True)
    threshold_fen = ma.fields.Int(required=True)
    below_threshold = ma.fields.Bool(required=True)
    exclusions = ma.fields.List(ma.fields.Str(), required=True)
    reasons = ma.fields.List(ma.fields.Str(), required=True)


class PaymentLineSchema(ma.Schema):
    seq = ma.fields.Int(required=True)
    due_on = ma.fields.Date(required=True)
    amount_fen = ma.fields.Int(required=True)
    status = ma.fields.Str(required=True)
    batch_id = ma.fields.Int(allow_none=True)


class CaseObjectionSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    text = ma.fields.Str(required=True)
    status = ma.fields.Str(required=True)
    resolution = ma.fields.Str(allow_none=True)
    created_at = LocalDateTime(required=True)


class CaseRevisitSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    method = ma.fields.Str(required=True)
    note = ma.fields.Str(required=True)
    next_due = ma.fields.Date(allow_none=True)
    created_at = LocalDateTime(required=True)


class CaseSchema(ma.Schema):
    """A case as its applicant, contact person or the staff handling it see it."""
    id = ma.fields.Int(required=True)
    status = ma.fields.Str(required=True, validate=v.OneOf([s.value for s in CaseStatus]))
    applicant_id = ma.fields.Int(required=True)
    applicant_name = ma.fields.Str(required=True)
    unit_id = ma.fields.Int(required=True)
    community_id = ma.fields.Int(required=True)
    category = ma.fields.Str(required=True)
    household_size = ma.fields.Int(required=True)
    created_at = LocalDateTime(required=True)
    window_ends_at = LocalDateTime(allow_none=True)
    aid_type = ma.fields.Str(allow_none=True)
    contact_person_id = ma.fields.Int(allow_none=True)
    next_revisit_due = ma.fields.Date(allow_none=True)
    hardship = ma.fields.Str()
    income_per_head_fen = ma.fields.Int()
    documents = ma.fields.List(ma.fields.Str())
    findings = ma.fields.Str(allow_none=True)
    recommendation = ma.fields.Str(allow_none=True)
    plan = ma.fields.Dict(keys=ma.fields.Str(), values=ma.fields.Int())
    override_reason = ma.fields.Str(allow_none=True)
    decision_reason = ma.fields.Str(allow_none=True)
    exit_reason = ma.fields.Str(allow_none=True)
    eligibility = ma.fields.Nested(EligibilitySchema)
    objections = ma.fields.List(ma.fields.Nested(CaseObjectionSchema))
    payments = ma.fields.List(ma.fields.Nested(PaymentLineSchema))
    revisits = ma.fields.List(ma.fields.Nested(CaseRevisitSchema))


class PublicationSchema(ma.Schema):
    """The 公示 entry: the name is masked outside the applicant's party organisation."""
    id = ma.fields.Int(required=True)
    name = ma.fields.Str(required=True)
    masked = ma.fields.Bool(required=True)
    unit_id = ma.fields.Int(required=True)
    category = ma.fields.Str(required=True)
    household_size = ma.fields.Int(required=True)
    recommendation = ma.fields.Str(required=True)
    window_ends_at = LocalDateTime(allow_none=True)
    window_open = ma.fields.Bool(required=True)
