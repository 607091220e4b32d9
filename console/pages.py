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

from . import queues

STAFF = frozenset({Role.SECRETARY, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
SECRETARIES = frozenset({Role.SECRETARY})
EVERY_CONSOLE_ROLE = frozenset({Role.SECRETARY, Role.ADMIN, Role.GRID_WORKER,
                                Role.STATION_KEEPER, Role.UNIT_SECRETARY, Role.FUND_OFFICER,
                                Role.LEADING_GROUP})


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
    # donations, care fund, volunteer service system (issues 14-16): add lines here
    # volunteer service system, part b: projects, check-ins, 争六星
    Page("console.projects", "项目清单", STAFF, section="志愿服务"),
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
