"""Schemas of posts (设岗定职), holders and duty logs; shapes only (server/posts decides)."""
import marshmallow as ma
from marshmallow import validate as v

from server.posts.models import HolderStatus, LogStatus

from .common import Computed, LocalDateTime
from .fields import (
    CommunityQuery,
    DecisionBody,
    IdName,
    decision_in,
    int_in,
    masked_name,
    opt_str,
    opt_when,
    reason_in,
    req_id,
    rows_of,
    state_out,
    text_in,
)


class PostCreateSchema(ma.Schema):
    name = text_in(40, min_len=2, required=True)
    community_id = req_id()
    duties = text_in(500, min_len=2, required=True)
    seats = int_in(1, 100, required=True)


class PostListQuery(CommunityQuery):
    """The posts of one community."""


class HolderInSchema(ma.Schema):
    volunteer_id = req_id()


class HolderEndSchema(ma.Schema):
    reason = reason_in()


class LogInSchema(ma.Schema):
    note = text_in(500, min_len=2, required=True)
    hours = ma.fields.Float(required=True, allow_nan=False, validate=v.Range(min=0.1, max=24))


class LogDecisionSchema(DecisionBody):
    decision = decision_in(["confirm", "reject"])


class HolderSchema(ma.Schema):
    id = ma.fields.Int()
    post_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    name = masked_name("volunteer.user.name")
    status = state_out(HolderStatus)
    started_at = LocalDateTime()
    ended_at = opt_when()
    end_reason = opt_str()


class PostSchema(IdName):
    community_id = ma.fields.Int()
    duties = ma.fields.Str()
    seats = ma.fields.Int()
    held = ma.fields.Int()
    remaining = ma.fields.Int()
    created_at = LocalDateTime()
    holders = Computed(lambda post: HolderSchema(many=True).dump(
        [h for h in post.holders if h.status == HolderStatus.ACTIVE]), rows_of(HolderSchema))


class PostLogSchema(ma.Schema):
    id = ma.fields.Int()
    post_id = ma.fields.Int()
    volunteer_id = ma.fields.Int()
    note = ma.fields.Str()
    hours = ma.fields.Float()
    status = state_out(LogStatus)
    created_at = LocalDateTime()
    decided_at = opt_when()
    decision_reason = opt_str()
