"""The revisit clock (jobs process): remind the contact person when a revisit is due, and tell
the unit's secretary when one is overdue by more than CARE_REVISIT_GRACE_DAYS."""
from datetime import datetime, timedelta

from sqlalchemy import select

from ..config import settings
from ..extensions import db
from ..identity.models import Role, RoleGrant
from ..notifications.services import notify
from ..scheduling.settings import system_only
from ..timeutil import LOCAL_TZ, utcnow
from .models import Case, CaseStatus

REMIND_AHEAD_DAYS = 3


def _unit_secretaries(unit_id: int) -> list[int]:
    return list(db.session.execute(select(RoleGrant.user_id).where(
        RoleGrant.role == Role.UNIT_SECRETARY, RoleGrant.unit_id == unit_id,
        RoleGrant.revoked_at.is_(None))).scalars())


def remind_revisits(actor, *, now: datetime | None = None) -> dict:
    """One reminder per case and due date to the contact person; one overdue notice per case
    and due date to each secretary of the applicant's unit."""
    system_only(actor)
    now = now or utcnow()
    today = now.astimezone(LOCAL_TZ).date()
    grace = timedelta(days=settings().care_revisit_grace_days)
    cases = db.session.execute(select(Case).where(
        Case.status == CaseStatus.ACTIVE, Case.next_revisit_due.is_not(None),
        Case.next_revisit_due <= today + timedelta(days=REMIND_AHEAD_DAYS))).scalars().all()
    reminded = overdue = 0
    for case in cases:
        ref = f"care-{case.id}-{case.next_revisit_due.isoformat()}"
        if case.contact_person_id and notify(
                case.contact_person_id, "care_revisit_due", title="帮扶对象回访",
                ref=ref, note=f"请于 {case.next_revisit_due} 前回访", now=now):
            reminded += 1
        if case.next_revisit_due + grace < today:
            for secretary in _unit_secretaries(case.unit_id):
                if notify(secretary, "care_revisit_overdue", title="帮扶回访逾期", ref=ref,
                          note=f"案件 {case.id} 的回访已逾期", now=now):
                    overdue += 1
    return {"due": len(cases), "reminded": reminded, "overdue_notices": overdue}
