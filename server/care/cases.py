"""Assistance cases: apply → verify → publish → approve (active) → exit, with reject; one move
function (`_move`) over the table in models.CASE. No step is taken by the person it is about."""
from datetime import datetime, timedelta

from ..audit.services import record_audit
from ..config import settings
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Role, User
from ..policy.parties import require_not_party
from ..policy.scope import Scope, ScopeKind, actor_covers
from ..timeutil import utcnow
from ..wishes.content import check_private_text
from .models import (
    CASE,
    OBJECTION,
    STATUS_NAMES,
    Case,
    CaseStatus,
    Exclusion,
    Objection,
    ObjectionStatus,
)
from .policies import leading_group_over, member_unit, require_case_visible, unit_secretary_of

MIN_WINDOW_DAYS = 5
MAX_WINDOW_DAYS = 60
ACTION_NAMES = {CaseStatus.VERIFIED: "核实", CaseStatus.PUBLICISED: "公示",
                CaseStatus.ACTIVE: "批准", CaseStatus.REJECTED: "驳回", CaseStatus.EXITED: "退出"}


def eligibility(income_per_head_fen: int, exclusions: list[str]) -> dict:
    """The rule, computed and shown: income per head below the local minimum wage and no
    conduct exclusion."""
    threshold = settings().care_min_wage_fen
    below = income_per_head_fen < threshold
    reasons = [] if below else [f"人均收入不低于当地最低工资标准（{threshold / 100:.2f} 元）"]
    reasons += [f"不予帮扶情形：{Exclusion(e).value}" for e in exclusions]
    return {"eligible": below and not exclusions, "income_per_head_fen": income_per_head_fen,
            "threshold_fen": threshold, "below_threshold": below,
            "exclusions": list(exclusions), "reasons": reasons}


def _move(case: Case, to: CaseStatus, now: datetime) -> None:
    """THE function that changes a case's status (409 when the table does not allow it)."""
    CASE.move(case, to, error_message=f"案件{STATUS_NAMES[CaseStatus(case.status)]}，"
                                      f"不能{ACTION_NAMES[to]}")
    case.updated_at = now


def check_text(actor, text: str | None, field: str) -> None:
    """Free text others will read (hardship, objections, revisit notes) passes the content
    check; a risky text is 422."""
    user = db.session.get(User, actor.user_id) if actor.user_id else None
    check_private_text(user.openid if user else None, text, field)


def _audit(actor, action: str, case: Case, **detail) -> None:
    record_audit(actor, f"care_case_{action}", "care_case", case.id,
                 scope=f"unit:{case.unit_id}", detail=detail)


def in_organisation(actor, case: Case) -> bool:
    """Members of the applicant's unit's party organisation (and its secretary)."""
    return member_unit(actor.user_id) == case.unit_id or unit_secretary_of(actor, case.unit_id)


def load_case(actor, case_id: int, *, lock: bool = False) -> Case:
    query = db.select(Case).where(Case.id == case_id)
    case = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
    return require_case_visible(actor, case)


def _may_file_for(actor, applicant: User, unit_id: int) -> bool:
    if actor.user_id == applicant.id or unit_secretary_of(actor, unit_id):
        return True
    return applicant.community_id is not None and actor_covers(
        actor, Scope(ScopeKind.COMMUNITY, applicant.community_id),
        roles=(Role.SECRETARY, Role.GRID_WORKER))


def apply_case(actor, body: dict, *, now: datetime | None = None) -> Case:
    """A member applies for themself, or their unit secretary / community staff files for them."""
    now = now or utcnow()
    applicant = db.session.get(User, body["applicant_id"])
    unit_id = member_unit(applicant.id) if applicant and applicant.cancelled_at is None else None
    if applicant is None or (actor.user_id != applicant.id and unit_id is None
                             and not actor.is_system):
        raise NotFound("申请人不存在")
    if unit_id is None or applicant.community_id is None:
        raise Invalid("申请人不是单位党组织的党员", errors={"applicant_id": ["不是党员"]})
    if not _may_file_for(actor, applicant, unit_id):
        raise Forbidden("只能为本人，或为本单位、本社区的党员申请帮扶")
    check_text(actor, body["hardship"], "hardship")
    exclusions = sorted(set(body.get("exclusions", [])))
    result = eligibility(body["income_per_head_fen"], exclusions)
    case = Case(applicant_id=applicant.id, unit_id=unit_id, community_id=applicant.community_id,
                filed_by=actor.user_id, status=CaseStatus.APPLIED, category=body["category"],
                hardship=body["hardship"], household_size=body["household_size"],
                income_per_head_fen=body["income_per_head_fen"], exclusions=exclusions,
                documents=body.get("documents", []), eligible=result["eligible"],
                created_at=now, updated_at=now)
    db.session.add(case)
    db.session.flush()
    _audit(actor, "applied", case, eligible=result["eligible"])
    return case


def verify_case(actor, case_id: int, body: dict, *, now: datetime | None = None) -> Case:
    """The unit secretary checks the facts, recommends and seals (签章)."""
    now = now or utcnow()
    case = load_case(actor, case_id, lock=True)
    if not unit_secretary_of(actor, case.unit_id):
        raise Forbidden("只有申请人所在单位的党组织书记可以核实")
    require_not_party(actor, case.applicant_id, sides="applicant/verifier")
    if "income_per_head_fen" in body or "exclusions" in body:
        case.income_per_head_fen = body.get("income_per_head_fen", case.income_per_head_fen)
        case.exclusions = sorted(set(body.get("exclusions", case.exclusions)))
        case.eligible = eligibility(case.income_per_head_fen, case.exclusions)["eligible"]
    _move(case, CaseStatus.VERIFIED, now)
    case.findings, case.recommendation = body["findings"], body["recommendation"]
    case.verified_by = actor.user_id
    _audit(actor, "verified", case, eligible=case.eligible)
    return case


def publish_case(actor, case_id: int, days: int, *, now: datetime | None = None) -> Case:
    """公示 inside the unit's party organisation for `days` ≥ 5 days."""
    now = now or utcnow()
    if days < MIN_WINDOW_DAYS:
        raise Invalid("公示期不少于 5 天", errors={"days": ["至少 5 天"]})
    if days > MAX_WINDOW_DAYS:  # the API's schema says so too; the console's form reaches here
        raise Invalid(f"公示期不超过 {MAX_WINDOW_DAYS} 天", errors={"days": [f"至多 {MAX_WINDOW_DAYS} 天"]})
    case = load_case(actor, case_id, lock=True)
    if not unit_secretary_of(actor, case.unit_id):
        raise Forbidden("只有申请人所在单位的党组织书记可以公示")
    require_not_party(actor, case.applicant_id, sides="applicant/publisher")
    _move(case, CaseStatus.PUBLICISED, now)
    case.published_by, case.window_starts_at = actor.user_id, now
    case.window_ends_at = now + timedelta(days=days)
    _audit(actor, "publicised", case, days=days)
    return case


def object_to_case(actor, case_id: int, text: str, *,
                   now: datetime | None = None) -> Objection:
    """A member of the unit objects while the publication window is open."""
    now = now or utcnow()
    case = db.session.get(Case, case_id)
    if case is None or not in_organisation(actor, case):
        raise NotFound("公示不存在或不在您的党组织内")
    require_not_party(actor, case.applicant_id, sides="applicant/objector")
    if case.status != CaseStatus.PUBLICISED or not case.window_open(now):
        raise Conflict("案件不在公示期内，不能提出异议")
    check_text(actor, text, "text")
    objection = Objection(case_id=case.id, author_id=actor.user_id, text=text, created_at=now)
    db.session.add(objection)
    db.session.flush()
    _audit(actor, "objection", case, objection_id=objection.id)
    return objection


def resolve_objection(actor, case_id: int, objection_id: int, body: dict, *,
                      now: datetime | None = None) -> Objection:
    """The leading group dismisses or upholds an objection (an upheld one blocks approval)."""
    case = load_case(actor, case_id, lock=True)
    if not leading_group_over(actor, case):
        raise Forbidden("只有帮扶领导小组可以处理异议")
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.case_id != case.id:
        raise NotFound("异议不存在")
    require_not_party(actor, objection.author_id, case.applicant_id, sides="objector/resolver")
    OBJECTION.move(objection, ObjectionStatus(body["decision"]), error_message="异议已处理")
    objection.resolution, objection.resolved_by = body["resolution"], actor.user_id
    _audit(actor, "objection_resolved", case, objection_id=objection.id,
           decision=body["decision"])
    return objection
