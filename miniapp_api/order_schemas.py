"""Schemas for service offerings and orders. What a caller sees is decided in
server/orders (policies, OrderView); these only lay it out."""
import marshmallow as ma
from marshmallow import validate as v

from server.orders.models import CATEGORIES, MODES, OrderStatus
from server.privacy import mask_name, mask_phone

from .common import Computed, ContactSchema, LocalDateTime, ReasonSchema
from .fields import (
    DAY_RANGE,  # noqa: F401 (service_days imports it from here)
    CodeName,
    LatLngPaired,
    choice_in,
    day_in,
    id_in,
    int_in,
    lat_in,
    lng_in,
    nearby,
    opt_int,
    opt_str,
    read_from,
    req_id,
    rows_of,
    skills_in,
    str_list,
    text_in,
    upto,
)


def _title_in(**kwargs) -> ma.fields.Str:
    return text_in(40, min_len=2, **kwargs)


# --- offerings in ------------------------------------------------------------------------------

class SlotInSchema(ma.Schema):
    id = id_in()  # PATCH only: an existing slot to change
    start = ma.fields.AwareDateTime(required=True)
    end = ma.fields.AwareDateTime(required=True)
    capacity = int_in(1, 500, required=True)

    @ma.validates_schema
    def _ordered(self, data, **_):
        if data["start"] >= data["end"]:
            raise ma.ValidationError("结束时间必须晚于开始时间", "end")


class NewSlotSchema(SlotInSchema):
    class Meta:
        exclude = ("id",)


def _slots(schema: type[ma.Schema], **kwargs) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(schema), validate=v.Length(min=1, max=50), **kwargs)


class OfferingCreateSchema(LatLngPaired):
    title = _title_in(required=True)
    category = choice_in(CATEGORIES, required=True)
    skills = skills_in(load_default=list)
    mode = choice_in(MODES, required=True)
    venue = text_in(100)
    venue_id = id_in()
    description = upto(500, load_default="")
    slots = _slots(NewSlotSchema, required=True)
    community_id = id_in()
    provider_id = id_in()
    unit_id = id_in()
    lat = lat_in()
    lng = lng_in()


class OfferingEditSchema(LatLngPaired):
    title = _title_in()
    category = choice_in(CATEGORIES)
    skills = skills_in()
    venue = text_in(100)
    venue_id = id_in()
    description = upto(500)
    slots = _slots(SlotInSchema)
    lat = lat_in()
    lng = lng_in()


class WithdrawSchema(ma.Schema):
    reason = text_in(200, load_default=None)


@nearby
class MenuQuery(ma.Schema):
    category = choice_in(CATEGORIES)
    community_id = id_in()
    mode = choice_in(MODES)
    date = day_in()
    available = ma.fields.Bool()


# --- offerings out -----------------------------------------------------------------------------

class SlotSchema(ma.Schema):
    id = ma.fields.Int()
    start = LocalDateTime(attribute="start_at")
    end = LocalDateTime(attribute="end_at")
    capacity = ma.fields.Int()
    booked = ma.fields.Int()
    remaining = ma.fields.Int()


_o = read_from("offering")


class OfferingSchema(ma.Schema):
    id = _o(ma.fields.Int, "id")
    title = _o(ma.fields.Str, "title")
    category = _o(ma.fields.Str, "category")
    category_name = Computed(lambda view: CATEGORIES.get(view.offering.category),
                             opt_str())
    skills = str_list(attribute="offering.skills")
    mode = _o(ma.fields.Str, "mode")
    venue = _o(ma.fields.Str, "venue", allow_none=True)
    venue_id = _o(ma.fields.Int, "venue_id", allow_none=True)
    description = _o(ma.fields.Str, "description")
    community_id = _o(ma.fields.Int, "community_id")
    community = Computed(lambda view: view.offering.community.name, ma.fields.Str())
    # The coarse position (server/policy/location.py): a home visit's is the volunteer's home.
    lat = ma.fields.Float()
    lng = ma.fields.Float()
    distance_m = opt_int()
    provider_id = _o(ma.fields.Int, "provider_id", allow_none=True)
    provider_name = Computed(
        lambda view: mask_name(view.offering.provider.user.name)
        if view.offering.provider else None, opt_str())
    unit_id = _o(ma.fields.Int, "unit_id", allow_none=True)
    unit = Computed(lambda view: view.offering.unit.name if view.offering.unit else None,
                    opt_str())
    status = _o(ma.fields.Str, "status")
    slots = rows_of(SlotSchema)
    created_at = _o(LocalDateTime, "created_at")


class ServiceCategorySchema(CodeName):
    """A service category: its code and name."""


# --- orders in ---------------------------------------------------------------------------------

class OrderCreateSchema(ma.Schema):
    """Either a slot booking {service_id, slot_id, note?} or a home visit with no chosen
    provider {category, skills?, window_start, window_end, duration_min?, note?}."""
    on_behalf_of = id_in()  # 代办: a resident the staff caller acts for
    service_id = id_in()
    slot_id = id_in()
    note = upto(200)
    category = choice_in(CATEGORIES)
    skills = skills_in()
    window_start = ma.fields.AwareDateTime()
    window_end = ma.fields.AwareDateTime()
    duration_min = int_in(15, 480)

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
    note = upto(200, load_default=None)


class RateSchema(ma.Schema):
    rating = int_in(1, 5, required=True, strict=True)
    comment = upto(200, load_default=None)


class AssignSchema(ma.Schema):
    volunteer_id = req_id()


class OrderReleaseSchema(ReasonSchema):
    """Why the volunteer hands the order back (optional)."""


class MyOrdersQuery(ma.Schema):
    role = choice_in(["resident", "provider"])
    status = choice_in(OrderStatus)


class CommunityOrdersQuery(ma.Schema):
    community_id = id_in()
    status = choice_in(OrderStatus)
    kind = choice_in(["slot", "visit"])
    unassigned = ma.fields.Bool()


# --- orders out --------------------------------------------------------------------------------

_r = read_from("order")


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
                             opt_str())
    skills = str_list(attribute="order.skills")
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
        opt_str())
    resident_phone_verified_via = Computed(
        lambda view: view.order.resident.phone_source_for(view.viewer_id),
        opt_str())
    contact = Computed(_contact, ma.fields.Nested(ContactSchema, allow_none=True))
    provider_id = _r(ma.fields.Int, "provider_id", allow_none=True)
    provider_name = Computed(
        lambda view: mask_name(view.order.provider.user.name) if view.order.provider else None,
        opt_str())
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
