"""Reads shared by lists and details: the case view, the queues per role, the internal 公示."""
from datetime import datetime

from sqlalchemy import or_, select

from ..audit.services import record_audit
from ..extensions import db
from ..identity.models import Role, User
from ..policy.scope import ScopeKind, covered_ids, grant_scopes
from ..privacy import mask_name
from ..timeutil import utcnow
from .cases import eligibility, in_organisation, load_case
from .models import Case, CaseStatus, Objection, Payment, Revisit
from .policies import CASE_STAFF, may_read_story, member_unit, staff_over


def _name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id else None
    return user.name if user is not None else ""


def case_view(actor, case: Case, *, full: bool = True) -> dict:
    """A case as the caller may see it (they are already allowed to read it)."""
    view = {"id": case.id, "status": case.status, "applicant_id": case.applicant_id,
            "applicant_name": _name(case.applicant_id), "unit_id": case.unit_id,
            "community_id": case.community_id, "category": case.category,
            "household_size": case.household_size, "created_at": case.created_at,
            "window_ends_at": case.window_ends_at, "aid_type": case.aid_type,
            "contact_person_id": case.contact_person_id,
            "next_revisit_due": case.next_revisit_due}
    if full:
        view.update(hardship=case.hardship, income_per_head_fen=case.income_per_head_fen,
                    documents=case.documents, findings=case.findings,
                    recommendation=case.recommendation, plan=case.plan,
                    override_reason=case.override_reason, decision_reason=case.decision_reason,
                    exit_reason=case.exit_reason,
                    eligibility=eligibility(case.income_per_head_fen, case.exclusions))
    return view


def case_detail(actor, case_id: int) -> dict:
    """The case file; a read by anyone but the applicant is audited (PIPL: sensitive data). The
    story (hardship, income, findings, objections, revisit notes) only to those who need it
    (policies.may_read_story); fund officers and admins see the state, plan and payments."""
    case = load_case(actor, case_id)
    if actor.user_id != case.applicant_id:
        record_audit(actor, "care_case_read", "care_case", case.id, scope=f"unit:{case.unit_id}")
    story = may_read_story(actor, case)
    view = {**case_view(actor, case, full=story), "plan": case.plan,
            "objections": _objections(case.id) if story else [],
            "revisits": _revisits(case.id) if story else []}
    view["payments"] = [
        {"seq": p.seq, "due_on": p.due_on, "amount_fen": p.amount_fen, "status": p.status,
         "batch_id": p.batch_id}
        for p in db.session.execute(select(Payment).where(Payment.case_id == case.id)
                                    .order_by(Payment.seq)).scalars()]
    return view


def _objections(case_id: int) -> list[dict]:
    return [{"id": o.id, "text": o.text, "status": o.status, "resolution": o.resolution,
             "created_at": o.created_at}
            for o in db.session.execute(select(Objection).where(Objection.case_id == case_id)
                                        .order_by(Objection.id)).scalars()]


def _revisits(case_id: int) -> list[dict]:
    return [{"id": r.id, "method": r.method, "note": r.note, "next_due": r.next_due,
             "created_at": r.created_at}
            for r in db.session.execute(select(Revisit).where(Revisit.case_id == case_id)
                                        .order_by(Revisit.id)).scalars()]


def case_queue_query(actor, status: str | None = None):
    """The caller's queue: their own cases, those they are the contact person of, their unit's
    (unit secretary) and those in their scope (leading group, fund officer, admin)."""
    units = [s.id for s in grant_scopes(actor, (Role.UNIT_SECRETARY,)) if s.kind == ScopeKind.UNIT]
    communities = covered_ids(actor, CASE_STAFF)[ScopeKind.COMMUNITY]
    query = select(Case).where(or_(Case.applicant_id == actor.user_id,
                                   (Case.contact_person_id == actor.user_id)
                                   & (Case.status == CaseStatus.ACTIVE),
                                   Case.unit_id.in_(units),
                                   Case.community_id.in_(communities)))
    if status:
        query = query.where(Case.status == CaseStatus(status))
    return query.order_by(Case.id.desc())


def publication_view(actor, case: Case, now: datetime | None = None) -> dict:
    """The 公示 entry: the name shown to the unit's own party organisation, masked elsewhere."""
    now = now or utcnow()
    inside = in_organisation(actor, case)
    name = _name(case.applicant_id)
    return {"id": case.id, "name": name if inside else mask_name(name),
            "unit_id": case.unit_id, "category": case.category,
            "household_size": case.household_size, "recommendation": case.recommendation or "",
            "window_ends_at": case.window_ends_at, "window_open": case.window_open(now),
            "masked": not inside}


def publications_query(actor):
    """Cases now publicised that the caller may see: their own unit's (members) and, masked,
    those in a staff member's scope. Anyone else sees none."""
    unit = member_unit(actor.user_id)
    units = [s.id for s in grant_scopes(actor, (Role.UNIT_SECRETARY,)) if s.kind == ScopeKind.UNIT]
    if unit is not None:
        units.append(unit)
    communities = covered_ids(actor, CASE_STAFF)[ScopeKind.COMMUNITY]
    return (select(Case).where(Case.status == CaseStatus.PUBLICISED,
                               or_(Case.unit_id.in_(units), Case.community_id.in_(communities)))
            .order_by(Case.window_ends_at, Case.id))


__all__ = ["case_view", "case_detail", "case_queue_query", "publications_query",
           "publication_view", "staff_over"]
