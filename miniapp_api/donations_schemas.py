"""Schemas for donations, stations, stock, aid cards, redemptions and contact cards. What a
caller sees is decided in server/donations; these only lay it out."""
import marshmallow as ma
from marshmallow import validate as v

from server.donations.models import CATEGORIES, Decision, DonationStatus, DriveScopeKind, GoodsUnit

from .common import Computed, LocalDateTime
from .fields import (
    CodeName,
    CommunityQuery,
    DecisionBody,
    IdName,
    by_key,
    choice_in,
    day_in,
    decision_in,
    fen_in,
    id_in,
    int_in,
    opt_int,
    opt_str,
    opt_when,
    req_id,
    rows_of,
    state_out,
    text_in,
    upto,
    year_in,
)


def _qty(**kwargs) -> ma.fields.Int:
    """A number of pieces the caller sends: 1 to 100,000."""
    return int_in(1, 100000, **kwargs)


class DriveScopeSchema(ma.Schema):
    kind = choice_in(DriveScopeKind, required=True)
    id = req_id()


class DriveCreateSchema(ma.Schema):
    name = text_in(80, required=True)
    starts_on = day_in(required=True)
    ends_on = day_in(required=True)
    scope = ma.fields.Nested(DriveScopeSchema, required=True)


class DriveSchema(IdName):
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    scope = Computed(lambda d: {"kind": d.scope_kind, "id": d.scope_id},
                     ma.fields.Nested(DriveScopeSchema))


class CategorySchema(CodeName):
    unit = ma.fields.Str()
    quality_rule = ma.fields.Str()


class StationQuery(CommunityQuery):
    """The stations of one community."""


class StationCreateSchema(ma.Schema):
    name = text_in(60, required=True)
    community_id = req_id()
    address = upto(120)
    opening_hours = upto(60)


class StationSchema(IdName):
    community_id = ma.fields.Int()
    address = ma.fields.Str()
    opening_hours = ma.fields.Str()


class DonationCreateSchema(ma.Schema):
    station_id = req_id()
    drive_id = id_in(allow_none=True)
    category = choice_in(CATEGORIES, required=True)
    item = text_in(60, required=True)
    quantity = _qty(required=True)
    unit = choice_in(GoodsUnit, required=True)
    estimated_value_fen = fen_in(allow_none=True)
    donor_unit_id = id_in(allow_none=True)
    donor_name = upto(40)  # a walk-in donor (keepers only)
    show_phone = ma.fields.Bool()  # the donor's consent to print their phone on the labels


class DonationSchema(ma.Schema):
    id = ma.fields.Int()
    status = state_out(DonationStatus)
    station_id = ma.fields.Int()
    drive_id = opt_int()
    category = ma.fields.Str()
    item = ma.fields.Str()
    quantity = ma.fields.Int()
    unit = ma.fields.Str()
    estimated_value_fen = ma.fields.Int()
    donor_unit_id = opt_int()
    reason = opt_str()
    # the acknowledgement code exists once labels are issued (accepted)
    label_code = Computed(lambda d: d.label_code if d.status == DonationStatus.ACCEPTED else None,
                          opt_str())
    created_at = LocalDateTime()
    inspected_at = opt_when()


class DonationQuery(ma.Schema):
    status = choice_in(DonationStatus)


class InspectSchema(DecisionBody):
    decision = decision_in(Decision)


class StockItemSchema(ma.Schema):
    item_id = ma.fields.Int(attribute="id")
    category = ma.fields.Str()
    name = ma.fields.Str()
    unit = ma.fields.Str()
    quantity = ma.fields.Int()
    price_fen = ma.fields.Int()
    price_points = ma.fields.Int()


class MovementSchema(ma.Schema):
    id = ma.fields.Int()
    item_id = ma.fields.Int(attribute="stock_item_id")
    kind = ma.fields.Str()
    delta = ma.fields.Int()
    reason = ma.fields.Str()
    ref_type = ma.fields.Str()
    ref_id = opt_int()
    created_at = LocalDateTime()


class StockAdjustmentSchema(ma.Schema):
    item_id = req_id()
    delta = int_in(-100000, 100000, required=True)
    reason = text_in(200, required=True)


class TransferSchema(ma.Schema):
    item_id = req_id()
    to_station_id = req_id()
    quantity = _qty(required=True)


class PriceSchema(ma.Schema):
    price_fen = fen_in()
    price_points = int_in(0, 10**6)


class TierInSchema(ma.Schema):
    name = text_in(40, required=True)
    yearly_allowance_fen = fen_in(required=True)


class TierSchema(ma.Schema):
    tier = ma.fields.Int()
    name = ma.fields.Str()
    yearly_allowance_fen = ma.fields.Int()


class CardCreateSchema(ma.Schema):
    household_id = req_id()
    tier = int_in(1, 3, required=True)
    year = year_in(required=True)


class CardSchema(ma.Schema):
    id = ma.fields.Int()
    number = ma.fields.Str()
    tier = ma.fields.Int()
    year = ma.fields.Int()
    household_id = ma.fields.Int()
    community_id = ma.fields.Int()
    allowance_fen = ma.fields.Int()
    balance_fen = ma.fields.Int()


class CardQuery(CommunityQuery):
    """The aid cards of one community."""


class LineSchema(ma.Schema):
    item_id = req_id()
    quantity = _qty(required=True)


class RedemptionCreateSchema(ma.Schema):
    card_id = id_in(allow_none=True)
    volunteer_id = id_in(allow_none=True)
    lines = rows_of(LineSchema, required=True, validate=v.Length(min=1, max=50))


class RedemptionLineOutSchema(ma.Schema):
    item_id = ma.fields.Int(attribute="stock_item_id")
    quantity = ma.fields.Int()
    price_fen = ma.fields.Int()
    price_points = ma.fields.Int()


class RedemptionSchema(ma.Schema):
    id = ma.fields.Int()
    station_id = ma.fields.Int()
    card_id = opt_int()
    volunteer_id = opt_int()
    total_fen = ma.fields.Int()
    total_points = ma.fields.Int()
    pieces = ma.fields.Int()
    card_balance_fen = opt_int()
    lines = rows_of(RedemptionLineOutSchema)
    created_at = LocalDateTime()


class AckSchema(ma.Schema):
    message = upto(100)


class AckOutSchema(ma.Schema):
    id = ma.fields.Int()
    donation_id = ma.fields.Int()
    message = ma.fields.Str()
    created_at = LocalDateTime()


class ContactCardCreateSchema(ma.Schema):
    donor_id = req_id()
    household_id = req_id()


class ContactCardSchema(ma.Schema):
    id = ma.fields.Int()
    donor_id = ma.fields.Int()
    household_id = ma.fields.Int()
    status = ma.fields.Str()
    other_name = ma.fields.Str()
    other_phone = opt_str()
    created_at = LocalDateTime()
    ended_at = opt_when()


class PiecesSchema(ma.Schema):
    category = ma.fields.Str()
    name = ma.fields.Str()
    quantity = ma.fields.Int()


class DriveFiguresSchema(ma.Schema):
    drive_id = ma.fields.Int()
    name = ma.fields.Str()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    pieces = rows_of(PiecesSchema)
    pieces_total = ma.fields.Int()
    grain_oil_jin = ma.fields.Int()
    value_fen = ma.fields.Int()
    donors = ma.fields.Int()
    donations = by_key()
    households_helped = ma.fields.Int()
    person_times = ma.fields.Int()
    stations = ma.fields.Int()


class DistributionSchema(ma.Schema):
    id = ma.fields.Int()
    date = ma.fields.Date()
    household = ma.fields.Str()
    community = ma.fields.Str()
    station = ma.fields.Str()
    pieces = ma.fields.Int()
    value_fen = ma.fields.Int()


class DistributionQuery(CommunityQuery):
    """The distributions in one community."""
