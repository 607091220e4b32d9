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

from .fields import (
    FEN_MAX,
    by_key,
    choice_in,
    day_in,
    decision_in,
    fen_in,
    id_in,
    int_in,
    opt_date,
    opt_int,
    opt_str,
    opt_when,
    reason_req,
    req_bool,
    req_date,
    req_float,
    req_id,
    req_int,
    req_str,
    req_when,
    rows_of,
    str_list,
    text_in,
    upto,
    year_query,
)


def _aid_fen(**kwargs) -> ma.fields.Int:
    """An amount of aid or of a contribution in fen: at least one fen."""
    return fen_in(1, **kwargs)


def _exclusions(**kwargs) -> ma.fields.List:
    """The exclusions (不予救助情形) that apply to an applicant."""
    return ma.fields.List(choice_in(Exclusion), validate=v.Length(max=len(Exclusion)), **kwargs)


# --- fund ------------------------------------------------------------------------------------

class ContributionCreateSchema(ma.Schema):
    member_id = id_in()
    unit_id = req_id()
    amount_fen = _aid_fen(required=True)
    paid_on = day_in(required=True)
    method = choice_in(PayMethod, required=True)


class ContributionSchema(ma.Schema):
    id = req_int()
    member_id = opt_int()
    unit_id = req_int()
    amount_fen = req_int()
    paid_on = req_date()
    method = req_str()
    posting_id = req_int()
    reversed_at = opt_when()


class CorrectionSchema(ma.Schema):
    reason = reason_req()


class FundAdjustmentSchema(ma.Schema):
    district_id = id_in()
    amount_fen = int_in(-FEN_MAX, FEN_MAX, required=True)
    reason = reason_req()

    @ma.validates("amount_fen")
    def _nonzero(self, value, **_):
        if value == 0:
            raise ma.ValidationError("金额不能为 0")


class AccountBalanceSchema(ma.Schema):
    account = req_str()
    name = req_str()
    balance_fen = req_int()


class BalanceSchema(ma.Schema):
    fund_id = req_int()
    district_id = req_int()
    name = req_str()
    balanced = req_bool()
    cash_fen = req_int()
    accounts = rows_of(AccountBalanceSchema, required=True)


class BalanceQuery(ma.Schema):
    district_id = id_in()


class ParticipationQuery(ma.Schema):
    unit_id = id_in()
    community_id = id_in()
    year = year_query()


class ParticipationSchema(ma.Schema):
    unit_id = opt_int()
    community_id = opt_int()
    year = req_int()
    members = req_int()
    contributed = req_int()
    rate = req_float()


class YearQuery(ma.Schema):
    year = year_query()


class DisbursementLineSchema(ma.Schema):
    aid_type = req_str()
    name = req_str()
    households = req_int()
    payments = req_int()
    amount_fen = req_int()


class PublicationLineSchema(ma.Schema):
    case_id = req_int()
    name = req_str()
    unit = req_str()
    category = req_str()
    status = req_str()
    aid_type = opt_str()
    window_ends_at = opt_when()


class ReportSchema(ma.Schema):
    fund_id = req_int()
    year = req_int()
    contributions_fen = req_int()
    contributions = req_int()
    contributors = req_int()
    disbursements = rows_of(DisbursementLineSchema, required=True)
    disbursed_fen = req_int()
    households = req_int()
    balance_fen = req_int()
    year_end_balance_fen = req_int()
    publications = rows_of(PublicationLineSchema, required=True)


class BatchCreateSchema(ma.Schema):
    name = text_in(60, required=True)
    pay_by = day_in(required=True)
    district_id = id_in()
    street_id = id_in()


class BatchSchema(ma.Schema):
    id = req_int()
    name = req_str()
    pay_by = req_date()
    street_id = opt_int()
    status = choice_in(BatchStatus, required=True)
    payments = req_int()
    total_fen = req_int()
    created_at = req_when()
    approved_at = opt_when()
    paid_at = opt_when()


# --- cases -----------------------------------------------------------------------------------

class CaseCreateSchema(ma.Schema):
    applicant_id = req_id()
    category = choice_in(ApplicantCategory, required=True)
    hardship = text_in(2000, required=True)
    household_size = int_in(1, 30, required=True)
    income_per_head_fen = fen_in(required=True)
    exclusions = _exclusions(load_default=list)
    documents = ma.fields.List(text_in(300), validate=v.Length(max=20), load_default=list)


class VerifySchema(ma.Schema):
    findings = text_in(2000, required=True)
    recommendation = text_in(1000, required=True)
    income_per_head_fen = fen_in()
    exclusions = _exclusions()


class PublishSchema(ma.Schema):
    days = int_in(5, 60, required=True)


class ObjectionCreateSchema(ma.Schema):
    text = text_in(1000, required=True)


class ObjectionResolveSchema(ma.Schema):
    decision = decision_in([ObjectionStatus.DISMISSED, ObjectionStatus.UPHELD])
    resolution = reason_req()


class ObjectionSchema(ma.Schema):
    id = req_int()
    case_id = req_int()
    text = req_str()
    status = req_str()
    resolution = opt_str()
    created_at = req_when()


class ApproveSchema(ma.Schema):
    aid_type = choice_in(AidType, required=True)
    amount_fen = _aid_fen()
    monthly_fen = _aid_fen()
    months = int_in(1, 120)
    loan_fen = _aid_fen()
    annual_rate_bp = int_in(1, 5000)
    contact_person_id = req_id()
    override_reason = upto(200)


class ReasonRequiredSchema(ma.Schema):
    reason = reason_req()


class RevisitCreateSchema(ma.Schema):
    method = choice_in(RevisitMethod, required=True)
    note = text_in(2000, required=True)
    next_due = day_in(required=True)


class RevisitSchema(ma.Schema):
    id = req_int()
    case_id = req_int()
    method = req_str()
    note = req_str()
    next_due = opt_date()
    created_at = req_when()


class CaseQueueQuery(ma.Schema):
    status = choice_in(CaseStatus)


class EligibilitySchema(ma.Schema):
    eligible = req_bool()
    income_per_head_fen = req_int()
    threshold_fen = req_int()
    below_threshold = req_bool()
    exclusions = str_list(required=True)
    reasons = str_list(required=True)


class PaymentLineSchema(ma.Schema):
    seq = req_int()
    due_on = req_date()
    amount_fen = req_int()
    status = req_str()
    batch_id = opt_int()


class CaseObjectionSchema(ObjectionSchema):
    """An objection inside its case: the case is the one around it."""
    class Meta:
        exclude = ("case_id",)


class CaseRevisitSchema(RevisitSchema):
    """A revisit inside its case: the case is the one around it."""
    class Meta:
        exclude = ("case_id",)


class CaseSchema(ma.Schema):
    """A case as its applicant, contact person or the staff handling it see it."""
    id = req_int()
    status = choice_in(CaseStatus, required=True)
    applicant_id = req_int()
    applicant_name = req_str()
    unit_id = req_int()
    community_id = req_int()
    category = req_str()
    household_size = req_int()
    created_at = req_when()
    window_ends_at = opt_when()
    aid_type = opt_str()
    contact_person_id = opt_int()
    next_revisit_due = opt_date()
    hardship = ma.fields.Str()
    income_per_head_fen = ma.fields.Int()
    documents = str_list()
    findings = opt_str()
    recommendation = opt_str()
    plan = by_key()
    override_reason = opt_str()
    decision_reason = opt_str()
    exit_reason = opt_str()
    eligibility = ma.fields.Nested(EligibilitySchema)
    objections = rows_of(CaseObjectionSchema)
    payments = rows_of(PaymentLineSchema)
    revisits = rows_of(CaseRevisitSchema)


class PublicationSchema(ma.Schema):
    """The 公示 entry: the name is masked outside the applicant's party organisation."""
    id = req_int()
    name = req_str()
    masked = req_bool()
    unit_id = req_int()
    category = req_str()
    household_size = req_int()
    recommendation = req_str()
    window_ends_at = opt_when()
    window_open = req_bool()
