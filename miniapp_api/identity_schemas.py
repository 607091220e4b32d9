"""Schemas for identity: login, the user, communities, skills, consents, roles."""
import marshmallow as ma
from marshmallow import validate as v

from server.identity.models import PhoneSource
from server.identity.roles import GRANTABLE
from server.identity.services import CONSENT_PURPOSES
from server.privacy import mask_phone

from .common import ID_RANGE, Computed, LocalDateTime

PHONE_SOURCES = [s.value for s in PhoneSource]
PHONE = v.Regexp(r"^1\d{10}$", error="请输入 11 位手机号")


class LoginSchema(ma.Schema):
    code = ma.fields.Str(required=True, validate=v.Length(min=1, max=200))


class PhoneCodeSchema(ma.Schema):
    code = ma.fields.Str(required=True, validate=v.Length(min=1, max=200))


class UnitSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    kind = ma.fields.Str()


class UserBriefSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    roles = Computed(lambda user: sorted(getattr(user, "roles", ["resident"])),
                     ma.fields.List(ma.fields.Str()))
    community_id = ma.fields.Int(allow_none=True)
    volunteer_status = Computed(lambda user: getattr(user, "volunteer_status", None),
                                ma.fields.Str(allow_none=True))


class LoginResultSchema(ma.Schema):
    token = ma.fields.Str()
    expires_in = ma.fields.Int()
    user = ma.fields.Nested(UserBriefSchema)


class ConsentSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    purpose = ma.fields.Str(required=True, validate=v.OneOf(CONSENT_PURPOSES))
    policy_version = ma.fields.Str(validate=v.Length(min=1, max=20), load_default=None)
    granted_at = LocalDateTime(dump_only=True)
    withdrawn_at = LocalDateTime(dump_only=True, allow_none=True)


PHONE_SOURCE_DOC = {"description": "手机号来源：wechat 微信验证、staff 工作人员登记；null 为本人填写、未验证"
                    "（未验证的号码不会展示给他人）", "enum": [*PHONE_SOURCES, None]}


class MeSchema(UserBriefSchema):
    phone = ma.fields.Str(allow_none=True)
    phone_verified_via = ma.fields.Str(allow_none=True, metadata=PHONE_SOURCE_DOC)
    address = ma.fields.Str(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    lng = ma.fields.Float(allow_none=True)
    need_tier = ma.fields.Int(allow_none=True)
    consents = ma.fields.List(ma.fields.Nested(ConsentSchema))


class MeUpdateSchema(ma.Schema):
    name = ma.fields.Str(validate=v.Length(min=1, max=40))
    phone = ma.fields.Str(validate=PHONE, allow_none=True)
    community_id = ma.fields.Int(validate=ID_RANGE, allow_none=True)
    address = ma.fields.Str(validate=v.Length(max=200), allow_none=True)
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)


class CommunitySchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    street_id = ma.fields.Int()
    street = Computed(lambda c: c.street.name, ma.fields.Str())
    district = Computed(lambda c: c.street.district.name, ma.fields.Str())
    lat = ma.fields.Float()
    lng = ma.fields.Float()


class SkillSchema(ma.Schema):
    code = ma.fields.Str()
    name = ma.fields.Str()
    category = ma.fields.Str()


class RoleGrantCreateSchema(ma.Schema):
    openid = ma.fields.Str(required=True, validate=v.Length(min=1, max=64))
    role = ma.fields.Str(required=True, validate=v.OneOf(GRANTABLE))
    # Exactly one scope, of a kind the role takes (server/policy/scope.py ROLE_SCOPE_KINDS).
    community_id = ma.fields.Int(validate=ID_RANGE)
    street_id = ma.fields.Int(validate=ID_RANGE)
    district_id = ma.fields.Int(validate=ID_RANGE)
    grid_id = ma.fields.Int(validate=ID_RANGE)
    unit_id = ma.fields.Int(validate=ID_RANGE)
    station_id = ma.fields.Int(validate=ID_RANGE)  # station keepers


class RoleGrantSchema(ma.Schema):
    id = ma.fields.Int()
    user_id = ma.fields.Int()
    role = ma.fields.Str()
    community_id = ma.fields.Int(allow_none=True)
    street_id = ma.fields.Int(allow_none=True)
    district_id = ma.fields.Int(allow_none=True)
    grid_id = ma.fields.Int(allow_none=True)
    unit_id = ma.fields.Int(allow_none=True)
    station_id = ma.fields.Int(allow_none=True)
    granted_at = LocalDateTime()
    revoked_at = LocalDateTime(allow_none=True)


class GrantResultSchema(ma.Schema):
    user_id = ma.fields.Int()
    role = ma.fields.Str()
    community_id = ma.fields.Int(allow_none=True)
    street_id = ma.fields.Int(allow_none=True)
    district_id = ma.fields.Int(allow_none=True)
    grid_id = ma.fields.Int(allow_none=True)
    unit_id = ma.fields.Int(allow_none=True)
    station_id = ma.fields.Int(allow_none=True)
    grant_id = ma.fields.Int(allow_none=True)
    volunteer_id = ma.fields.Int(allow_none=True)


class NeedTierSchema(ma.Schema):
    need_tier = ma.fields.Int(required=True, allow_none=True, validate=v.Range(min=1, max=3))


class ResidentSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    community_id = ma.fields.Int(allow_none=True)
    # Only a verified phone is shown to staff, masked (None when unverified).
    phone = Computed(lambda u: mask_phone(u.contact_phone), ma.fields.Str(allow_none=True))
    phone_verified_via = Computed(lambda u: u.phone_verified_via if u.contact_phone else None,
                                  ma.fields.Str(allow_none=True, metadata=PHONE_SOURCE_DOC))
    need_tier = ma.fields.Int(allow_none=True)


class RoleListQuerySchema(ma.Schema):
    user_id = ma.fields.Int(validate=ID_RANGE)
