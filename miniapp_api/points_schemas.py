"""The shapes of the points endpoints (miniapp_api/points.py): my ledger, a leaderboard row and
a rule."""
import marshmallow as ma
from marshmallow import validate as v

from server.points import services

from .common import ID_RANGE, LocalDateTime


class EntrySchema(ma.Schema):
    delta = ma.fields.Int()
    reason = ma.fields.Str()
    ref_type = ma.fields.Str()
    ref_id = ma.fields.Int()
    at = LocalDateTime(attribute="created_at")


class MyPointsSchema(ma.Schema):
    balance = ma.fields.Int()
    entries = ma.fields.List(ma.fields.Nested(EntrySchema))


class LeaderboardQuery(ma.Schema):
    community_id = ma.fields.Int(validate=ID_RANGE)
    unit_id = ma.fields.Int(validate=ID_RANGE)
    period = ma.fields.Str(validate=v.OneOf(services.PERIODS), load_default="month")


class LeaderSchema(ma.Schema):
    volunteer_id = ma.fields.Int(allow_none=True)  # the caller's own row, or a manager's board
    name = ma.fields.Str()
    points = ma.fields.Int()


class RuleSchema(ma.Schema):
    code = ma.fields.Str(dump_only=True)
    points = ma.fields.Int(required=True, validate=v.Range(min=0, max=1000))
    description = ma.fields.Str(dump_only=True)
