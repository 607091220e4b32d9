"""A service day's check-ins as Excel (the same rows as the live list); audited."""
from ..audit.services import record_audit
from ..excel import Column, Kind, Sheet, workbook
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community
from ..service_days.models import ServiceDay
from ..timeutil import LOCAL_TZ
from .models import STATUS_NAMES
from .services import day_checkins_query

COLUMNS = [Column("姓名", width=10), Column("报到社区", width=16), Column("场地", width=24),
           Column("状态"), Column("报到时间", Kind.DATETIME), Column("签退时间", Kind.DATETIME),
           Column("服务时长（小时）", Kind.DECIMAL, total=True), Column("人次", Kind.INT, total=True)]


def export_day_checkins(actor: Actor, day_id: int) -> bytes:
    checkins = db.session.execute(day_checkins_query(actor, day_id).limit(50_000)).scalars().all()
    day = db.session.get(ServiceDay, day_id)
    names = dict(db.session.execute(db.select(Community.id, Community.name)).all())
    rows = [[c.volunteer.user.name or "", names.get(c.community_id, ""), c.venue.name,
             STATUS_NAMES[c.status], c.checked_in_at.astimezone(LOCAL_TZ),
             c.checked_out_at.astimezone(LOCAL_TZ) if c.checked_out_at else None,
             c.hours or 0, 1] for c in checkins]
    record_audit(actor, "checkin.export", "service_day", day_id, detail={"rows": len(rows)})
    return workbook([Sheet("报到名单", f"{day.title} {day.day.isoformat()} 报到名单", COLUMNS, rows)])
