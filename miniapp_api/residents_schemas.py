"""The shapes of 代办 (miniapp_api/residents.py): a resident registered by staff, with the consent
they witnessed."""
import marshmallow as ma
from marshmallow import validate as v

from .common import ID_RANGE, LocalDateTime


class ResidentConsentSchema(ma.Schema):
    method = ma.fields.Str(required=True, validate=v.OneOf(["paper", "verbal"]))
    witnessed_by = ma.fields.Str(required=True, validate=v.Length(min=1, max=40))


class ResidentCreateSchema(ma.Schema):
    name = ma.fields.Str(required=True, validate=v.Length(min=1, max=40))
    phone = ma.fields.Str(required=True, validate=v.Regexp(r"^1\d{10}$", error="请输入 11 位手机号"))
    address = ma.fields.Str(required=True, validate=v.Length(min=1, max=200))
    lat = ma.fields.Float(required=True, validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(required=True, validate=v.Range(min=-180, max=180), allow_nan=False)
    grid_id = ma.fields.Int(validate=ID_RANGE)
    community_id = ma.fields.Int(validate=ID_RANGE)
    consent = ma.fields.Nested(ResidentConsentSchema, required=True)


class RegisteredResidentSchema(ma.Schema):
    id = ma.fields.Int(required=True)
    name = ma.fields.Str(required=True)
    phone = ma.fields.Str(required=True)
    phone_verified_via = ma.fields.Str(required=True)
    address = ma.fields.Str(required=True)
    community_id = ma.fields.Int(required=True)
    grid_id = ma.fields.Int(required=True, allow_none=True)
    has_wechat = ma.fields.Bool(required=True)
    created_at = LocalDateTime(required=True)
