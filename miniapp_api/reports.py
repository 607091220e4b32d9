"""Reports (secretaries and admins, in their scope): figures per period and the volunteer
ledger (服务台账), as JSON and as Excel (every export audited)."""
from flask import Response

from server.excel import XLSX_MIMETYPE
from server.reports.exports import export_figures, export_ledger
from server.reports.ledger import volunteer_ledger
from server.reports.report import compare_communities, figures_report

from .common import BEARER, Blueprint, QueryPage, current_actor
from .reports_schemas import (
    CommunityRowSchema,
    FiguresQuery,
    FiguresRowSchema,
    LedgerRowSchema,
    ReportQuery,
)

blp = Blueprint("reports", __name__, description="报表：服务数据统计与志愿服务台账（书记、管理员）")
_XLSX_DOC = {"200": {"description": "Excel 工作簿", "content": {
    XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}}


def _xlsx(name: str, body: bytes) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/reports/figures")
@blp.doc(security=BEARER)
@blp.arguments(FiguresQuery, location="query")
@blp.response(200, FiguresRowSchema(many=True))
def figures(query):
    """服务数据统计（每日快照 + 今日实时），按日/周/月"""
    return figures_report(current_actor(), query)


@blp.route("/reports/figures.xlsx")
@blp.doc(security=BEARER, responses=_XLSX_DOC)
@blp.arguments(FiguresQuery, location="query")
def figures_xlsx(query):
    """导出服务数据统计（Excel；导出记入审计）"""
    return _xlsx(*export_figures(current_actor(), query))


@blp.route("/reports/communities")
@blp.doc(security=BEARER)
@blp.arguments(ReportQuery, location="query")
@blp.response(200, CommunityRowSchema(many=True))
def communities(query):
    """各社区对比：范围内每个社区在整个时段的合计（每日快照 + 今日实时）"""
    return compare_communities(current_actor(), query)


@blp.route("/reports/volunteer-ledger")
@blp.doc(security=BEARER)
@blp.arguments(ReportQuery, location="query")
@blp.response(200, LedgerRowSchema(many=True))
@blp.paginate(QueryPage)
def ledger(query):
    """志愿服务台账：每名志愿者的服务次数、时长、积分、评价（手机号脱敏）"""
    return volunteer_ledger(current_actor(), query)


@blp.route("/reports/volunteer-ledger.xlsx")
@blp.doc(security=BEARER, responses=_XLSX_DOC)
@blp.arguments(ReportQuery, location="query")
def ledger_xlsx(query):
    """导出志愿服务台账（Excel；导出记入审计）"""
    return _xlsx(*export_ledger(current_actor(), query))
