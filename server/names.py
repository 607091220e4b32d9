"""Chinese names of the status codes a person sees (the console's pages, the 一人一档 Excel).

The house way is a `STATUS_NAMES` dict beside each status enum (server/projects/models.py,
server/care/models.py ...); this module gathers those and names the enums that have none yet, so
neither a console template nor an export prints a raw code. It sits above every programme and
below the volunteer file (docs/architecture.md) because it reads every machine's enum.
"""
from enum import StrEnum

from .care.models import STATUS_NAMES as CASE_NAMES
from .care.models import BatchStatus, CaseStatus, ObjectionStatus, PaymentStatus
from .checkins.models import STATUS_NAMES as CHECKIN_NAMES
from .checkins.models import CheckInStatus
from .donations.models import STATUS_NAMES as DONATION_NAMES
from .donations.models import ContactCardStatus, DonationStatus
from .matching_runs.models import ProposalStatus, RunStatus
from .orders.models import OfferingStatus, OrderStatus
from .orders.services import STATUS_NAMES as ORDER_NAMES
from .org.models import STATUS_NAMES as IMPORT_NAMES
from .org.models import ImportStatus
from .pairings.models import PairingProposalStatus, PairingRunStatus, PairingStatus
from .posts.models import HolderStatus, LogStatus
from .projects.models import STATUS_NAMES as PROJECT_NAMES
from .projects.models import ProjectStatus
from .stars.models import STATUS_NAMES as REVIEW_NAMES
from .stars.models import PeriodStatus, ReviewStatus
from .volunteers.models import VolunteerStatus
from .wishes.models import ClaimStatus, WishStatus

# machine → (its enum, {value: Chinese name}); `status_name(value, machine)` reads it
STATUS: dict[str, tuple[type[StrEnum], dict]] = {
    "wish": (WishStatus, {
        WishStatus.PENDING_REVIEW: "待审核", WishStatus.OPEN: "待认领", WishStatus.CLAIMED: "已认领",
        WishStatus.FULFILLED: "已完成待确认", WishStatus.CONFIRMED: "已确认",
        WishStatus.REJECTED: "未通过审核", WishStatus.CANCELLED: "已取消", WishStatus.EXPIRED: "已过期"}),
    "claim": (ClaimStatus, {ClaimStatus.ACTIVE: "进行中", ClaimStatus.RELEASED: "已退回",
                            ClaimStatus.NO_SHOW: "未到场", ClaimStatus.DONE: "已完成"}),
    "order": (OrderStatus, ORDER_NAMES),
    "offering": (OfferingStatus, {OfferingStatus.ACTIVE: "提供中", OfferingStatus.WITHDRAWN: "已下架"}),
    "volunteer": (VolunteerStatus, {
        VolunteerStatus.PENDING: "待审核", VolunteerStatus.ACTIVE: "在岗",
        VolunteerStatus.REJECTED: "未通过", VolunteerStatus.LEFT: "已退出"}),
    "run": (RunStatus, {RunStatus.RUNNING: "计算中", RunStatus.DONE: "已完成",
                        RunStatus.FAILED: "失败"}),
    "proposal": (ProposalStatus, {
        ProposalStatus.PROPOSED: "待确认", ProposalStatus.ACCEPTED: "已采纳",
        ProposalStatus.REJECTED: "未采纳", ProposalStatus.DECLINED: "志愿者已婉拒"}),
    "holder": (HolderStatus, {HolderStatus.ACTIVE: "在岗", HolderStatus.ENDED: "已卸任"}),
    "post_log": (LogStatus, {LogStatus.REPORTED: "待确认", LogStatus.CONFIRMED: "已确认",
                             LogStatus.REJECTED: "未通过"}),
    "pairing": (PairingStatus, {PairingStatus.ACTIVE: "结对中", PairingStatus.ENDED: "已结束"}),
    "pairing_run": (PairingRunStatus, {PairingRunStatus.DONE: "已完成",
                                       PairingRunStatus.FAILED: "失败"}),
    "pairing_proposal": (PairingProposalStatus, {
        PairingProposalStatus.PROPOSED: "待审核", PairingProposalStatus.ACCEPTED: "已采纳",
        PairingProposalStatus.REJECTED: "未采纳"}),
    "project": (ProjectStatus, PROJECT_NAMES),
    "checkin": (CheckInStatus, CHECKIN_NAMES),
    "star_review": (ReviewStatus, REVIEW_NAMES),
    "star_period": (PeriodStatus, {PeriodStatus.OPEN: "进行中", PeriodStatus.CLOSED: "已结束"}),
    "donation": (DonationStatus, DONATION_NAMES),
    "contact_card": (ContactCardStatus, {ContactCardStatus.ACTIVE: "有效",
                                         ContactCardStatus.ENDED: "已结束"}),
    "case": (CaseStatus, CASE_NAMES),
    "objection": (ObjectionStatus, {ObjectionStatus.OPEN: "待处理", ObjectionStatus.DISMISSED: "不成立",
                                    ObjectionStatus.UPHELD: "成立"}),
    "payment": (PaymentStatus, {PaymentStatus.DUE: "待发", PaymentStatus.PAID: "已发放",
                                PaymentStatus.CANCELLED: "已取消"}),
    "batch": (BatchStatus, {BatchStatus.DRAFT: "草稿", BatchStatus.APPROVED: "已批准",
                            BatchStatus.PAID: "已发放"}),
    "import": (ImportStatus, IMPORT_NAMES),
}
# the 一人一档 sections' status columns: section key → machine
FILE_SECTIONS = {"wishes": "wish", "orders": "order", "posts": "holder", "post_logs": "post_log",
                 "pairings": "pairing", "projects": "project", "check_ins": "checkin",
                 "star_reviews": "star_review"}

def status_name(value, machine: str) -> str:
    """The Chinese name of `value` of the status machine `machine` ('' for none)."""
    if value is None or value == "":
        return ""
    return STATUS[machine][1].get(value, "其他状态")


def status_values() -> set[str]:
    """Every value of every status enum named here (the raw-code test reads it)."""
    return {member.value for enum, _ in STATUS.values() for member in enum}


def file_status(section: str, value) -> str:
    """The Chinese name of a 一人一档 section's status cell ('' for a section without one)."""
    machine = FILE_SECTIONS.get(section)
    return status_name(value, machine) if machine else ""
