"""项目清单 as Excel for the secretaries in scope (server/excel.py house style); audited."""
from ..audit.services import record_audit
from ..errors import Forbidden
from ..excel import Column, Kind, Sheet, workbook
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community
from ..policy.scope import Scope, ScopeKind, actor_covers, communities_covered
from ..timeutil import LOCAL_TZ
from .models import CATEGORIES, STATUS_NAMES, Project
from .queries import list_query, view_of
from .services import STAFF

COLUMNS = [Column("编号", Kind.INT, width=8), Column("项目", width=26), Column("类别"),
           Column("社区", width=14), Column("地点", width=24), Column("状态"),
           Column("认领方", width=22), Column("进度（%）", Kind.INT), Column("认领时间", Kind.DATETIME),
           Column("完成时间", Kind.DATETIME), Column("项目数", Kind.INT, total=True)]


def require_filters_in_scope(actor: Actor, filters: dict, roles) -> None:
    """A community or street named as a filter must lie wholly in the caller's scope: 403,
    never an empty export (policy.scope)."""
    for key, kind in (("community_id", ScopeKind.COMMUNITY), ("street_id", ScopeKind.STREET)):
        if filters.get(key) is not None and not actor_covers(actor, Scope(kind, filters[key]),
                                                             roles=roles):
            raise Forbidden("超出您的管辖范围")


def _local(value):
    return value.astimezone(LOCAL_TZ) if value is not None else None


def export_projects(actor: Actor, filters: dict) -> bytes:
    """The projects of the communities the caller covers (same filters as the list)."""
    covered = communities_covered(actor, STAFF)
    if not covered:
        raise Forbidden("只有书记可以导出项目清单")
    require_filters_in_scope(actor, filters, STAFF)
    names = dict(db.session.execute(db.select(Community.id, Community.name)
                                    .where(Community.id.in_(covered))).all())
    projects = db.session.execute(list_query(filters).where(Project.community_id.in_(covered))
                                  .limit(20_000)).scalars().all()
    rows = []
    for project in projects:
        view = view_of(actor, project)
        rows.append([project.id, project.title, CATEGORIES.get(project.category, project.category),
                     names.get(project.community_id, ""), view.address or "",
                     STATUS_NAMES[project.status], view.claimer_name or "", project.progress,
                     _local(project.claimed_at), _local(project.done_at), 1])
    record_audit(actor, "project.export", "project", "*", detail={"rows": len(rows)})
    return workbook([Sheet("项目清单", f"项目清单（共 {len(rows)} 项）", COLUMNS, rows,
                           note="志愿者认领方姓名已打码；单位认领显示单位名称")])
