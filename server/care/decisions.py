"""The leading group's decisions on a case (approve with an aid plan, reject), exit, revisits."""
from datetime import datetime, timedelta

from sqlalchemy import func, insert, update

from ..config import settings
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Role, User
from ..policy.parties import require_not_party
from ..policy.scope import Scope, ScopeKind, actor_covers
from ..timeutil import local_date, utcnow
from .cases import _audit, _move, check_text, load_case
from .models import (
    AidType,
    Case,
    CaseStatus,
    Objection,
    ObjectionStatus,
    Payment,
    PaymentStatus,
    Revisit,
)
from .policies import leading_group_over, unit_secretary_of
from .schedules import normalise_plan, schedule


def _open_objections(case_id: int) -> int:
    return db.session.execute(db.select(func.count()).where(
        Objection.case_id == case_id, Objection.status == ObjectionStatus.OPEN)).scalar_one()


def _require_window_closed(case: Case, now: datetime) -> None:
    if case.status == CaseStatus.PUBLICISED and case.window_open(now):
        raise Conflict("公示期未结束，不能作出决定")


def approve_case(actor, case_id: int, body: dict, *, now: datetime | None = None) -> Case:
    """After the window (≥ 5 days) closes with no open objection, the leading group approves an
    aid plan and names a contact person; an ineligible case needs an override reason (audited).
    The plan's schedule becomes the case's due payments."""
    now = now or utcnow()
    case = load_case(actor, case_id, lock=True)
    if not leading_group_over(actor, case):
        raise Forbidden("只有帮扶领导小组可以审批")
    require_not_party(actor, case.applicant_id, case.verified_by, sides="applicant/approver")
    _require_window_closed(case, now)
    if case.status == CaseStatus.PUBLICISED and _open_objections(case.id):
        raise Conflict("公示期内有未处理的异议，不能批准")
    if db.session.execute(db.select(func.count()).where(
            Objection.case_id == case.id, Objection.status == ObjectionStatus.UPHELD)
    ).scalar_one():
        raise Conflict("异议成立，不能批准")
    plan = normalise_plan(body["aid_type"], body)
    override = (body.get("override_reason") or "").strip()
    if not case.eligible and not override:
        raise Conflict("不符合帮扶条件，破格帮扶须填写理由")
    contact = db.session.get(User, body["contact_person_id"])
    if contact is None or contact.cancelled_at is not None:
        raise Invalid("跟踪联系人不存在", errors={"contact_person_id": ["不存在"]})
    require_not_party(contact.id, case.applicant_id, sides="applicant/contact")
    # the contact person reads the whole case file: someone the deciding grant reaches
    if contact.community_id is None or not actor_covers(
            actor, Scope(ScopeKind.COMMUNITY, contact.community_id), roles=(Role.LEADING_GROUP,)):
        raise Invalid("跟踪联系人不在您的管辖范围内", errors={"contact_person_id": ["不在管辖范围内"]})
    _move(case, CaseStatus.ACTIVE, now)
    today = local_date(now)
    case.aid_type, case.plan = body["aid_type"], plan
    case.contact_person_id, case.decided_by = contact.id, actor.user_id
    case.override_reason = override or None
    case.next_revisit_due = today + timedelta(days=settings().care_revisit_days)
    due = schedule(case.aid_type, plan, today)
    db.session.execute(insert(Payment), [
        {"case_id": case.id, "seq": i, "due_on": d, "amount_fen": a,
         "status": PaymentStatus.DUE} for i, (d, a) in enumerate(due, 1)])
    _audit(actor, "approved", case, aid_type=case.aid_type, plan=plan,
           payments=len(due), **({"override_reason": override} if override else {}))
    if override:
        _audit(actor, "eligibility_override", case, reason=override)
    return case


def reject_case(actor, case_id: int, reason: str, *, now: datetime | None = None) -> Case:
    """The unit secretary (before publication) or the leading group (after the window) rejects."""
    now = now or utcnow()
    case = load_case(actor, case_id, lock=True)
    by_unit = unit_secretary_of(actor, case.unit_id) and case.status in (
        CaseStatus.APPLIED, CaseStatus.VERIFIED)
    if not (by_unit or leading_group_over(actor, case)):
        raise Forbidden("只有帮扶领导小组或单位党组织书记可以驳回")
    require_not_party(actor, case.applicant_id, sides="applicant/approver")
    _require_window_closed(case, now)
    _move(case, CaseStatus.REJECTED, now)
    case.decided_by, case.decision_reason = actor.user_id, reason
    _audit(actor, "rejected", case, reason=reason)
    return case


def exit_case(actor, case_id: int, reason: str, *, now: datetime | None = None) -> Case:
    """The hardship is over: the leading group, or the applicant themself, closes the case;
    payments not yet in a batch are cancelled."""
    now = now or utcnow()
    case = load_case(actor, case_id, lock=True)
    if actor.user_id != case.applicant_id and not leading_group_over(actor, case):
        raise Forbidden("只有帮扶领导小组或申请人本人可以退出帮扶")
    _move(case, CaseStatus.EXITED, now)
    case.exit_reason = reason
    db.session.execute(update(Payment).where(
        Payment.case_id == case.id, Payment.status == PaymentStatus.DUE,
        Payment.batch_id.is_(None)).values(status=PaymentStatus.CANCELLED))
    _audit(actor, "exited", case, reason=reason)
    return case


def add_revisit(actor, case_id: int, body: dict, *, now: datetime | None = None) -> Revisit:
    """The contact person logs a phone call or a visit and when the next one is due."""
    now = now or utcnow()
    case = load_case(actor, case_id, lock=True)
    if actor.user_id != case.contact_person_id:
        raise Forbidden("只有跟踪联系人可以登记回访")
    if case.status != CaseStatus.ACTIVE:
        raise Conflict("案件不在帮扶中，不能登记回访")
    if body.get("next_due") is not None and body["next_due"] <= local_date(now):
        raise Invalid("下次回访日期须晚于今天", errors={"next_due": ["须晚于今天"]})
    check_text(actor, body["note"], "note")
    visit = Revisit(case_id=case.id, author_id=actor.user_id, method=body["method"],
                    note=body["note"], next_due=body.get("next_due"), created_at=now)
    db.session.add(visit)
    case.next_revisit_due = body.get("next_due")
    case.updated_at = now
    db.session.flush()
    return visit


def plan_summary(case: Case) -> dict:
    if not case.aid_type:
        return {}
    return {"aid_type": AidType(case.aid_type), **case.plan}


__all__ = ["approve_case", "reject_case", "exit_case", "add_revisit", "NotFound"]
