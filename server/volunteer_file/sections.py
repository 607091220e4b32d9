"""The sections of a volunteer's file (一人一档): one registry, one function per section.

A section is `Section(key, title, columns, rows)` where `rows(volunteer) -> list[dict]` returns
the volunteer's rows, each a dict keyed by the columns' `key`s. A row may carry `hours` (counted
in the file's total hours) and `rating` (counted in the ratings received). The JSON file, the
Excel workbook (one sheet per section) and the console page all read `SECTIONS`; a programme
adds its section with one line, e.g. (issue 16b):

    SECTIONS["projects"] = Section("projects", "项目认领", PROJECT_COLUMNS, project_rows)

Rows hold no phone and no address; households appear with masked names.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..checkins.file_section import file_section as check_ins_section
from ..excel import Column, Kind
from ..extensions import db
from ..orders.models import CATEGORIES, ServiceOrder
from ..pairings.models import KIND_NAMES
from ..pairings.queries import pairings_of, visits_of
from ..points.models import PointsEntry
from ..posts.models import LogStatus
from ..posts.queries import holdings_of, logs_of
from ..privacy import mask_name
from ..projects.file_section import file_section as projects_section
from ..stars.file_section import file_section as star_reviews_section
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer
from ..wishes.models import Wish


@dataclass(frozen=True)
class Field:
    key: str
    column: Column


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[Field, ...]
    rows: Callable[[Volunteer], list[dict]]


def _local(value):
    return value.astimezone(LOCAL_TZ) if value is not None else None


def _f(key, header, kind=Kind.TEXT, total=False) -> Field:
    return Field(key, Column(header, kind, total=total))


def wish_rows(volunteer: Volunteer) -> list[dict]:
    wishes = db.session.execute(db.select(Wish).where(Wish.claimed_by == volunteer.id)
                                .order_by(Wish.id)).scalars()
    return [{"id": w.id, "title": w.title, "status": w.status, "claimed_at": _local(w.claimed_at),
             "confirmed_at": _local(w.confirmed_at), "rating": w.rating,
             "hours": round(w.duration_min / 60, 2) if w.confirmed_at else 0.0} for w in wishes]


def order_rows(volunteer: Volunteer) -> list[dict]:
    orders = db.session.execute(db.select(ServiceOrder).where(
        ServiceOrder.provider_id == volunteer.id).order_by(ServiceOrder.id)).scalars()
    return [{"id": o.id, "title": o.title, "category": CATEGORIES.get(o.category, o.category),
             "status": o.status, "start": _local(o.window_start), "rating": o.rating,
             "hours": round(o.duration_min / 60, 2) if o.done_at else 0.0} for o in orders]


def post_rows(volunteer: Volunteer) -> list[dict]:
    return [{"id": h.post_id, "name": h.post.name, "status": h.status,
             "started_at": _local(h.started_at), "ended_at": _local(h.ended_at)}
            for h in holdings_of(volunteer.id)]


def post_log_rows(volunteer: Volunteer) -> list[dict]:
    return [{"id": log.id, "post": log.post.name, "note": log.note, "status": log.status,
             "at": _local(log.created_at),
             "hours": log.hours if log.status == LogStatus.CONFIRMED else 0.0}
            for log in logs_of(volunteer.id)]


def pairing_rows(volunteer: Volunteer) -> list[dict]:
    now = utcnow()
    return [{"id": p.id, "household": mask_name(p.household.name),
             "kind": KIND_NAMES.get(p.kind, p.kind), "visit_every_days": p.visit_every_days,
             "status": p.status, "visits": len(p.visits), "next_visit_due": _local(p.next_visit_due),
             "overdue": "是" if p.is_overdue(now) else "否"} for p in pairings_of(volunteer.id)]


def visit_rows(volunteer: Volunteer) -> list[dict]:
    return [{"id": v.id, "pairing_id": v.pairing_id, "note": v.note, "at": _local(v.visited_at),
             "on_time": "否" if v.was_overdue else "是"} for v in visits_of(volunteer.id)]


def points_rows(volunteer: Volunteer) -> list[dict]:
    entries = db.session.execute(db.select(PointsEntry).where(
        PointsEntry.volunteer_id == volunteer.id).order_by(PointsEntry.id)).scalars()
    return [{"delta": e.delta, "reason": e.reason, "ref": f"{e.ref_type}:{e.ref_id}",
             "at": _local(e.created_at)} for e in entries]


_DT, _INT, _DEC = Kind.DATETIME, Kind.INT, Kind.DECIMAL
SECTIONS: dict[str, Section] = {s.key: s for s in (
    Section("wishes", "认领的微心愿", (
        _f("id", "编号", _INT), _f("title", "心愿"), _f("status", "状态"),
        _f("claimed_at", "认领时间", _DT), _f("confirmed_at", "确认时间", _DT),
        _f("rating", "评分", _INT), _f("hours", "时长（小时）", _DEC, True)), wish_rows),
    Section("orders", "提供的点单服务", (
        _f("id", "编号", _INT), _f("title", "服务"), _f("category", "类别"), _f("status", "状态"),
        _f("start", "时间", _DT), _f("rating", "评分", _INT),
        _f("hours", "时长（小时）", _DEC, True)), order_rows),
    Section("posts", "设岗定职", (
        _f("id", "岗位编号", _INT), _f("name", "岗位"), _f("status", "状态"),
        _f("started_at", "上岗时间", _DT), _f("ended_at", "卸任时间", _DT)), post_rows),
    Section("post_logs", "履职记录", (
        _f("id", "编号", _INT), _f("post", "岗位"), _f("note", "内容"), _f("status", "状态"),
        _f("at", "时间", _DT), _f("hours", "时长（小时）", _DEC, True)), post_log_rows),
    Section("pairings", "结对帮扶", (
        _f("id", "编号", _INT), _f("household", "结对户"), _f("kind", "类型"),
        _f("visit_every_days", "走访周期（天）", _INT), _f("status", "状态"),
        _f("visits", "走访次数", _INT, True), _f("next_visit_due", "下次走访", _DT),
        _f("overdue", "是否逾期")), pairing_rows),
    Section("visits", "走访记录", (
        _f("id", "编号", _INT), _f("pairing_id", "结对编号", _INT), _f("note", "内容"),
        _f("at", "时间", _DT), _f("on_time", "按时")), visit_rows),
    Section("points", "积分明细", (
        _f("delta", "积分", _INT, True), _f("reason", "事由"), _f("ref", "关联"),
        _f("at", "时间", _DT)), points_rows),
)}


# --- the volunteer service system, part b (issue 16): projects, check-ins, star reviews -------
def _localised(rows: list[dict]) -> list[dict]:
    return [{k: _local(v) if isinstance(v, datetime) else v for k, v in row.items()}
            for row in rows]


SECTIONS.update({s.key: s for s in (
    Section("projects", "认领的项目", (
        _f("id", "编号", _INT), _f("title", "项目"), _f("category", "类别"),
        _f("status_name", "状态"), _f("progress", "进度"), _f("claimed_at", "认领时间", _DT),
        _f("done_at", "完成时间", _DT)),
        lambda v: _localised(projects_section(v.id))),
    Section("check_ins", "奉献日报到", (
        _f("id", "编号", _INT), _f("title", "奉献日"), _f("date", "日期", Kind.DATE),
        _f("venue", "地点"), _f("status_name", "状态"), _f("checked_in_at", "报到时间", _DT),
        _f("checked_out_at", "离开时间", _DT), _f("hours", "时长（小时）", _DEC, True)),
        lambda v: _localised(check_ins_section(v.id))),
    Section("star_reviews", "争六星评定", (
        _f("id", "编号", _INT), _f("period", "期次"), _f("status_name", "状态"),
        _f("self_total", "自评分", _INT), _f("peer_average", "互评均分", _DEC),
        _f("final_total", "评定分", _INT), _f("commended", "表彰")),
        lambda v: star_reviews_section(v.id)),
)})
