"""Matching endpoints: secretaries run the engine and review its proposals; volunteers decline."""
from server.matching_runs import services
from server.matching_runs.volunteer_view import volunteer_view
from server.paging import Paged

from . import matching_schemas as s
from .common import ReasonSchema, current_actor
from .routes import Blueprint

blp = Blueprint("matching", __name__, description="智能匹配：书记发起匹配并审核推荐，志愿者可谢绝")


@blp.creates("/matching/runs", s.RunCreateSchema, s.RunSchema)
def start_run(body):
    """发起一次匹配（书记，本社区或本街道）；数秒内完成，返回推荐和未匹配原因"""
    return services.start_run(current_actor(), community_id=body.get("community_id"),
                              street_id=body.get("street_id"))


@blp.lists("/matching/runs", s.RunListQuery, s.RunBriefSchema)
def list_runs(query):
    """匹配记录（书记）"""
    return services.list_runs(current_actor(), query.get("community_id"))


@blp.reads("/matching/runs/<int:run_id>", s.RunSchema)
def get_run(run_id):
    """一次匹配的结果：统计、推荐（含理由）和未匹配任务的原因"""
    return services.get_run(current_actor(), run_id)


@blp.lists("/matching/proposals/mine", None, s.VolunteerProposalSchema)
def my_proposals():
    """推荐给我的任务（志愿者）：推荐理由和大致距离，不含评分"""
    return Paged(services.my_proposals(current_actor()), volunteer_view)


@blp.acts("/matching/proposals/<int:proposal_id>/accept", s.ProposalSchema)
def accept(proposal_id):
    """采纳推荐：任务由该志愿者认领（任务已被他人认领则 409）"""
    return services.accept_proposal(current_actor(), proposal_id)


@blp.acts("/matching/proposals/<int:proposal_id>/reject", s.ProposalSchema, ReasonSchema)
def reject(body, proposal_id):
    """不采纳推荐（书记）"""
    return services.reject_proposal(current_actor(), proposal_id, body.get("reason"))


@blp.acts("/matching/proposals/<int:proposal_id>/decline", s.VolunteerProposalSchema, ReasonSchema)
def decline(body, proposal_id):
    """谢绝推荐（被推荐的志愿者）；已采纳的任务重新开放"""
    return volunteer_view(services.decline_proposal(current_actor(), proposal_id,
                                                    body.get("reason")))
