"""The shapes of the volunteer endpoints (miniapp_api/volunteers.py): the application with its
weekly availability, the volunteer as shown (phone whole only to self and own secretary)."""
import re

import marshmallow as ma
from marshmallow import validate as v

from server.enums import VolunteerStatus
from server.privacy import mask_phone

from .common import ID_RANGE, Computed, LocalDateTime

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
STATUSES = [status.value for status in VolunteerStatus]


class WindowSchema(ma.Schema):
    weekday = ma.fields.Int(required=True, validate=v.Range(min=0, max=6))
    start = ma.fields.Str(required=True, validate=v.Regexp(_HHMM, error="时间格式应为 HH:MM"))
    end = ma.fields.Str(required=True, validate=v.Regexp(_HHMM, error="时间格式应为 HH:MM"))

    @ma.validates_schema
    def _ordered(self, data, **_):
        if data["start"] >= data["end"]:
            raise ma.ValidationError("结束时间必须晚于开始时间", "end")


class ApplySchema(ma.Schema):
    skills = ma.fields.List(ma.fields.Str(validate=v.Length(min=1, max=40)), required=True,
                            validate=v.Length(max=20))
    availability = ma.fields.List(ma.fields.Nested(WindowSchema), required=True,
                                  validate=v.Length(min=1, max=28))
    capacity_per_day = ma.fields.Int(required=True, validate=v.Range(min=1, max=10))
    unit = ma.fields.Str(validate=v.Length(min=1, max=80))
    unit_id = ma.fields.Int(validate=ID_RANGE)
    community_id = ma.fields.Int(validate=ID_RANGE)
    max_distance_m = ma.fields.Int(validate=v.Range(min=200, max=50000))
    lat = ma.fields.Float(required=True, validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(required=True, validate=v.Range(min=-180, max=180), allow_nan=False)


class VolunteerSchema(ma.Schema):
    id = ma.fields.Int()
    user_id = ma.fields.Int()
    name = Computed(lambda vol: vol.user.name, ma.fields.Str())
    # Only a verified phone (wechat/staff) is shown, whole to self and own secretary.
    phone = Computed(lambda vol: vol.user.contact_phone if getattr(vol, "show_phone", False)
                     else mask_phone(vol.user.contact_phone), ma.fields.Str(allow_none=True))
    phone_verified_via = Computed(lambda vol: vol.user.phone_source_for(None),
                                  ma.fields.Str(allow_none=True))
    status = ma.fields.Str()
    community_id = ma.fields.Int()
    unit_id = ma.fields.Int(allow_none=True)
    unit = Computed(lambda vol: vol.unit.name if vol.unit else None, ma.fields.Str(allow_none=True))
    skills = ma.fields.List(ma.fields.Str())
    availability = ma.fields.List(ma.fields.Nested(WindowSchema))
    capacity_per_day = ma.fields.Int()
    max_distance_m = ma.fields.Int()
    applied_at = LocalDateTime()
    reviewed_at = LocalDateTime(allow_none=True)
    review_reason = ma.fields.Str(allow_none=True)


class VolunteerListQuery(ma.Schema):
    status = ma.fields.Str(validate=v.OneOf(STATUSES))
    community_id = ma.fields.Int(validate=ID_RANGE)
