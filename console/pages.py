"""The page registry: every console page a capability adds is one line of NAV (docs/console.md).

A Page names its view's endpoint, its title in the navigation, the roles that see it (the nav is
filtered by the signed-in staff member's roles, and the page refuses anyone else), and optionally
a queue count shown on the workbench (工作台): a function (actor) -> int that calls a service, so
the count obeys the same scope rules as the page.
"""
from collections.abc import Callable
from dataclasses import dataclass

from server.identity.actor import Actor
from server.identity.models import Role

from . import care_queues, queues

STAFF = frozenset({Role.SECRETARY, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
KEEPERS = frozenset({Role.STATION_KEEPER})  # donations (issue 14)
SECRETARIES = frozenset({Role.SECRETARY})
EVERY_CONSOLE_ROLE = frozenset({Role.SECRETARY, Role.ADMIN, Role.GRID_WORKER,
                                Role.STATION_KEEPER, Role.UNIT_SECRETARY, Role.FUND_OFFICER,
                                Role.LEADING_GROUP})

CARE_CASE_ROLES = frozenset({Role.UNIT_SECRETARY, Role.LEADING_GROUP, Role.FUND_OFFICER,
                             Role.ADMIN})
CARE_FUND_ROLES = frozenset({Role.FUND_OFFICER, Role.LEADING_GROUP, Role.ADMIN})


@dataclass(frozen=True)
class Page:
    endpoint: str  # the view's endpoint, e.g. "console.wishes"
    title: str  # shown in the navigation and as the page's heading
    roles: frozenset[str]  # who sees it; anyone else gets 403
    section: str = "日常工作"  # the navigation group
    count: Callable[[Actor], int] | None = None  # the workbench's queue count, through a service
    count_label: str = ""  # e.g. "条心愿待审核"
    demo_login: str = "demo-secretary"  # the demo user the screenshots and the benchmark use


NAV: list[Page] = [
    Page("console.workbench", "工作台", EVERY_CONSOLE_ROLE, section="首页"),
    # the core queues (issue 13)
    Page("console.wishes", "心愿审核", STAFF, count=queues.wishes_pending,
         count_label="条心愿待审核"),
    Page("console.volunteers", "志愿者准入", STAFF, count=queues.applications_pending,
         count_label="份志愿者申请待审批"),
    Page("console.orders", "待派上门服务", STAFF, count=queues.home_visits_unassigned,
         count_label="个上门服务未派人"),
    Page("console.matching", "智能匹配", STAFF, count=queues.proposals_pending,
         count_label="条匹配建议待确认"),
    # reports, service day, points rules, org tree, audit (issue 13, h13b): add lines here
    Page("console.reports", "数据报表", STAFF, section="报表"),
    Page("console.ledger", "服务台账", STAFF, section="报表"),
    Page("console.service_days", "奉献日", STAFF, section="报表"),
    Page("console.points_rules", "积分规则", ADMINS, section="管理", demo_login="demo-admin"),
    Page("console.audit", "审计日志", ADMINS, section="管理", demo_login="demo-admin"),
    # the org tree and imports (issue 13, hd): the API's policies, admins in their scope only
    Page("console.org", "组织架构", ADMINS, section="管理", demo_login="demo-admin"),
    Page("console.imports", "批量导入", ADMINS, section="管理", demo_login="demo-admin"),
    Page("console.roles", "角色授予", ADMINS, section="管理", demo_login="demo-admin"),
    # donations, care fund, volunteer service system (issues 14-16): add lines here
    # volunteer service system (issue 16a)
    Page("console.posts", "设岗定职", STAFF, section="志愿服务", count=queues.duty_logs_pending,
         count_label="条履职记录待确认"),
    Page("console.pairings", "结对帮扶", STAFF, section="志愿服务",
         count=queues.pairing_visits_overdue, count_label="对结对走访逾期"),
    Page("console.pairing_proposals", "引擎推荐结对", STAFF, section="志愿服务",
         count=queues.pairing_proposals_pending, count_label="条结对建议待审核"),
    Page("console.volunteer_files", "一人一档", STAFF, section="志愿服务"),
    Page("console.donation_queue", "捐献查验", KEEPERS, section="爱心超市",
         count=queues.donations_received, count_label="件捐献待查验", demo_login="demo-keeper"),
    Page("console.redemption_desk", "兑换台", KEEPERS, section="爱心超市",
         demo_login="demo-keeper"),
    Page("console.station_stock", "站点库存", KEEPERS | STAFF, section="爱心超市",
         demo_login="demo-keeper"),
    Page("console.drive_figures", "捐献数据", KEEPERS | STAFF, section="爱心超市"),
    # care fund and casework (issue 15)
    Page("console.care_cases", "帮扶案件", CARE_CASE_ROLES, section="关爱基金与帮扶",
         count=care_queues.cases_waiting, count_label="件帮扶案件待处理",
         demo_login="demo-leading-group"),
    Page("console.care_batches", "发放批次", CARE_FUND_ROLES, section="关爱基金与帮扶",
         demo_login="demo-fund-officer"),
    Page("console.care_fund", "基金余额与参与率", frozenset({Role.FUND_OFFICER, Role.ADMIN}),
         section="关爱基金与帮扶", demo_login="demo-fund-officer"),
    # volunteer service system, part b: projects, check-ins, 争六星
    Page("console.projects", "项目清单", STAFF, section="志愿服务",
         count=queues.projects_to_confirm),
    Page("console.checkins", "奉献日报到", STAFF, section="志愿服务"),
    Page("console.stars", "争六星评定", SECRETARIES, section="志愿服务",
         count=queues.star_reviews_waiting, count_label="份六星评定待处理"),
]

BY_ENDPOINT = {page.endpoint: page for page in NAV}


def visible_pages(actor: Actor) -> list[Page]:
    return [page for page in NAV if page.roles & actor.roles]


def may_open(actor: Actor, endpoint: str | None) -> bool:
    """Pages of the registry are open to their roles; other console endpoints (form posts)
    are guarded by the services they call."""
    page = BY_ENDPOINT.get(endpoint or "")
    return page is None or bool(page.roles & actor.roles)
