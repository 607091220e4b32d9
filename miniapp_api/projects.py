"""项目清单: secretaries publish public-interest projects; units (by their unit secretary) or
volunteers claim them; the claimer reports progress until done. The three lists side by side."""
from server.paging import Paged
from server.projects import exports, queries, services

from . import projects_schemas as s
from .common import current_actor, optional_actor
from .downloads import XLSX
from .routes import Blueprint

PUBLIC = ("list_projects", "get_project")

blp = Blueprint("projects", __name__, description="项目清单：发布、认领、进展、完成")


@blp.creates("/projects", s.ProjectCreateSchema, s.ProjectSchema)
def create_project(body):
    """发布公益项目（管辖该社区的书记）"""
    actor = current_actor()
    return queries.view_of(actor, services.create_project(actor, body))


@blp.lists("/projects", s.ProjectQuery, s.ProjectSchema, public=True)
def list_projects(query):
    """项目清单（公开：不含地址，位置为约 1 公里的网格中心）"""
    actor = optional_actor()
    return Paged(queries.list_query(query), lambda project: queries.view_of(
        actor, project, lat=query.get("lat"), lng=query.get("lng")))


@blp.lists("/projects/mine", None, s.ProjectSchema)
def my_projects():
    """我（或我所在单位）认领的项目"""
    actor = current_actor()
    return Paged(queries.mine_query(actor), lambda project: queries.view_of(actor, project))


@blp.reads("/projects/three-lists", s.ThreeListsSchema, query=s.ThreeListsQuery)
def three_lists(query):
    """需求清单（心愿、订单）、资源清单（服务）、项目清单并列（管辖该社区的书记）"""
    return queries.three_lists(current_actor(), query.get("community_id"))


@blp.reads("/projects/<int:project_id>", s.ProjectSchema, public=True)
def get_project(project_id):
    """项目详情；地址和进展记录仅对认领方和管辖书记可见"""
    return queries.get_project(optional_actor(), project_id)


@blp.creates("/projects/<int:project_id>/claims", s.ProjectClaimSchema, s.ProjectSchema)
def claim_project(body, project_id):
    """认领项目：单位党组织书记代表本单位（unit_id），或志愿者本人"""
    actor = current_actor()
    return queries.view_of(actor, services.claim_project(actor, project_id, body.get("unit_id")))


@blp.creates("/projects/<int:project_id>/updates", s.ProjectUpdateCreateSchema,
             s.ProjectUpdateSchema)
def add_update(body, project_id):
    """报告项目进展（认领方）；done 为 true 时项目完成"""
    return services.add_update(current_actor(), project_id, body)


@blp.acts("/projects/<int:project_id>/confirm", s.ProjectSchema)
def confirm_project(project_id):
    """确认项目完成（管辖书记，不能是认领方本人）；此时为认领的志愿者发放积分"""
    actor = current_actor()
    return queries.view_of(actor, services.confirm_project(actor, project_id))


@blp.acts("/projects/<int:project_id>/cancel", s.ProjectSchema, s.ProjectCancelSchema)
def cancel_project(body, project_id):
    """取消未完成的项目（管辖书记）"""
    actor = current_actor()
    return queries.view_of(actor, services.cancel_project(actor, project_id, body["reason"]))


@blp.downloads("/projects.xlsx", query=s.ProjectQuery)
def export_projects(query):
    """导出项目清单（管辖范围内的书记；与列表相同的筛选；导出记入审计）"""
    return XLSX.answer(exports.export_projects(current_actor(), query), "projects.xlsx")
