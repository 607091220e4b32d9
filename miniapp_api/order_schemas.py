"""Schemas for service offerings and orders. What a caller sees is decided in
server/orders (policies, OrderView); these only lay it out."""
from datetime import date

import marshmallow as ma
from marshmallow import validate as v

from server.orders.models import CATEGORIES, MODES, OrderStatus
from server.privacy import mask_name, mask_phone

from .common import ID_RANGE, Computed, ContactSchema, LocalDateTime

# Calendar days a person might pick; far-off years would overflow time-zone arithmetic.
DAY_RANGE = v.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))
_SKILLS = dict(validate=v.Length(max=10))


def _skills(**kwargs):
    return ma.fields.List(ma.fields.Str(validate=v.Length(min=1, max=40)), **_SKILLS, **kwargs)


def _lat():
    return ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)


def _lng():
    return ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)


def _pair(data):
    if ("lat" in data) != ("lng" in data):
        raise ma.ValidationError("经纬度需要同时提供", "lng")


# --- offerings in ------------------------------------------------------------------------------

class SlotInSchema(ma.Schema):
    id = ma.fields.Int(validate=ID_RANGE)  # PATCH only: an existing slot to change
    start = ma.fields.AwareDateTime(required=True)
    end = ma.fields.AwareDateTime(required=True)
    capacity = ma.fields.Int(required=True, validate=v.Range(min=1, max=500))

    @ma.validates_schema
    def _ordered(self, data, **_):
        if data["start"] >= data["end"]:
            raise ma.ValidationError("结束时间必须晚于开始时间", "end")


class NewSlotSchema(SlotInSchema):
    class Meta:
        exclude = ("id",)


class OfferingCreateSchema(ma.Schema):
    title = ma.fields.Str(required=True, validate=v.Length(min=2, max=40))
    category = ma.fields.Str(required=True, validate=v.OneOf(list(CATEGORIES)))
    skills = _skills(load_default=list)
    mode = ma.fields.Str(required=True, validate=v.OneOf(MODES))
    venue = ma.fields.Str(validate=v.Length(min=1, max=100))
    venue_id = ma.fields.Int(validate=ID_RANGE)
    description = ma.fields.Str(validate=v.Length(max=500), load_default="")
    slots = ma.fields.List(ma.fields.Nested(NewSlotSchema), required=True,
                           validate=v.Length(min=1, max=50))
    community_id = ma.fields.Int(validate=ID_RANGE)
    provider_id = ma.fields.Int(validate=ID_RANGE)
    unit_id = ma.fields.Int(validate=ID_RANGE)
    lat = _lat()
    lng = _lng()

    @ma.validates_schema
    def _pairs(self, data, **_):
        _pair(data)


class OfferingEditSchema(ma.Schema):
    title = ma.fields.Str(validate=v.Length(min=2, max=40))
    category = ma.fields.Str(validate=v.OneOf(list(CATEGORIES)))
    skills = _skills()
    venue = ma.fields.Str(validate=v.Length(min=1, max=100))
    venue_id = ma.fields.Int(validate=ID_RANGE)
    description = ma.fields.Str(validate=v.Length(max=500))
    slots = ma.fields.List(ma.fields.Nested(SlotInSchema), validate=v.Length(min=1, max=50))
    lat = _lat()
    lng = _lng()

    @ma.validates_schema
    def _pairs(self, data, **_):
        _pair(data)


class WithdrawSchema(ma.Schema):
    reason = ma.fields.Str(validate=v.Length(min=1, max=200), load_default=None)


class MenuQuery(ma.Schema):
    category = ma.fields.Str(validate=v.OneOf(list(CATEGORIES)))
    community_id = ma.fields.Int(validate=ID_RANGE)
    mode = ma.fields.Str(validate=v.OneOf(MODES))
    date = ma.fields.Date(validate=DAY_RANGE)
    available = ma.fields.Bool()
    lat = _lat()
    lng = _lng()
    radius_m = ma.fields.Int(validate=v.Range(min=100, max=50_000))

    @ma.validates_schema
    def _pairs(self, data, **_):
        _pair(data)


# --- offerings out -----------------------------------------------------------------------------

class SlotSchema(ma.Schema):
    id = ma.fields.Int()
    start = LocalDateTime(attribute="start_at")
    end = LocalDateTime(attribute="end_at")
    capacity = ma.fields.Int()
    booked = ma.fields.Int()
    remaining = ma.fields.Int()


def _o(field, attr, **kwargs):
    return field(attribute=f"offering.{attr}", **kwargs)


class OfferingSchema(ma.Schema):
    id = _o(ma.fields.Int, "id")
    title = _o(ma.fields.Str, "title")
    category = _o(ma.fields.Str, "category")
    category_name = Computed(lambda view: CATEGORIES.get(view.offering.category),
                             ma.fields.Str(allow_none=True))
    skills = ma.fields.List(ma.fields.Str(), attribute="offering.skills")
    mode = _o(ma.fields.Str, "mode")
    venue = _o(ma.fields.Str, "venue", allow_none=True)
    venue_id = _o(ma.fields.Int, "venue_id", allow_none=True)
    description = _o(ma.fields.Str, "description")
    community_id = _o(ma.fields.Int, "community_id")
    community = Computed(lambda view: view.offering.community.name, ma.fields.Str())
    # The coarse position (server/policy/location.py): a home visit's is the volunteer's home.
    lat = ma.fields.Float()
    lng = ma.fields.Float()
    distance_m = ma.fields.Int(allow_none=True)
    provider_id = _o(ma.fields.Int, "provider_id", allow_none=True)
    provider_name = Computed(
        lambda view: mask_name(view.offering.provider.user.name)
        if view.offering.provider else None, ma.fields.Str(allow_none=True))
    unit_id = _o(ma.fields.Int, "unit_id", allow_none=True)
    unit = Computed(lambda view: view.offering.unit.name if view.offering.unit else None,
                    ma.fields.Str(allow_none=True))
    status = _o(ma.fields.Str, "status")
    slots = ma.fields.List(ma.fields.Nested(SlotSchema))
    created_at = _o(LocalDateTime, "created_at")


class ServiceCategorySchema(ma.Schema):
    code = ma.fields.Str()
    name = ma.fields.Str()


# --- orders in ---------------------------------------------------------------------------------

class OrderCreateSchema(ma.Schema):
    """Either a slot booking {service_id, slot_id, note?} or a home visit with no chosen
    provider {category, skills?, window_start, window_end, duration_min?, note?}."""
    on_behalf_of = ma.fields.Int(validate=ID_RANGE)  # 代办: a resident the staff caller acts for
    service_id = ma.fields.Int(validate=ID_RANGE)
    slot_id = ma.fields.Int(validate=ID_RANGE)
    note = ma.fields.Str(validate=v.Length(max=200))
    category = ma.fields.Str(validate=v.OneOf(list(CATEGORIES)))
    skills = _skills()
    window_start = ma.fields.AwareDateTime()
    window_end = ma.fields.AwareDateTime()
    duration_min = ma.fields.Int(validate=v.Range(min=15, max=480))

    @ma.validates_schema
    def _one_kind(self, data, **_):
        booking = {"service_id", "slot_id"} & set(data)
        visit = {"category", "skills", "window_start", "window_end", "duration_min"} & set(data)
        if booking and visit:
            raise ma.ValidationError("预约时段和上门服务请求不能混在一起", "_schema")
        if booking or not visit:
            for key in ("service_id", "slot_id"):
                if key not in data:
                    raise ma.ValidationError("此项必填", key)
            return
        for key in ("category", "window_start", "window_end"):
            if key not in data:
                raise ma.ValidationError("此项必填", key)
        if data["window_start"] >= data["window_end"]:
            raise ma.ValidationError("结束时间必须晚于开始时间", "window_end")


def _not_blank(value: str) -> None:
    """A reason of only spaces or tabs tells the other side nothing (and WeChat refuses it)."""
    if not value.strip():
        raise ma.ValidationError("请填写原因")


class CancelSchema(ma.Schema):
    reason = ma.fields.Str(required=True, validate=[v.Length(min=1, max=200), _not_blank])


class NoteSchema(ma.Schema):
    note = ma.fields.Str(validate=v.Length(max=200), load_default=None)


class RateSchema(ma.Schema):
    rating = ma.fields.Int(required=True, strict=True, validate=v.Range(min=1, max=5))
    comment = ma.fields.Str(validate=v.Length(max=200), load_default=None)


class AssignSchema(ma.Schema):
    volunteer_id = ma.fields.Int(required=True, validate=ID_RANGE)


class OrderReleaseSchema(ma.Schema):
    reason = ma.fields.Str(validate=v.Length(max=200), load_default=None)


class MyOrdersQuery(ma.Schema):
    role = ma.fields.Str(validate=v.OneOf(["resident", "provider"]))
    status = ma.fields.Str(validate=v.OneOf([s.value for s in OrderStatus]))


class CommunityOrdersQuery(ma.Schema):
    community_id = ma.fields.Int(validate=ID_RANGE)
    status = ma.fields.Str(validate=v.OneOf([s.value for s in OrderStatus]))
    kind = ma.fields.Str(validate=v.OneOf(["slot", "visit"]))
    unassigned = ma.fields.Bool()


# --- orders out --------------------------------------------------------------------------------

def _r(field, attr, **kwargs):
    return field(attribute=f"order.{attr}", **kwargs)


def _contact(view):
    if not view.show_contact:
        return None
    resident = view.order.resident
    return {"name": resident.name, "phone": resident.phone_for(view.viewer_id),
            "phone_verified_via": resident.phone_source_for(view.viewer_id),
            "address": resident.address,
            "lat": view.order.lat, "lng": view.order.lng}


class OrderSchema(ma.Schema):
    id = _r(ma.fields.Int, "id")
    kind = _r(ma.fields.Str, "kind")
    mode = _r(ma.fields.Str, "mode")
    status = _r(ma.fields.Str, "status")
    service_id = _r(ma.fields.Int, "offering_id", allow_none=True)
    slot_id = _r(ma.fields.Int, "slot_id", allow_none=True)
    title = _r(ma.fields.Str, "title")
    category = _r(ma.fields.Str, "category")
    category_name = Computed(lambda view: CATEGORIES.get(view.order.category),
                             ma.fields.Str(allow_none=True))
    skills = ma.fields.List(ma.fields.Str(), attribute="order.skills")
    note = _r(ma.fields.Str, "note", allow_none=True)
    window_start = _r(LocalDateTime, "window_start")
    window_end = _r(LocalDateTime, "window_end")
    duration_min = _r(ma.fields.Int, "duration_min")
    community_id = _r(ma.fields.Int, "community_id")
    resident_name = Computed(
        lambda view: view.order.resident.name if view.show_contact
        else mask_name(view.order.resident.name), ma.fields.Str())
    resident_phone = Computed(
        lambda view: view.order.resident.phone_for(view.viewer_id) if view.show_contact
        else mask_phone(view.order.resident.phone_for(view.viewer_id)),
        ma.fields.Str(allow_none=True))
    resident_phone_verified_via = Computed(
        lambda view: view.order.resident.phone_source_for(view.viewer_id),
        ma.fields.Str(allow_none=True))
    contact = Computed(_contact, ma.fields.Nested(ContactSchema, allow_none=True))
    provider_id = _r(ma.fields.Int, "provider_id", allow_none=True)
    provider_name = Computed(
        lambda view: mask_name(view.order.provider.user.name) if view.order.provider else None,
        ma.fields.Str(allow_none=True))
    created_at = _r(LocalDateTime, "created_at")
    assigned_at = _r(LocalDateTime, "assigned_at", allow_none=True)
    accepted_at = _r(LocalDateTime, "accepted_at", allow_none=True)
    done_at = _r(LocalDateTime, "done_at", allow_none=True)
    completion_note = _r(ma.fields.Str, "completion_note", allow_none=True)
    rated_at = _r(LocalDateTime, "rated_at", allow_none=True)
    rating = _r(ma.fields.Int, "rating", allow_none=True)
    comment = _r(ma.fields.Str, "comment", allow_none=True)
    closed_at = _r(LocalDateTime, "closed_at", allow_none=True)
    close_reason = _r(ma.fields.Str, "close_reason", allow_none=True)
