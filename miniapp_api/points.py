"""Points endpoints: my balance and ledger, leaderboards, the rules (admins change them)."""
from server.paging import Paged
from server.points import services

from .common import current_actor, optional_actor
from .points_schemas import LeaderboardQuery, LeaderSchema, MyPointsSchema, RuleSchema
from .routes import Blueprint

PUBLIC = ("leaderboard", "rules")

blp = Blueprint("points", __name__, description="积分：余额、明细、排行榜、规则")


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
