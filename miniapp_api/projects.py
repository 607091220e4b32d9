"""项目清单: secretaries publish public-interest projects; units (by their unit secretary) or
volunteers claim them; the claimer reports progress until done. The three lists side by side."""
from flask import Response

from server.excel import XLSX_MIMETYPE
from server.paging import Paged
from server.projects import exports, queries, services

from .common import BEARER, Blueprint, QueryPage, current_actor, optional_actor
from .idempotency import IDEMPOTENCY_DOC, idempotent
from .projects_schemas import (
    ProjectCancelSchema,
    ProjectClaimSchema,
    ProjectCreateSchema,
    ProjectQuery,
    ProjectSchema,
    ProjectUpdateCreateSchema,
    ProjectUpdateSchema,
    ThreeListsQuery,
    ThreeListsSchema,
)

PUBLIC = ("list_projects", "get_project")

blp = Blueprint("projects", __name__, description="项目清单：发布、认领、进展、完成")


@blp.route("/projects", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(ProjectCreateSchema)
@blp.response(201, ProjectSchema)
def create_project(body):
    """发布公益项目（管辖该社区的书记）"""
    actor = current_actor()
    return queries.view_of(actor, services.create_project(actor, body))


@blp.route("/projects", methods=["GET"])
@blp.arguments(ProjectQuery, location="query")
@blp.response(200, ProjectSchema(many=True))
@blp.paginate(QueryPage)
def list_projects(query):
    """项目清单（公开：不含地址，位置为约 1 公里的网格中心）"""
    actor = optional_actor()
    return Paged(queries.list_query(query), lambda project: queries.view_of(
        actor, project, lat=query.get("lat"), lng=query.get("lng")))


@blp.route("/projects/mine", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, ProjectSchema(many=True))
@blp.paginate(QueryPage)
def my_projects():
    """我（或我所在单位）认领的项目"""
    actor = current_actor()
    return Paged(queries.mine_query(actor), lambda project: queries.view_of(actor, project))


@blp.route("/projects/three-lists", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(ThreeListsQuery, location="query")
@blp.response(200, ThreeListsSchema)
def three_lists(query):
    """需求清单（心愿、订单）、资源清单（服务）、项目清单并列（管辖该社区的书记）"""
    return queries.three_lists(current_actor(), query.get("community_id"))


@blp.route("/projects/<int:project_id>", methods=["GET"])
@blp.response(200, ProjectSchema)
def get_project(project_id):
    """项目详情；地址和进展记录仅对认领方和管辖书记可见"""
    return queries.get_project(optional_actor(), project_id)


@blp.route("/projects/<int:project_id>/claims", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(ProjectClaimSchema)
@blp.response(201, ProjectSchema)
def claim_project(body, project_id):
    """认领项目：单位党组织书记代表本单位（unit_id），或志愿者本人"""
    actor = current_actor()
    return queries.view_of(actor, services.claim_project(actor, project_id, body.get("unit_id")))


@blp.route("/projects/<int:project_id>/updates", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(ProjectUpdateCreateSchema)
@blp.response(201, ProjectUpdateSchema)
def add_update(body, project_id):
    """报告项目进展（认领方）；done 为 true 时项目完成"""
    return services.add_update(current_actor(), project_id, body)


@blp.route("/projects/<int:project_id>/cancel", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(ProjectCancelSchema)
@blp.response(200, ProjectSchema)
def cancel_project(body, project_id):
    """取消未完成的项目（管辖书记）"""
    actor = current_actor()
    return queries.view_of(actor, services.cancel_project(actor, project_id, body["reason"]))


XLSX_DOC = {"responses": {"200": {"description": "Excel 工作簿", "content": {
    XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def _xlsx(body: bytes, filename: str) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.route("/projects.xlsx", methods=["GET"])
@blp.doc(security=BEARER, **XLSX_DOC)
@blp.arguments(ProjectQuery, location="query")
def export_projects(query):
    """导出项目清单（管辖范围内的书记；与列表相同的筛选；导出记入审计）"""
    return _xlsx(exports.export_projects(current_actor(), query), "projects.xlsx")
