"""Schemas of 争六星: six stars, each within its share of the 100 points."""
import marshmallow as ma
from marshmallow import validate as v

from server.stars.models import STARS

from .common import LocalDateTime
from .fields import (
    CommunityQuery,
    IdName,
    by_key,
    choice_in,
    id_in,
    int_in,
    opt_float,
    opt_int,
    opt_str,
    rows_of,
    upto,
)

_PERIOD = v.Regexp(r"^20\d\dH[12]$", error="周期形如 2026H2")

ScoresSchema = ma.Schema.from_dict(
    {code: int_in(0, most, required=True, strict=True, metadata={"description": name})
     for code, (name, most) in STARS.items()}, name="StarScoresSchema")


def _period_in(**kwargs) -> ma.fields.Str:
    """A review period the caller names, like 2026H2."""
    return ma.fields.Str(validate=_PERIOD, **kwargs)


def _scores(**kwargs) -> ma.fields.Nested:
    """The six stars' scores."""
    return ma.fields.Nested(ScoresSchema, **kwargs)


class SelfAssessSchema(ma.Schema):
    period = _period_in(required=True)
    scores = _scores(required=True)
    note = upto(500, load_default="")


class PeerScoreCreateSchema(ma.Schema):
    scores = _scores(required=True)


class BranchReviewSchema(ma.Schema):
    scores = _scores(required=True)
    comment = upto(500, load_default="")


class ResultsQuery(CommunityQuery):
    """The published results of one community."""


class QueueQuery(ma.Schema):
    role = choice_in(["peer", "branch", "street"])
    period = _period_in()
    community_id = id_in()


class ExportQuery(ma.Schema):
    period = _period_in()  # the latest period when not given
    community_id = id_in()


class PeerScoreSchema(ma.Schema):
    id = ma.fields.Int()
    review_id = ma.fields.Int()
    scorer_volunteer_id = ma.fields.Int()
    scores = _scores()
    total = ma.fields.Int()
    created_at = LocalDateTime()


class EvidenceSchema(ma.Schema):
    points = ma.fields.Int()
    points_by_reason = by_key()
    events_by_reason = by_key()
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
    self_scores = _scores()
    self_total = ma.fields.Int()
    self_note = ma.fields.Str()
    evidence = ma.fields.Nested(EvidenceSchema)
    peer_count = ma.fields.Int()
    peer_average = opt_float()
    scored_by_me = ma.fields.Bool()
    peer_scores = rows_of(PeerScoreSchema, allow_none=True)
    branch_scores = _scores(allow_none=True)
    branch_total = opt_int()
    branch_comment = opt_str()
    final_total = opt_int()
    commended = ma.fields.Bool()
    created_at = LocalDateTime()
    updated_at = LocalDateTime()


class StarPeriodSchema(ma.Schema):
    id = ma.fields.Int()
    code = ma.fields.Str()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    status = ma.fields.Str()


class StarResultSchema(IdName):
    """Published: masked name, branch, scores, commendation."""
    community_id = ma.fields.Int()
    community = ma.fields.Str()
    total = opt_int()
    stars = _scores()
    commended = ma.fields.Bool()
