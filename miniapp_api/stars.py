"""争六星: self-assessment, peer scores, branch review, street approval; the queue per role and
the published results per period and branch (masked names)."""
from server.paging import Paged
from server.stars import exports, queries, services

from . import stars_schemas as s
from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint

PUBLIC = ("list_periods", "period_results")

blp = Blueprint("stars", __name__, description="争六星：自评、互评、支部评议、街道审定、公示")


@blp.creates("/star-reviews", s.SelfAssessSchema, s.StarReviewSchema)
def self_assess(body):
    """自评（在册志愿者，每周期一次）：六星共 100 分，附台账中的积分和任务"""
    actor = current_actor()
    return queries.view_of(actor, services.self_assess(actor, body))


@blp.lists("/star-reviews/mine", None, s.StarReviewSchema)
def my_reviews():
    """我的六星评定"""
    actor = current_actor()
    return Paged(queries.mine_query(actor), lambda review: queries.view_of(actor, review))


@blp.lists("/star-reviews/queue", s.QueueQuery, s.StarReviewSchema)
def queue(query):
    """待我处理：同支部待互评（志愿者）、待支部评议（社区书记）、待审定（街道书记）"""
    actor = current_actor()
    return Paged(queries.queue_query(actor, query), lambda review: queries.view_of(actor, review))


@blp.reads("/star-reviews/<int:review_id>", s.StarReviewSchema)
def get_review(review_id):
    """一份评定（本人、同支部志愿者、管辖书记）"""
    return queries.get_review(current_actor(), review_id)


@blp.creates("/star-reviews/<int:review_id>/peer-scores", s.PeerScoreCreateSchema,
             s.PeerScoreSchema)
def peer_score(body, review_id):
    """互评（同支部的在册志愿者，不能评本人，每人一次）"""
    return services.peer_score(current_actor(), review_id, body["scores"])


@blp.acts("/star-reviews/<int:review_id>/branch-review", s.StarReviewSchema, s.BranchReviewSchema)
def branch_review(body, review_id):
    """支部评议（该社区书记）：评定六星得分"""
    actor = current_actor()
    return queries.view_of(actor, services.branch_review(actor, review_id, body))


@blp.acts("/star-reviews/<int:review_id>/approve", s.StarReviewSchema)
def approve(review_id):
    """街道审定（管辖该社区的街道书记，不能是支部评议人）；95 分及以上为表彰对象"""
    actor = current_actor()
    return queries.view_of(actor, services.approve_review(actor, review_id))


@blp.lists("/star-periods", None, s.StarPeriodSchema, public=True)
def list_periods():
    """评星周期"""
    return queries.periods_query()


@blp.lists("/star-periods/<code>/results", s.ResultsQuery, s.StarResultSchema, public=True)
def period_results(query, code):
    """公示：某周期已审定的结果，按支部（社区），姓名打码"""
    return Paged(queries.results_query(code, query.get("community_id")), queries.result_row,
                 scalars=False)


@blp.downloads("/star-reviews.xlsx", query=s.ExportQuery)
def export_reviews(query):
    """导出某周期的六星评定汇总（管辖范围内的书记；导出记入审计）"""
    return XLSX.answer(exports.export_reviews(current_actor(), query), "star-reviews.xlsx")
