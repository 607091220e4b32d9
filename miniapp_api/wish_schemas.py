"""Schemas for micro-wishes. What a caller sees is decided by server/wishes/policies.py and the
view model server/wishes/queries.WishView; these only lay it out, with a type for every field."""
import marshmallow as ma
from marshmallow import validate as v

from server.wishes.models import CATEGORIES, WishStatus

from .common import ID_RANGE, ContactSchema, LocalDateTime

URL = v.Regexp(r"^https?://[^\s]{1,490}$", error="应为 http(s) 链接")


class WishCreateSchema(ma.Schema):
    title = ma.fields.Str(required=True, validate=v.Length(min=2, max=40))
    description = ma.fields.Str(required=True, validate=v.Length(min=1, max=500))
    category = ma.fields.Str(required=True, validate=v.OneOf(list(CATEGORIES)))
    skills = ma.fields.List(ma.fields.Str(validate=v.Length(min=1, max=40)),
                            validate=v.Length(max=10), load_default=list)
    photos = ma.fields.List(ma.fields.Str(validate=URL), validate=v.Length(max=9))
    needed_by = ma.fields.AwareDateTime(allow_none=True)
    window_start = ma.fields.AwareDateTime(allow_none=True)
    window_end = ma.fields.AwareDateTime(allow_none=True)
    duration_min = ma.fields.Int(validate=v.Range(min=15, max=480))
    estimated_value_fen = ma.fields.Int(validate=v.Range(min=0, max=10_000_000), allow_none=True)
    community_id = ma.fields.Int(validate=ID_RANGE)
    address = ma.fields.Str(validate=v.Length(max=200))
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)
    on_behalf_of = ma.fields.Int(validate=ID_RANGE)  # 代办: a resident the staff caller acts for


class WishWallQuery(ma.Schema):
    status = ma.fields.Str(validate=v.OneOf([s.value for s in WishStatus]))
    community_id = ma.fields.Int(validate=ID_RANGE)
    category = ma.fields.Str(validate=v.OneOf(list(CATEGORIES)))
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)
    radius_m = ma.fields.Int(validate=v.Range(min=100, max=50_000))

    @ma.validates_schema
    def _pair(self, data, **_):
        if ("lat" in data) != ("lng" in data):
            raise ma.ValidationError("经纬度需要同时提供", "lng")


class MineQuery(ma.Schema):
    role = ma.fields.Str(validate=v.OneOf(["owner", "volunteer"]))


class ReviewSchema(ma.Schema):
    decision = ma.fields.Str(required=True, validate=v.OneOf(["approve", "reject"]))
    reason = ma.fields.Str(validate=v.Length(max=200), load_default=None)


class WishReleaseSchema(ma.Schema):
    reason = ma.fields.Str(required=True, validate=v.Length(min=1, max=200))


class FulfilSchema(ma.Schema):
    note = ma.fields.Str(required=True, validate=v.Length(min=1, max=500))
    photo_urls = ma.fields.List(ma.fields.Str(validate=URL), validate=v.Length(max=9),
                                load_default=list)


class ConfirmSchema(ma.Schema):
    rating = ma.fields.Int(required=True, validate=v.Range(min=1, max=5))
    thanks = ma.fields.Str(validate=v.Length(max=200), load_default=None)


def _w(field, attr, **kwargs):
    return field(attribute=f"wish.{attr}", **kwargs)


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


class WishCategorySchema(ma.Schema):
    code = ma.fields.Str()
    name = ma.fields.Str()
