"""Schemas of 争六星: six stars, each within its share of the 100 points."""
import marshmallow as ma
from marshmallow import validate as v

from server.stars.models import STARS

from .common import LocalDateTime

_ID = v.Range(min=1, max=2**31 - 1)
_PERIOD = v.Regexp(r"^20\d\dH[12]$", error="周期形如 2026H2")

ScoresSchema = ma.Schema.from_dict(
    {code: ma.fields.Int(required=True, strict=True, validate=v.Range(min=0, max=most),
                         metadata={"description": name})
     for code, (name, most) in STARS.items()}, name="StarScoresSchema")


class SelfAssessSchema(ma.Schema):
    period = ma.fields.Str(required=True, validate=_PERIOD)
    scores = ma.fields.Nested(ScoresSchema, required=True)
    note = ma.fields.Str(validate=v.Length(max=500), load_default="")


class PeerScoreCreateSchema(ma.Schema):
    scores = ma.fields.Nested(ScoresSchema, required=True)


class BranchReviewSchema(ma.Schema):
    scores = ma.fields.Nested(ScoresSchema, required=True)
    comment = ma.fields.Str(validate=v.Length(max=500), load_default="")


class QueueQuery(ma.Schema):
    role = ma.fields.Str(validate=v.OneOf(["peer", "branch", "street"]))
    period = ma.fields.Str(validate=_PERIOD)
    community_id = ma.fields.Int(validate=_ID)


class ExportQuery(ma.Schema):
    period = ma.fields.Str(validate=_PERIOD)  # the latest period when not given
    community_id = ma.fields.Int(validate=_ID)


class ResultsQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)


class PeerScoreSchema(ma.Schema):
    id = ma.fields.Int()
    review_id = ma.fields.Int()
    scorer_volunteer_id = ma.fields.Int()
    scores = ma.fields.Nested(ScoresSchema)
    total = ma.fields.Int()
    created_at = LocalDateTime()


class EvidenceSchema(ma.Schema):
    points = ma.fields.Int()
    points_by_reason = ma.fields.Dict(keys=ma.fields.Str(), values=ma.fields.Int())
    events_by_reason = ma.fields.Dict(keys=ma.fields.Str(), values=ma.fields.Int())
    wishes_confirmed = ma.fields.Int()
    orders_done = ma.fields.Int()


class StarReviewSchema(ma.Schema):
    id = ma.fields.Int()
    period = ma.fields.Str()
    volunteer_id = ma.fields.Int()
    community_id = ma.fields.Int()
    name = ma.fields.Str()
    status = ma.fields.Str()
    status_name = ma.fields.Str()
    self_scores = ma.fields.Nested(ScoresSchema)
    self_total = ma.fields.Int()
    self_note = ma.fields.Str()
    evidence = ma.fields.Nested(EvidenceSchema)
    peer_count = ma.fields.Int()
    peer_average = ma.fields.Float(allow_none=True)
    scored_by_me = ma.fields.Bool()
    peer_scores = ma.fields.List(ma.fields.Nested(PeerScoreSchema), allow_none=True)
    branch_scores = ma.fields.Nested(ScoresSchema, allow_none=True)
    branch_total = ma.fields.Int(allow_none=True)
    branch_comment = ma.fields.Str(allow_none=True)
    final_total = ma.fields.Int(allow_none=True)
    commended = ma.fields.Bool()
    created_at = LocalDateTime()
    updated_at = LocalDateTime()


class StarPeriodSchema(ma.Schema):
    id = ma.fields.Int()
    code = ma.fields.Str()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    status = ma.fields.Str()




class StarResultSchema(ma.Schema):
    """Published: masked name, branch, scores, commendation."""
    id = ma.fields.Int()
    name = ma.fields.Str()
    community_id = ma.fields.Int()
    community = ma.fields.Str()
    total = ma.fields.Int(allow_none=True)
    stars = ma.fields.Nested(ScoresSchema)
    commended = ma.fields.Bool()
