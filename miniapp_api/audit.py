"""Reading the audit trail (admins, in their scope): a paginated list and an Excel export."""
from datetime import datetime

import marshmallow as ma
from marshmallow import validate as v

from server.org import audit_log
from server.org.imports.templates import rows_workbook
from server.timeutil import LOCAL_TZ

from .common import ID_RANGE, LocalDateTime, current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("audit", __name__, description="审计日志查询与导出（管理员）")


class AuditQuery(ma.Schema):
    actor_id = ma.fields.Int(validate=ID_RANGE)
    action = ma.fields.Str(validate=v.Length(min=1, max=60))
    object_type = ma.fields.Str(validate=v.Length(min=1, max=40))
    from_ = LocalDateTime(data_key="from")
    to = LocalDateTime()

    @ma.post_load
    def _rename(self, data, **_):
        if "from_" in data:
            data["from"] = data.pop("from_")
        return data


class AuditEntrySchema(ma.Schema):
    id = ma.fields.Int()
    actor_id = ma.fields.Int(allow_none=True)
    actor_role = ma.fields.Str()
    action = ma.fields.Str()
    object_type = ma.fields.Str()
    object_id = ma.fields.Str()
    scope = ma.fields.Str()
    detail = ma.fields.Dict()
    request_id = ma.fields.Str(allow_none=True)
    at = LocalDateTime()


@blp.lists("/audit", AuditQuery, AuditEntrySchema)
def list_audit(query):
    """审计日志（管理范围内，最新在前）"""
    return audit_log.list_audit(current_actor(), query)


@blp.downloads("/audit.xlsx", query=AuditQuery)
def export_audit(query):
    """导出审计日志（与列表相同的筛选；导出本身也记入审计）"""
    headers, rows = audit_log.export_audit(current_actor(), query)
    stamp = datetime.now(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    body = rows_workbook(headers, rows, title=f"连心桥审计日志（导出于 {stamp}，共 {len(rows)} 条）",
                         sheet_name="审计日志")
    return XLSX.answer(body, "audit.xlsx")
