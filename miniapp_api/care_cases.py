"""Assistance casework endpoints (党内帮扶): apply, verify, publish (公示), objections, approve,
reject, exit, revisits, the queues, the case file and the 帮扶台账."""
from server.care import cases, decisions, queries, reports
from server.paging import Paged

from . import care_schemas as s
from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("care_cases", __name__, description="党内帮扶：申请、核实、公示、审批、回访、退出")


def _view(case):
    return queries.case_view(current_actor(), case)


@blp.creates("/cases", s.CaseCreateSchema, s.CaseSchema)
def apply(body):
    """申请帮扶（党员本人；单位党组织书记、社区书记或网格员代为申请）；返回资格测算"""
    return _view(cases.apply_case(current_actor(), body))


@blp.lists("/cases", s.CaseQueueQuery, s.CaseSchema)
def queue(query):
    """我的案件队列：本人的、我联系的、本单位的（单位书记）、管辖范围内的（领导小组）"""
    actor = current_actor()
    return Paged(queries.case_queue_query(actor, query.get("status")),
                 lambda case: queries.case_view(actor, case, full=False))


@blp.lists("/cases/publications", None, s.PublicationSchema)
def publications():
    """党内公示：本单位党组织成员看到姓名，其他有权查看的人看到隐去的姓名"""
    actor = current_actor()
    return Paged(queries.publications_query(actor),
                 lambda case: queries.publication_view(actor, case))


@blp.downloads("/cases/ledger.xlsx")
def ledger_xlsx():
    """帮扶台账（Excel，管辖范围内；导出记入审计）"""
    return XLSX.answer(reports.ledger_workbook(current_actor()), "care-ledger.xlsx")


@blp.reads("/cases/<int:case_id>", s.CaseSchema)
def detail(case_id):
    """案件档案（申请人本人、跟踪联系人、经办人员；查看记入审计）"""
    return queries.case_detail(current_actor(), case_id)


@blp.acts("/cases/<int:case_id>/verify", s.CaseSchema, s.VerifySchema)
def verify(body, case_id):
    """单位党组织核实、提出意见并签章"""
    return _view(cases.verify_case(current_actor(), case_id, body))


@blp.acts("/cases/<int:case_id>/publish", s.CaseSchema, s.PublishSchema)
def publish(body, case_id):
    """在本单位党组织内公示（不少于 5 天）"""
    return _view(cases.publish_case(current_actor(), case_id, body["days"]))


@blp.creates("/cases/<int:case_id>/objections", s.ObjectionCreateSchema, s.ObjectionSchema)
def object_(body, case_id):
    """公示期内提出异议（本单位党组织成员）"""
    return cases.object_to_case(current_actor(), case_id, body["text"])


@blp.acts("/cases/<int:case_id>/objections/<int:objection_id>/resolve", s.ObjectionSchema,
          s.ObjectionResolveSchema)
def resolve(body, case_id, objection_id):
    """处理异议（帮扶领导小组）：不成立或成立"""
    return cases.resolve_objection(current_actor(), case_id, objection_id, body)


@blp.acts("/cases/<int:case_id>/approve", s.CaseSchema, s.ApproveSchema)
def approve(body, case_id):
    """批准帮扶（公示期满且无未处理异议；不符合条件须填写破格理由）"""
    return _view(decisions.approve_case(current_actor(), case_id, body))


@blp.acts("/cases/<int:case_id>/reject", s.CaseSchema, s.ReasonRequiredSchema)
def reject(body, case_id):
    """驳回（帮扶领导小组，或公示前由单位党组织）"""
    return _view(decisions.reject_case(current_actor(), case_id, body["reason"]))


@blp.acts("/cases/<int:case_id>/exit", s.CaseSchema, s.ReasonRequiredSchema)
def exit_(body, case_id):
    """退出帮扶（帮扶领导小组，或申请人本人）"""
    return _view(decisions.exit_case(current_actor(), case_id, body["reason"]))


@blp.creates("/cases/<int:case_id>/revisits", s.RevisitCreateSchema, s.RevisitSchema)
def revisit(body, case_id):
    """登记回访（跟踪联系人）"""
    return decisions.add_revisit(current_actor(), case_id, body)
