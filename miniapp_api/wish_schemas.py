"""Schemas for micro-wishes. What a caller sees is decided by server/wishes/policies.py and the
view model server/wishes/queries.WishView; these only lay it out, with a type for every field."""
import marshmallow as ma
from marshmallow import validate as v

from server.wishes.models import CATEGORIES, WishStatus

from .common import ContactSchema, LocalDateTime
from .fields import (
    CodeName,
    DecisionBody,
    choice_in,
    decision_in,
    id_in,
    int_in,
    lat_in,
    lng_in,
    nearby,
    read_from,
    reason_in,
    reason_req,
    skills_in,
    text_in,
    upto,
)

URL = v.Regexp(r"^https?://[^\s]{1,490}$", error="应为 http(s) 链接")


def _photos_in(**kwargs) -> ma.fields.List:
    """Up to 9 photo links (http or https)."""
    return ma.fields.List(ma.fields.Str(validate=URL), validate=v.Length(max=9), **kwargs)


class WishCreateSchema(ma.Schema):
    title = text_in(40, min_len=2, required=True)
    description = text_in(500, required=True)
    category = choice_in(CATEGORIES, required=True)
    skills = skills_in(load_default=list)
    photos = _photos_in()
    needed_by = ma.fields.AwareDateTime(allow_none=True)
    window_start = ma.fields.AwareDateTime(allow_none=True)
    window_end = ma.fields.AwareDateTime(allow_none=True)
    duration_min = int_in(15, 480)
    estimated_value_fen = int_in(0, 10_000_000, allow_none=True)
    community_id = id_in()
    address = upto(200)
    lat = lat_in()
    lng = lng_in()
    on_behalf_of = id_in()  # 代办: a resident the staff caller acts for


@nearby
class WishWallQuery(ma.Schema):
    status = choice_in(WishStatus)
    community_id = id_in()
    category = choice_in(CATEGORIES)


class MineQuery(ma.Schema):
    role = choice_in(["owner", "volunteer"])


class ReviewSchema(DecisionBody):
    decision = decision_in(["approve", "reject"])
    reason = reason_in(load_default=None)


class WishReleaseSchema(ma.Schema):
    reason = reason_req()


class FulfilSchema(ma.Schema):
    note = text_in(500, required=True)
    photo_urls = _photos_in(load_default=list)


class ConfirmSchema(ma.Schema):
    rating = int_in(1, 5, required=True)
    thanks = upto(200, load_default=None)


_w = read_from("wish")


def _opt(field, **kwargs):
    """A field the view model (server/wishes/queries.WishView) leaves None for callers who may
    not see it."""
    return field(allow_none=True, **kwargs)


_STR_LIST = dict(cls_or_instance=ma.fields.Str())


class WishSchema(ma.Schema):
    """One wish as server/wishes/queries.view_of decided the caller may see it (typed fields;
    nullable where a caller may not see the value or it is not set yet)."""
    id = _w(ma.fields.Int, "id")
    title = _w(ma.fields.Str, "title")
    description = _w(ma.fields.Str, "description")
    category = _w(ma.fields.Str, "category")
    category_name = _opt(ma.fields.Str)
    status = _w(ma.fields.Str, "status")
    community_id = _w(ma.fields.Int, "community_id")
    owner_name = ma.fields.Str()
    skills = _w(ma.fields.List, "skills", **_STR_LIST)
    photos = _w(ma.fields.List, "photos", **_STR_LIST)
    needed_by = _w(LocalDateTime, "needed_by", allow_none=True)
    window_start = _w(LocalDateTime, "window_start", allow_none=True)
    window_end = _w(LocalDateTime, "window_end", allow_none=True)
    estimated_value_fen = _w(ma.fields.Int, "estimated_value_fen", allow_none=True)
    # The coarse position only (server/policy/location.py): homes are not published.
    approx_lat = ma.fields.Float()
    approx_lng = ma.fields.Float()
    distance_m = _opt(ma.fields.Int)
    claimed_by = _opt(ma.fields.Int)
    claimed_by_name = _opt(ma.fields.Str)
    claimed_at = _w(LocalDateTime, "claimed_at", allow_none=True)
    fulfilled_at = _w(LocalDateTime, "fulfilled_at", allow_none=True)
    fulfil_note = _opt(ma.fields.Str)
    fulfil_photos = _opt(ma.fields.List, **_STR_LIST)
    confirmed_at = _w(LocalDateTime, "confirmed_at", allow_none=True)
    rating = _opt(ma.fields.Int)
    thanks = _opt(ma.fields.Str)
    created_at = _w(LocalDateTime, "created_at")
    contact = _opt(ma.fields.Nested, nested=ContactSchema)
    priority = _opt(ma.fields.Int)
    content_check = _opt(ma.fields.Str)
    review_reason = _opt(ma.fields.Str)


class WishCreatedSchema(ma.Schema):
    id = ma.fields.Int()
    status = ma.fields.Str()
    content_check = ma.fields.Str()


class WishCategorySchema(CodeName):
    """A wish category: its code and name."""
