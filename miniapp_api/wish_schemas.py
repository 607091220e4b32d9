"""Schemas for micro-wishes. What a caller sees is decided by server/wishes/policies.py; these
only lay it out (WishView carries the decision)."""
import marshmallow as ma
from marshmallow import validate as v

from server.privacy import mask_name
from server.wishes.models import CATEGORIES, WishStatus

from .common import LocalDateTime

URL = v.Regexp(r"^https?://[^\s]{1,490}$", error="应为 http(s) 链接")
_ID = v.Range(min=1, max=2**31 - 1)


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
    community_id = ma.fields.Int(validate=_ID)
    address = ma.fields.Str(validate=v.Length(max=200))
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)


class WishWallQuery(ma.Schema):
    status = ma.fields.Str(validate=v.OneOf([s.value for s in WishStatus]))
    community_id = ma.fields.Int(validate=_ID)
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


class ContactSchema(ma.Schema):
    name = ma.fields.Str()
    phone = ma.fields.Str(allow_none=True)
    phone_verified_via = ma.fields.Str(allow_none=True)  # wechat | staff; unverified never shown
    address = ma.fields.Str(allow_none=True)
    lat = ma.fields.Float()
    lng = ma.fields.Float()


def _w(attr):
    return ma.fields.Function(lambda view: getattr(view.wish, attr))


def _manager_only(attr):
    return ma.fields.Function(lambda view: getattr(view.wish, attr) if view.is_manager else None)


class WishSchema(ma.Schema):
    id = _w("id")
    title = _w("title")
    description = _w("description")
    category = _w("category")
    category_name = ma.fields.Function(lambda view: CATEGORIES.get(view.wish.category))
    status = _w("status")
    community_id = _w("community_id")
    owner_name = ma.fields.Function(
        lambda view: view.wish.owner.name if view.show_names else mask_name(view.wish.owner.name))
    skills = _w("skills")
    photos = _w("photos")
    needed_by = ma.fields.Function(lambda view: _iso(view.wish.needed_by))
    window_start = ma.fields.Function(lambda view: _iso(view.wish.window_start))
    window_end = ma.fields.Function(lambda view: _iso(view.wish.window_end))
    estimated_value_fen = _w("estimated_value_fen")
    # Coarse position only (about 1 km): homes are not published on the wall.
    approx_lat = ma.fields.Function(lambda view: round(view.wish.lat, 2))
    approx_lng = ma.fields.Function(lambda view: round(view.wish.lng, 2))
    distance_m = ma.fields.Function(lambda view: view.distance_m)
    claimed_by = _w("claimed_by")
    claimed_by_name = ma.fields.Function(
        lambda view: view.claimer_name if view.show_names else mask_name(view.claimer_name)
        if view.claimer_name else None)
    claimed_at = ma.fields.Function(lambda view: _iso(view.wish.claimed_at))
    fulfilled_at = ma.fields.Function(lambda view: _iso(view.wish.fulfilled_at))
    fulfil_note = _w("fulfil_note")
    fulfil_photos = _w("fulfil_photos")
    confirmed_at = ma.fields.Function(lambda view: _iso(view.wish.confirmed_at))
    rating = _w("rating")
    thanks = _w("thanks")
    created_at = ma.fields.Function(lambda view: _iso(view.wish.created_at))
    contact = ma.fields.Function(lambda view: _contact(view))
    priority = _manager_only("priority")
    content_check = _manager_only("content_check")
    review_reason = ma.fields.Function(
        lambda view: view.wish.review_reason if view.is_manager or view.show_names else None)


_LOCAL = LocalDateTime()  # one field for every timestamp of every row (a field per call costs)


def _iso(value):
    return _LOCAL._serialize(value, None, None) if value is not None else None


def _contact(view):
    if not view.show_contact:
        return None
    wish = view.wish
    return {"name": wish.owner.name, "phone": view.owner_phone,
            "phone_verified_via": view.owner_phone_verified_via, "address": wish.address,
            "lat": wish.lat, "lng": wish.lng}


class WishCreatedSchema(ma.Schema):
    id = ma.fields.Int()
    status = ma.fields.Str()
    content_check = ma.fields.Str()


class WishCategorySchema(ma.Schema):
    code = ma.fields.Str()
    name = ma.fields.Str()
