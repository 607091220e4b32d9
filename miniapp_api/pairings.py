"""结对: pairings of a volunteer with a household, visits, the overdue count of the secretary's
workbench, and the engine's pairing proposals reviewed by secretaries."""
from server.pairings import exports, proposals, queries, services

from . import pairing_schemas as s
from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("pairings", __name__, description="结对帮扶：结对、走访、引擎推荐结对")


@blp.creates("/pairings", s.PairingCreateSchema, s.PairingSchema)
def create_pairing(body):
    """结对（管辖范围内的社区书记）：志愿者与住户，每 N 天走访一次"""
    return services.create_pairing(current_actor(), body)


@blp.lists("/pairings", s.PairingListQuery, s.PairingSchema)
def list_pairings(query):
    """结对列表：书记看管辖范围内的（overdue=true 只看走访逾期的），志愿者看本人的"""
    return queries.list_pairings(current_actor(), query.get("community_id"),
                                 query.get("status"), query.get("overdue"))


@blp.downloads("/pairings.xlsx", query=s.PairingCommunityQuery)
def export_pairings(query):
    """结对台账导出（管辖范围内；与列表相同的筛选；导出记入审计）"""
    body = exports.export_pairings(current_actor(), query.get("community_id"))
    return XLSX.answer(body, "pairings.xlsx")


@blp.reads("/pairings/overdue", s.OverdueSchema, query=s.PairingCommunityQuery)
def overdue(query):
    """书记工作台：走访逾期的结对数（按社区）"""
    return queries.overdue_visits(current_actor(), query.get("community_id"))


@blp.reads("/pairings/<int:pairing_id>", s.PairingDetailSchema)
def get_pairing(pairing_id):
    """结对详情（结对志愿者、管辖范围内的书记）；住户电话和住址仅对在册的结对志愿者（结对进行中）
    和本社区书记可见，读取记入审计"""
    return services.pairing_detail(current_actor(), pairing_id)


@blp.acts("/pairings/<int:pairing_id>/end", s.PairingSchema, s.PairingEndSchema)
def end_pairing(body, pairing_id):
    """结束结对（书记或结对志愿者）→ ended"""
    return services.end_pairing(current_actor(), pairing_id, body.get("reason"))


@blp.creates("/pairings/<int:pairing_id>/visits", s.VisitInSchema, s.VisitSchema)
def log_visit(body, pairing_id):
    """登记走访（结对志愿者本人）；下次走访顺延 N 天"""
    return services.log_visit(current_actor(), pairing_id, body["note"])


@blp.reads("/pairings/<int:pairing_id>/visits", s.VisitSchema(many=True))
def list_visits(pairing_id):
    """走访记录"""
    return services.get_pairing(current_actor(), pairing_id).visits


@blp.creates("/pairings/proposals", s.ProposeSchema, s.PairingRunSchema)
def propose(body):
    """引擎推荐结对：为社区未结对的住户推荐志愿者（距离、所需技能、现有结对数），待书记审核"""
    return proposals.propose_pairings(current_actor(), body["community_id"], body["kind"],
                                      body["visit_every_days"])


@blp.lists("/pairings/runs", s.PairingCommunityQuery, s.PairingRunSummarySchema)
def list_runs(query):
    """结对推荐记录（管辖范围内）"""
    return proposals.list_runs(current_actor(), query.get("community_id"))


@blp.reads("/pairings/runs/<int:run_id>", s.PairingRunSchema)
def get_run(run_id):
    """一次结对推荐：统计、建议（含理由、地图上的粗略位置）、未能结对的住户及原因"""
    return proposals.get_run(current_actor(), run_id)


@blp.acts("/pairings/proposals/<int:proposal_id>/accept", s.PairingProposalSchema)
def accept(proposal_id):
    """采纳结对建议：建立结对（该户已结对则 409）"""
    return proposals.accept_proposal(current_actor(), proposal_id)


@blp.acts("/pairings/proposals/<int:proposal_id>/reject", s.PairingProposalSchema,
          s.PairingEndSchema)
def reject(body, proposal_id):
    """不采纳结对建议"""
    return proposals.reject_proposal(current_actor(), proposal_id, body.get("reason"))
