"""Schemas for donations, stations, stock, aid cards, redemptions and contact cards. What a
caller sees is decided in server/donations; these only lay it out."""
import marshmallow as ma
from marshmallow import validate as v

from server.donations.models import CATEGORIES, Decision, DonationStatus, DriveScopeKind, GoodsUnit

from .common import Computed, LocalDateTime
from .order_schemas import DAY_RANGE

_ID = v.Range(min=1, max=2**31 - 1)
_FEN = v.Range(min=0, max=10**9)  # ten million yuan: no one gift or card is larger
_QTY = v.Range(min=1, max=100000)


def _text(max_len: int, **kwargs):
    return ma.fields.Str(validate=v.Length(min=1, max=max_len), **kwargs)


class DriveScopeSchema(ma.Schema):
    kind = ma.fields.Str(required=True, validate=v.OneOf([k.value for k in DriveScopeKind]))
    id = ma.fields.Int(required=True, validate=_ID)


class DriveCreateSchema(ma.Schema):
    name = _text(80, required=True)
    starts_on = ma.fields.Date(required=True, validate=DAY_RANGE)
    ends_on = ma.fields.Date(required=True, validate=DAY_RANGE)
    scope = ma.fields.Nested(DriveScopeSchema, required=True)


class DriveSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    scope = Computed(lambda d: {"kind": d.scope_kind, "id": d.scope_id},
                     ma.fields.Nested(DriveScopeSchema))


class CategorySchema(ma.Schema):
    code = ma.fields.Str()
    name = ma.fields.Str()
    unit = ma.fields.Str()
    quality_rule = ma.fields.Str()


class StationQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)


class StationCreateSchema(ma.Schema):
    name = _text(60, required=True)
    community_id = ma.fields.Int(required=True, validate=_ID)
    address = ma.fields.Str(validate=v.Length(max=120))
    opening_hours = ma.fields.Str(validate=v.Length(max=60))


class StationSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    community_id = ma.fields.Int()
    address = ma.fields.Str()
    opening_hours = ma.fields.Str()


class DonationCreateSchema(ma.Schema):
    station_id = ma.fields.Int(required=True, validate=_ID)
    drive_id = ma.fields.Int(validate=_ID, allow_none=True)
    category = ma.fields.Str(required=True, validate=v.OneOf(list(CATEGORIES)))
    item = _text(60, required=True)
    quantity = ma.fields.Int(required=True, validate=_QTY)
    unit = ma.fields.Str(required=True, validate=v.OneOf([u.value for u in GoodsUnit]))
    estimated_value_fen = ma.fields.Int(validate=_FEN, allow_none=True)
    donor_unit_id = ma.fields.Int(validate=_ID, allow_none=True)
    donor_name = ma.fields.Str(validate=v.Length(max=40))  # a walk-in donor (keepers only)
    show_phone = ma.fields.Bool()  # the donor's consent to print their phone on the labels


class DonationSchema(ma.Schema):
    id = ma.fields.Int()
    status = ma.fields.Str(metadata={"enum": [s.value for s in DonationStatus]})
    station_id = ma.fields.Int()
    drive_id = ma.fields.Int(allow_none=True)
    category = ma.fields.Str()
    item = ma.fields.Str()
    quantity = ma.fields.Int()
    unit = ma.fields.Str()
    estimated_value_fen = ma.fields.Int()
    donor_unit_id = ma.fields.Int(allow_none=True)
    reason = ma.fields.Str(allow_none=True)
    # the acknowledgement code exists once labels are issued (accepted)
    label_code = Computed(lambda d: d.label_code if d.status == DonationStatus.ACCEPTED else None,
                          ma.fields.Str(allow_none=True))
    created_at = LocalDateTime()
    inspected_at = LocalDateTime(allow_none=True)


class DonationQuery(ma.Schema):
    status = ma.fields.Str(validate=v.OneOf([s.value for s in DonationStatus]))


class InspectSchema(ma.Schema):
    decision = ma.fields.Str(required=True, validate=v.OneOf([d.value for d in Decision]))
    reason = ma.fields.Str(validate=v.Length(max=200))


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
    ref_id = ma.fields.Int(allow_none=True)
    created_at = LocalDateTime()


class AdjustmentSchema(ma.Schema):
    item_id = ma.fields.Int(required=True, validate=_ID)
    delta = ma.fields.Int(required=True, validate=v.Range(min=-100000, max=100000))
    reason = _text(200, required=True)


class TransferSchema(ma.Schema):
    item_id = ma.fields.Int(required=True, validate=_ID)
    to_station_id = ma.fields.Int(required=True, validate=_ID)
    quantity = ma.fields.Int(required=True, validate=_QTY)


class PriceSchema(ma.Schema):
    price_fen = ma.fields.Int(validate=_FEN)
    price_points = ma.fields.Int(validate=v.Range(min=0, max=10**6))


class TierInSchema(ma.Schema):
    name = _text(40, required=True)
    yearly_allowance_fen = ma.fields.Int(required=True, validate=_FEN)


class TierSchema(ma.Schema):
    tier = ma.fields.Int()
    name = ma.fields.Str()
    yearly_allowance_fen = ma.fields.Int()


class CardCreateSchema(ma.Schema):
    household_id = ma.fields.Int(required=True, validate=_ID)
    tier = ma.fields.Int(required=True, validate=v.Range(min=1, max=3))
    year = ma.fields.Int(required=True, validate=v.Range(min=2000, max=2100))


class CardSchema(ma.Schema):
    id = ma.fields.Int()
    number = ma.fields.Str()
    tier = ma.fields.Int()
    year = ma.fields.Int()
    household_id = ma.fields.Int()
    community_id = ma.fields.Int()
    allowance_fen = ma.fields.Int()
    balance_fen = ma.fields.Int()


class CardQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)


class LineSchema(ma.Schema):
    item_id = ma.fields.Int(required=True, validate=_ID)
    quantity = ma.fields.Int(required=True, validate=_QTY)


class RedemptionCreateSchema(ma.Schema):
    card_id = ma.fields.Int(validate=_ID, allow_none=True)
    volunteer_id = ma.fields.Int(validate=_ID, allow_none=True)
    lines = ma.fields.List(ma.fields.Nested(LineSchema), required=True,
                           validate=v.Length(min=1, max=50))


class RedemptionLineOutSchema(ma.Schema):
    item_id = ma.fields.Int(attribute="stock_item_id")
    quantity = ma.fields.Int()
    price_fen = ma.fields.Int()
    price_points = ma.fields.Int()


class RedemptionSchema(ma.Schema):
    id = ma.fields.Int()
    station_id = ma.fields.Int()
    card_id = ma.fields.Int(allow_none=True)
    volunteer_id = ma.fields.Int(allow_none=True)
    total_fen = ma.fields.Int()
    total_points = ma.fields.Int()
    pieces = ma.fields.Int()
    card_balance_fen = ma.fields.Int(allow_none=True)
    lines = ma.fields.List(ma.fields.Nested(RedemptionLineOutSchema))
    created_at = LocalDateTime()


class AckSchema(ma.Schema):
    message = ma.fields.Str(validate=v.Length(max=100))


class AckOutSchema(ma.Schema):
    id = ma.fields.Int()
    donation_id = ma.fields.Int()
    message = ma.fields.Str()
    created_at = LocalDateTime()


class ContactCardCreateSchema(ma.Schema):
    donor_id = ma.fields.Int(required=True, validate=_ID)
    household_id = ma.fields.Int(required=True, validate=_ID)


class ContactCardSchema(ma.Schema):
    id = ma.fields.Int()
    donor_id = ma.fields.Int()
    household_id = ma.fields.Int()
    status = ma.fields.Str()
    other_name = ma.fields.Str()
    other_phone = ma.fields.Str(allow_none=True)
    created_at = LocalDateTime()
    ended_at = LocalDateTime(allow_none=True)


class PiecesSchema(ma.Schema):
    category = ma.fields.Str()
    name = ma.fields.Str()
    quantity = ma.fields.Int()


class DriveFiguresSchema(ma.Schema):
    drive_id = ma.fields.Int()
    name = ma.fields.Str()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    pieces = ma.fields.List(ma.fields.Nested(PiecesSchema))
    pieces_total = ma.fields.Int()
    grain_oil_jin = ma.fields.Int()
    value_fen = ma.fields.Int()
    donors = ma.fields.Int()
    donations = ma.fields.Dict(keys=ma.fields.Str(), values=ma.fields.Int())
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


class DistributionQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)
