"""Care fund endpoints (关爱基金): contributions, corrections, balance, participation,
disbursement batches and the year's report. Cases are in miniapp_api/care_cases.py."""
from server.care import batches, fund, reports

from . import care_schemas as s
from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("care_fund", __name__, description="党员关爱基金：捐款、余额、参与率、发放批次、年度报告")


@blp.creates("/fund/contributions", s.ContributionCreateSchema, s.ContributionSchema)
def contribute(body):
    """登记捐款（基金管理员在管辖范围内；党员本人为自己登记）：记一笔平衡的复式分录"""
    return fund.record_contribution(current_actor(), body)


@blp.acts("/fund/contributions/<int:contribution_id>/reverse", s.ContributionSchema,
          s.CorrectionSchema)
def reverse_contribution(body, contribution_id):
    """更正一笔捐款：新记一笔冲销分录（从不修改原分录）；余额不足时 409"""
    return fund.reverse_contribution(current_actor(), contribution_id, body["reason"])


@blp.creates("/fund/adjustments", s.FundAdjustmentSchema, s.BalanceSchema)
def adjust(body):
    """调整（利息收入为正，手续费为负）；基金余额不会低于零"""
    return fund.record_adjustment(current_actor(), body)


@blp.reads("/fund/balance", s.BalanceSchema, query=s.BalanceQuery)
def balance(query):
    """基金各账户余额（由分录汇总得出）"""
    return fund.fund_balance(current_actor(), district_id=query.get("district_id"))


@blp.reads("/fund/participation", s.ParticipationSchema, query=s.ParticipationQuery)
def participation(query):
    """单位或社区某年的党员人数、捐款人数和参与率"""
    return fund.participation(current_actor(), unit_id=query.get("unit_id"),
                              community_id=query.get("community_id"), year=query["year"])


@blp.creates("/fund/batches", s.BatchCreateSchema, s.BatchSchema)
def create_batch(body):
    """编制发放批次：汇总管辖范围内帮扶中案件在 pay_by 之前应发的款项"""
    return batches.create_batch(current_actor(), body)


@blp.reads("/fund/batches/<int:batch_id>", s.BatchSchema)
def get_batch(batch_id):
    """发放批次详情"""
    return batches.load_batch(current_actor(), batch_id)


@blp.acts("/fund/batches/<int:batch_id>/approve", s.BatchSchema)
def approve_batch(batch_id):
    """批准发放批次（帮扶领导小组，编制人以外的人）"""
    return batches.approve_batch(current_actor(), batch_id)


@blp.acts("/fund/batches/<int:batch_id>/pay", s.BatchSchema)
def pay_batch(batch_id):
    """发放（基金管理员）：只发一次；基金余额不足时 409，且什么也不发"""
    return batches.pay_batch(current_actor(), batch_id)


@blp.reads("/fund/report", s.ReportSchema, query=s.YearQuery)
def report(query):
    """年度报告：捐款、按帮扶方式的支出、户数、余额，及姓名隐去的公示名单"""
    return reports.year_report(current_actor(), query["year"])


@blp.downloads("/fund/report.xlsx", query=s.YearQuery)
def report_xlsx(query):
    """年度报告（Excel）"""
    body = reports.report_workbook(current_actor(), query["year"])
    return XLSX.answer(body, f"care-fund-{query['year']}.xlsx")
