"""The reports as Excel (server/excel.py's house style), each export recorded in the audit trail."""
from datetime import datetime

from ..audit.services import record_audit
from ..excel import Column, Kind, Sheet, workbook
from ..extensions import db
from ..timeutil import LOCAL_TZ
from .ledger import ledger_rows
from .report import build_figures
from .request import GROUP_NAMES, ReportRequest, resolve_request

FIGURE_COLUMNS = [
    ("period", Column("统计期", width=12)),
    ("start", Column("起始日", Kind.DATE)),
    ("end", Column("截止日", Kind.DATE)),
    ("wishes_posted", Column("心愿发布数", Kind.INT, total=True)),
    ("wishes_claimed", Column("心愿认领数", Kind.INT, total=True)),
    ("wishes_confirmed", Column("心愿完成数", Kind.INT, total=True)),
    ("wishes_open", Column("期末待认领心愿", Kind.INT)),
    ("median_hours_to_claim", Column("认领用时中位数（小时）", Kind.DECIMAL)),
    ("orders_requested", Column("点单数", Kind.INT, total=True)),
    ("orders_done", Column("点单完成数", Kind.INT, total=True)),
    ("volunteers_active", Column("期末在岗志愿者", Kind.INT)),
    ("volunteer_hours", Column("服务时长（小时）", Kind.DECIMAL, total=True)),
    ("points_awarded", Column("发放积分", Kind.INT, total=True)),
    ("households_helped", Column("受助户数", Kind.INT)),
    ("days_without_snapshot", Column("缺快照天数", Kind.INT)),
]

LEDGER_COLUMNS = [
    ("volunteer_id", Column("志愿者编号", Kind.INT)),
    ("name", Column("姓名", width=10)),
    ("phone", Column("手机号（已脱敏）", width=15)),
    ("community", Column("报到社区", width=16)),
    ("unit", Column("所在单位", width=20)),
    ("wishes_done", Column("完成心愿", Kind.INT, total=True)),
    ("orders_done", Column("完成点单", Kind.INT, total=True)),
    ("tasks", Column("服务次数", Kind.INT, total=True)),
    ("hours", Column("服务时长（小时）", Kind.DECIMAL, total=True)),
    ("points", Column("获得积分", Kind.INT, total=True)),
    ("ratings", Column("评价数", Kind.INT, total=True)),
    ("average_rating", Column("平均评分", Kind.DECIMAL)),
]


def export_figures(actor, filters: dict, *, now: datetime | None = None) -> tuple[str, bytes]:
    """(file name, workbook) of the figures report; audited."""
    req = resolve_request(actor, filters, now=now)
    rows = build_figures(req)
    title = (f"{req.name}服务数据统计（{req.start} 至 {req.end}，{GROUP_NAMES[req.group_by]}）")
    body = _book("服务数据统计", title, FIGURE_COLUMNS, rows, req,
                 "心愿、点单、时长、积分按期合计；期末数为期内最后一天；中位数与户数按期内明细计算。")
    _audit(actor, "reports.figures_export", req, len(rows))
    return f"figures-{req.scope.kind}-{req.scope.id}-{req.start}-{req.end}.xlsx", body


def export_ledger(actor, filters: dict, *, now: datetime | None = None) -> tuple[str, bytes]:
    """(file name, workbook) of the volunteer ledger; audited."""
    req = resolve_request(actor, filters, now=now)
    rows = ledger_rows(req)
    title = f"{req.name}志愿服务台账（{req.start} 至 {req.end}）"
    body = _book("服务台账", title, LEDGER_COLUMNS, rows, req, "手机号已脱敏。")
    _audit(actor, "reports.ledger_export", req, len(rows))
    return f"volunteer-ledger-{req.scope.kind}-{req.scope.id}-{req.start}-{req.end}.xlsx", body


def _book(sheet: str, title: str, columns, rows: list[dict], req: ReportRequest,
          note: str) -> bytes:
    stamp = req.now.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    table = [[row[key] for key, _ in columns] for row in rows]
    return workbook([Sheet(sheet, title, [c for _, c in columns], table,
                           note=f"{note}导出于 {stamp}，共 {len(rows)} 行。")])


def _audit(actor, action: str, req: ReportRequest, rows: int) -> None:
    record_audit(actor, action, "report", str(req.scope), scope=str(req.scope),
                 detail={"from": req.start.isoformat(), "to": req.end.isoformat(),
                         "group_by": str(req.group_by), "rows": rows})
    db.session.flush()
