"""代办: a secretary or grid worker registers a resident who has no WeChat (POST /residents)."""
import marshmallow as ma
from marshmallow import validate as v

from server.residents.services import register_resident

from .common import ID_RANGE, LocalDateTime, current_actor
from .routes import Blueprint

blp = Blueprint("residents", __name__, description="代办：为没有微信的居民登记")


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


@blp.creates("/residents", ResidentCreateSchema, RegisteredResidentSchema)
def register(body):
    """代办：社区书记或网格员为没有微信的居民登记（记录纸质或口头同意及见证人）"""
    user = register_resident(current_actor(), body)
    return {"id": user.id, "name": user.name, "phone": user.phone,
            "phone_verified_via": user.phone_verified_via, "address": user.address,
            "community_id": user.community_id, "grid_id": user.grid_id, "has_wechat": False,
            "created_at": user.created_at}
