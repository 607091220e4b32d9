"""Volunteer endpoints: apply, review (准入), leave (准出), the secretary's list."""
import re

import marshmallow as ma
from marshmallow import validate as v

from server.privacy import mask_phone
from server.volunteers import services

from .common import ID_RANGE, Computed, LocalDateTime, ReasonSchema, current_actor
from .routes import Blueprint

blp = Blueprint("volunteers", __name__, description="志愿者申请、准入审核与准出")

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
STATUSES = ["pending", "active", "rejected", "left"]


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


@blp.acts("/volunteers/apply", VolunteerSchema, ApplySchema, status=201)
def apply(body):
    """申请成为志愿者（填写技能、服务时间、每日可接任务数）"""
    return services.apply_volunteer(current_actor(), body)


@blp.lists("/volunteers", VolunteerListQuery, VolunteerSchema)
def list_volunteers(query):
    """本社区志愿者名单（书记）"""
    return services.list_volunteers(current_actor(), query.get("status"), query.get("community_id"))


@blp.reads("/volunteers/me", VolunteerSchema)
def my_volunteer():
    """我的志愿者档案"""
    return services.get_my_volunteer(current_actor())


@blp.acts("/volunteers/me/leave", VolunteerSchema, ReasonSchema)
def leave(body):
    """退出志愿者队伍（准出）"""
    return services.leave_volunteering(current_actor(), body.get("reason"))


@blp.reads("/volunteers/<int:volunteer_id>", VolunteerSchema)
def get_volunteer(volunteer_id):
    """志愿者档案（本人或所在社区书记）"""
    return services.get_volunteer(current_actor(), volunteer_id)


@blp.acts("/volunteers/<int:volunteer_id>/approve", VolunteerSchema, ReasonSchema)
def approve(body, volunteer_id):
    """准入：批准志愿者申请（本社区书记）"""
    return services.review_volunteer(current_actor(), volunteer_id, True, body.get("reason"))


@blp.acts("/volunteers/<int:volunteer_id>/reject", VolunteerSchema, ReasonSchema)
def reject(body, volunteer_id):
    """驳回志愿者申请（本社区书记）"""
    return services.review_volunteer(current_actor(), volunteer_id, False, body.get("reason"))
