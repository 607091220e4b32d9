"""The org tree and catalogues, managed by admins in their scope (API.md part 2)."""
from server.org import services

from . import admin_org_schemas as s
from .common import current_actor
from .routes import Blueprint

blp = Blueprint("admin_org", __name__, description="组织架构与目录管理（管理员）")

KINDS = {
    "streets": ("街道", s.AdminStreetSchema, s.StreetCreate, s.StreetPatch),
    "communities": ("社区", s.AdminCommunitySchema, s.CommunityCreate, s.CommunityPatch),
    "grids": ("网格", s.AdminGridSchema, s.GridCreate, s.GridPatch),
    "units": ("单位（共驻共建）", s.AdminUnitSchema, s.UnitCreate, s.UnitPatch),
    "skills": ("技能目录", s.AdminSkillSchema, s.SkillCreate, s.SkillPatch),
}


def _routes(kind, label, schema, create, patch):
    key = "<string:code>" if kind == "skills" else "<int:obj_id>"

    @blp.lists(f"/admin/{kind}", None, schema, endpoint=f"list_{kind}",
               summary=f"{label}列表（管理范围内）")
    def _list():
        return services.list_org(current_actor(), kind)

    @blp.creates(f"/admin/{kind}", create, schema, endpoint=f"create_{kind}",
                 summary=f"新建{label}")
    def _create(body):
        return services.create_org(current_actor(), kind, body)

    @blp.acts(f"/admin/{kind}/{key}", schema, patch, method="PATCH", endpoint=f"patch_{kind}",
              summary=f"修改{label}")
    def _patch(body, obj_id=None, code=None):
        return services.update_org(current_actor(), kind, code if kind == "skills" else obj_id,
                                   body)


for _kind, _spec in KINDS.items():
    _routes(_kind, *_spec)


@blp.acts("/admin/communities/<int:community_id>", None, method="DELETE", status=204)
def delete_community(community_id):
    """删除社区（仍有居民、志愿者或未完成任务的社区不能删除，请改为停用）"""
    services.delete_community(current_actor(), community_id)
