"""The pairings ledger (结对台账) as Excel, in the house style (server/excel.py); the same
scope-filtered query as the list; exporting is audited."""
from datetime import datetime

from ..audit.services import record_audit
from ..excel import Column, Kind, Sheet, workbook
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community
from ..privacy import mask_name
from ..timeutil import LOCAL_TZ, utcnow
from .models import KIND_NAMES
from .queries import list_pairings

COLUMNS = [Column("编号", Kind.INT), Column("社区", width=14), Column("志愿者", width=10),
           Column("结对户", width=10), Column("类型", width=12), Column("走访周期（天）", Kind.INT),
           Column("状态"), Column("走访次数", Kind.INT, total=True),
           Column("上次走访", Kind.DATETIME), Column("下次走访", Kind.DATETIME),
           Column("逾期", Kind.INT, total=True)]


def _local(value):
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None) if value is not None else None


def export_pairings(actor: Actor, community_id: int | None = None,
                    *, now: datetime | None = None) -> bytes:
    """Every pairing of the actor's scope (or one community): households' names masked."""
    now = now or utcnow()
    pairings = db.session.execute(list_pairings(actor, community_id, now=now)).scalars().all()
    names = dict(db.session.execute(db.select(Community.id, Community.name)).all())
    rows = [[p.id, names.get(p.community_id, ""), p.volunteer.user.name, mask_name(p.household.name),
             KIND_NAMES.get(p.kind, p.kind), p.visit_every_days, p.status, len(p.visits),
             _local(p.last_visit_at), _local(p.next_visit_due), int(p.is_overdue(now))]
            for p in pairings]
    record_audit(actor, "pairing.export", "pairing", "list",
                 scope=f"community:{community_id}" if community_id else "",
                 detail={"rows": len(rows)})
    stamp = now.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    return workbook([Sheet("结对台账", f"结对帮扶台账（导出于 {stamp}，共 {len(rows)} 对）", COLUMNS,
                           rows, note="结对户姓名已打码；逾期 = 已过下次走访日期仍未走访")])
