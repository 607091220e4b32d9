"""Reports (secretaries and admins, in their scope): figures per period and the volunteer
ledger (服务台账), as JSON and as Excel (every export audited)."""
from server.reports.exports import export_figures, export_ledger
from server.reports.ledger import volunteer_ledger
from server.reports.report import compare_communities, figures_report

from . import reports_schemas as s
from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("reports", __name__, description="报表：服务数据统计与志愿服务台账（书记、管理员）")


def _xlsx(name: str, body: bytes):
    return XLSX.answer(body, name)


@blp.reads("/reports/figures", s.FiguresRowSchema(many=True), query=s.FiguresQuery)
def figures(query):
    """服务数据统计（每日快照 + 今日实时），按日/周/月"""
    return figures_report(current_actor(), query)


@blp.downloads("/reports/figures.xlsx", query=s.FiguresQuery)
def figures_xlsx(query):
    """导出服务数据统计（Excel；导出记入审计）"""
    return _xlsx(*export_figures(current_actor(), query))


@blp.reads("/reports/communities", s.CommunityRowSchema(many=True), query=s.ReportQuery)
def communities(query):
    """各社区对比：范围内每个社区在整个时段的合计（每日快照 + 今日实时）"""
    return compare_communities(current_actor(), query)


@blp.lists("/reports/volunteer-ledger", s.ReportQuery, s.LedgerRowSchema)
def ledger(query):
    """志愿服务台账：每名志愿者的服务次数、时长、积分、评价（手机号脱敏）"""
    return volunteer_ledger(current_actor(), query)


@blp.downloads("/reports/volunteer-ledger.xlsx", query=s.ReportQuery)
def ledger_xlsx(query):
    """导出志愿服务台账（Excel；导出记入审计）"""
    return _xlsx(*export_ledger(current_actor(), query))
