"""What a report covers: the scope (checked whole against the caller's grants), the local dates
and the periods they are grouped into."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Community, District, Role, Street
from ..policy.scope import (
    Scope,
    ScopeKind,
    communities_in,
    grant_scopes,
    is_system,
    require_covers,
    scope_exists,
)
from ..timeutil import LOCAL_TZ, utcnow

READERS = (Role.SECRETARY, Role.ADMIN)
REPORT_KINDS = (ScopeKind.COMMUNITY, ScopeKind.STREET, ScopeKind.DISTRICT)
DEFAULT_DAYS = 30
EARLIEST = date(2000, 1, 1)  # before any data; also keeps year-1 dates away from UTC arithmetic


class GroupBy(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


# The longest range each grouping reads (a year of days; five years of weeks or months).
MAX_DAYS = {GroupBy.DAY: 366, GroupBy.WEEK: 5 * 366, GroupBy.MONTH: 5 * 366}
GROUP_NAMES = {GroupBy.DAY: "按日", GroupBy.WEEK: "按周", GroupBy.MONTH: "按月"}
KIND_NAMES = {ScopeKind.COMMUNITY: "社区", ScopeKind.STREET: "街道", ScopeKind.DISTRICT: "区"}


@dataclass(frozen=True)
class Period:
    key: str  # "2026-11-20", "2026-W47", "2026-11"
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class ReportRequest:
    scope: Scope
    name: str  # the scope's name, for titles
    communities: tuple[int, ...]
    start: date
    end: date  # inclusive; never after today
    group_by: GroupBy
    today: date
    now: datetime

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start of the first day, start of the day after the last) as aware datetimes."""
        return local_midnight(self.start), local_midnight(self.end + timedelta(days=1))


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ)


def resolve_request(actor, filters: dict, *, now: datetime | None = None) -> ReportRequest:
    """The report's scope and dates: 403 for a caller who reads no reports or asks outside her
    grants, 404 for a scope that does not exist, 422 for dates that make no report."""
    now = now or utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    if actor is None or not (is_system(actor) or grant_scopes(actor, READERS)):
        raise Forbidden("仅书记或管理员可查看报表")
    scope = _requested_scope(actor, filters)
    if not scope_exists(scope):
        raise NotFound("该范围不存在")
    require_covers(actor, scope, roles=READERS, message="超出您的管辖范围，不能查看该范围的报表")
    group_by = filters.get("group_by") or GroupBy.DAY
    if group_by not in set(GroupBy):
        raise Invalid("分组应为 day、week 或 month", {"group_by": ["取值应为 day、week 或 month"]})
    group_by = GroupBy(group_by)
    start, end = _dates(filters, today, group_by)
    return ReportRequest(scope, _scope_name(scope), _communities(scope), start, end, group_by,
                         today, now)


def _requested_scope(actor, filters: dict) -> Scope:
    kind, ident = filters.get("scope"), filters.get("id")
    if (kind is None) != (ident is None):
        missing = "id" if ident is None else "scope"
        raise Invalid("请同时指定范围类型和范围编号", {missing: ["此项必填"]})
    if kind is not None:
        if kind not in {str(k) for k in REPORT_KINDS}:
            raise Invalid("范围类型应为社区、街道或区", {"scope": ["取值应为 community、street 或 district"]})
        return Scope(ScopeKind(kind), ident)
    held = sorted((s for s in grant_scopes(actor, READERS) if s.kind in REPORT_KINDS),
                  key=lambda s: (-REPORT_KINDS.index(s.kind), s.id))
    if not held:
        raise Invalid("请指定报表范围", {"scope": ["此项必填"], "id": ["此项必填"]})
    return held[0]  # the widest of the caller's grants


def _dates(filters: dict, today: date, group_by: GroupBy) -> tuple[date, date]:
    end = filters.get("to") or today
    last = min(end, today)
    start = filters.get("from") or date.fromordinal(max(1, last.toordinal() - DEFAULT_DAYS + 1))
    if start < EARLIEST:
        raise Invalid(f"开始日期不能早于 {EARLIEST}", {"from": [f"不能早于 {EARLIEST}"]})
    if start > end:
        raise Invalid("开始日期不能晚于结束日期", {"from": ["开始日期不能晚于结束日期"]})
    if start > today:
        raise Invalid("开始日期不能晚于今天", {"from": ["开始日期不能晚于今天"]})
    end = min(end, today)
    if (end - start).days + 1 > MAX_DAYS[group_by]:
        limit = MAX_DAYS[group_by]
        raise Invalid(f"{GROUP_NAMES[group_by]}统计的范围不能超过 {limit} 天",
                      {"from": [f"范围不能超过 {limit} 天"]})
    return start, end


def _communities(scope: Scope) -> tuple[int, ...]:
    return tuple(db.session.execute(communities_in(scope).order_by(Community.id)).scalars())


def _scope_name(scope: Scope) -> str:
    model = {ScopeKind.COMMUNITY: Community, ScopeKind.STREET: Street,
             ScopeKind.DISTRICT: District}[scope.kind]
    row = db.session.get(model, scope.id)
    return row.name if row is not None else f"{KIND_NAMES[scope.kind]}{scope.id}"


def periods(start: date, end: date, group_by: GroupBy) -> list[Period]:
    """The periods from start to end (inclusive), the first and last clipped to the range."""
    out, day = [], start
    while day <= end:
        if group_by == GroupBy.DAY:
            key, last = day.isoformat(), day
        elif group_by == GroupBy.WEEK:
            year, week, weekday = day.isocalendar()
            key, last = f"{year}-W{week:02d}", day + timedelta(days=7 - weekday)
        else:
            nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
            key, last = f"{day.year}-{day.month:02d}", nxt - timedelta(days=1)
        last = min(last, end)
        out.append(Period(key, day, last))
        day = last + timedelta(days=1)
    return out
