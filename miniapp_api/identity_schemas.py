"""Schemas for identity: login, the user, communities, skills, consents, roles."""
import marshmallow as ma
from marshmallow import validate as v

from server.identity.models import PhoneSource
from server.identity.roles import GRANTABLE
from server.identity.services import CONSENT_PURPOSES
from server.privacy import mask_phone

from .common import Computed, LocalDateTime
from .fields import (
    CodeName,
    IdName,
    choice_in,
    id_in,
    int_in,
    lat_in,
    lng_in,
    opt_float,
    opt_int,
    opt_str,
    opt_when,
    rows_of,
    str_list,
    text_in,
    upto,
)

PHONE_SOURCES = [s.value for s in PhoneSource]
PHONE = v.Regexp(r"^1\d{10}$", error="请输入 11 位手机号")


def _wechat_code() -> ma.fields.Str:
    """A one-time code from WeChat (wx.login, getPhoneNumber)."""
    return text_in(200, required=True)


class LoginSchema(ma.Schema):
    code = _wechat_code()


class PhoneCodeSchema(ma.Schema):
    code = _wechat_code()


class UnitSchema(IdName):
    kind = ma.fields.Str()


class UserBriefSchema(IdName):
    roles = Computed(lambda user: sorted(getattr(user, "roles", ["resident"])), str_list())
    community_id = opt_int()
    volunteer_status = Computed(lambda user: getattr(user, "volunteer_status", None), opt_str())


class LoginResultSchema(ma.Schema):
    token = ma.fields.Str()
    expires_in = ma.fields.Int()
    user = ma.fields.Nested(UserBriefSchema)


class ConsentSchema(ma.Schema):
    id = ma.fields.Int(dump_only=True)
    purpose = choice_in(CONSENT_PURPOSES, required=True)
    policy_version = text_in(20, load_default=None)
    granted_at = LocalDateTime(dump_only=True)
    withdrawn_at = opt_when(dump_only=True)


PHONE_SOURCE_DOC = {"description": "手机号来源：wechat 微信验证、staff 工作人员登记；null 为本人填写、未验证"
                    "（未验证的号码不会展示给他人）", "enum": [*PHONE_SOURCES, None]}


class MeSchema(UserBriefSchema):
    phone = opt_str()
    phone_verified_via = opt_str(metadata=PHONE_SOURCE_DOC)
    address = opt_str()
    lat = opt_float()
    lng = opt_float()
    need_tier = opt_int()
    consents = rows_of(ConsentSchema)


class MeUpdateSchema(ma.Schema):
    name = text_in(40)
    phone = ma.fields.Str(validate=PHONE, allow_none=True)
    community_id = id_in(allow_none=True)
    address = upto(200, allow_none=True)
    lat = lat_in()
    lng = lng_in()


class CommunitySchema(IdName):
    street_id = ma.fields.Int()
    street = Computed(lambda c: c.street.name, ma.fields.Str())
    district = Computed(lambda c: c.street.district.name, ma.fields.Str())
    lat = ma.fields.Float()
    lng = ma.fields.Float()


class SkillSchema(CodeName):
    category = ma.fields.Str()


class RoleGrantCreateSchema(ma.Schema):
    openid = text_in(64, required=True)
    role = choice_in(GRANTABLE, required=True)
    # Exactly one scope, of a kind the role takes (server/policy/scope.py ROLE_SCOPE_KINDS).
    community_id = id_in()
    street_id = id_in()
    district_id = id_in()
    grid_id = id_in()
    unit_id = id_in()
    station_id = id_in()  # station keepers


class GrantScopeSchema(ma.Schema):
    """A role as granted to a user, with its one scope (the other scope ids are null)."""
    user_id = ma.fields.Int()
    role = ma.fields.Str()
    community_id = opt_int()
    street_id = opt_int()
    district_id = opt_int()
    grid_id = opt_int()
    unit_id = opt_int()
    station_id = opt_int()


class RoleGrantSchema(GrantScopeSchema):
    id = ma.fields.Int()
    granted_at = LocalDateTime()
    revoked_at = opt_when()


class GrantResultSchema(GrantScopeSchema):
    grant_id = opt_int()
    volunteer_id = opt_int()


class NeedTierSchema(ma.Schema):
    need_tier = int_in(1, 3, required=True, allow_none=True)


class ResidentSchema(IdName):
    community_id = opt_int()
    # Only a verified phone is shown to staff, masked (None when unverified).
    phone = Computed(lambda u: mask_phone(u.contact_phone), opt_str())
    phone_verified_via = Computed(lambda u: u.phone_verified_via if u.contact_phone else None,
                                  opt_str(metadata=PHONE_SOURCE_DOC))
    need_tier = opt_int()


class RoleListQuerySchema(ma.Schema):
    user_id = id_in()
