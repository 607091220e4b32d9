"""Reading the audit trail (admins, in their scope): a paginated list and an Excel export."""
from datetime import datetime

from server.org import audit_log
from server.org.imports.templates import rows_workbook
from server.timeutil import LOCAL_TZ

from .audit_schemas import AuditEntrySchema, AuditQuery
from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("audit", __name__, description="审计日志查询与导出（管理员）")


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
