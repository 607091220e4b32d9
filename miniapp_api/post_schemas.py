"""Schemas of posts (设岗定职), holders and duty logs; shapes only (server/posts decides)."""
import marshmallow as ma
from marshmallow import validate as v

from server.posts.models import HolderStatus, LogStatus
from server.privacy import mask_name

from .common import Computed, LocalDateTime

_ID = v.Range(min=1, max=2**31 - 1)


class PostCreateSchema(ma.Schema):
    name = ma.fields.Str(required=True, validate=v.Length(min=2, max=40))
    community_id = ma.fields.Int(required=True, validate=_ID)
    duties = ma.fields.Str(required=True, validate=v.Length(min=2, max=500))
    seats = ma.fields.Int(required=True, validate=v.Range(min=1, max=100))


class PostListQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)


class HolderInSchema(ma.Schema):
    volunteer_id = ma.fields.Int(required=True, validate=_ID)


class HolderEndSchema(ma.Schema):
    reason = ma.fields.Str(validate=v.Length(max=200))


class LogInSchema(ma.Schema):
    note = ma.fields.Str(required=True, validate=v.Length(min=2, max=500))
    hours = ma.fields.Float(required=True, allow_nan=False, validate=v.Range(min=0.1, max=24))


class LogDecisionSchema(ma.Schema):
    decision = ma.fields.Str(required=True, validate=v.OneOf(["confirm", "reject"]))
    reason = ma.fields.Str(validate=v.Length(max=200))


class HolderSchema(ma.Schema):
    id = ma.fields.Int()
    post_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    name = Computed(lambda h: mask_name(h.volunteer.user.name), ma.fields.Str())
    status = ma.fields.Str(metadata={"enum": [s.value for s in HolderStatus]})
    started_at = LocalDateTime()
    ended_at = LocalDateTime(allow_none=True)
    end_reason = ma.fields.Str(allow_none=True)


class PostSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    community_id = ma.fields.Int()
    duties = ma.fields.Str()
    seats = ma.fields.Int()
    held = ma.fields.Int()
    remaining = ma.fields.Int()
    created_at = LocalDateTime()
    holders = Computed(lambda post: HolderSchema(many=True).dump(
        [h for h in post.holders if h.status == HolderStatus.ACTIVE]),
        ma.fields.List(ma.fields.Nested(HolderSchema)))


class PostLogSchema(ma.Schema):
    id = ma.fields.Int()
    post_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    note = ma.fields.Str()
    hours = ma.fields.Float()
    status = ma.fields.Str(metadata={"enum": [s.value for s in LogStatus]})
    created_at = LocalDateTime()
    decided_at = LocalDateTime(allow_none=True)
    decision_reason = ma.fields.Str(allow_none=True)
