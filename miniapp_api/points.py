"""Points endpoints: my balance and ledger, leaderboards, the rules (admins change them)."""
import marshmallow as ma
from marshmallow import validate as v

from server.paging import Paged
from server.points import services

from .common import ID_RANGE, LocalDateTime, current_actor, optional_actor
from .routes import Blueprint

PUBLIC = ("leaderboard", "rules")

blp = Blueprint("points", __name__, description="积分：余额、明细、排行榜、规则")


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


@blp.reads("/points/me", MyPointsSchema)
def my_points():
    """我的积分余额和明细（志愿者）"""
    balance, entries = services.my_points(current_actor())
    return {"balance": balance, "entries": entries}


@blp.lists("/points/leaderboard", LeaderboardQuery, LeaderSchema, public=True)
def leaderboard(query):
    """积分排行榜（按社区、单位、周期）；姓名打码，不足 5 人的分组不公开"""
    board = services.leaderboard(optional_actor(), query.get("community_id"),
                                 query.get("unit_id"), query["period"])
    return Paged(board.query, board.entry, scalars=False)


@blp.reads("/points/rules", RuleSchema(many=True), public=True)
def rules():
    """积分规则"""
    return services.list_rules()


@blp.acts("/points/rules/<string:code>", RuleSchema, RuleSchema, method="PUT")
def set_rule(body, code):
    """修改积分规则（区级管理员：规则全区适用）；已发放的积分不变"""
    return services.set_rule(current_actor(), code, body["points"])
