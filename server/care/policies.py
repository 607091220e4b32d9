"""Who may see and do what in the care fund and casework (built on server/policy)."""
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Community, Role, Street, Unit
from ..policy.scope import Scope, ScopeKind, actor_covers, grant_scopes
from ..volunteers.models import Volunteer, VolunteerStatus
from .models import Case, CaseStatus

FUND_ROLES = (Role.FUND_OFFICER, Role.ADMIN)
CASE_STAFF = (Role.LEADING_GROUP, Role.FUND_OFFICER, Role.ADMIN)


def member_unit(user_id: int | None) -> int | None:
    """The unit whose party organisation a member belongs to (their volunteer profile's unit)."""
    if user_id is None:
        return None
    return db.session.execute(db.select(Volunteer.unit_id).where(
        Volunteer.user_id == user_id, Volunteer.status == VolunteerStatus.ACTIVE)
        .limit(1)).scalar_one_or_none()


def is_member_of(actor, unit_id: int) -> bool:
    return actor.user_id is not None and member_unit(actor.user_id) == unit_id


def district_of_unit(unit_id: int) -> int | None:
    return db.session.execute(
        db.select(Street.district_id).join(Community, Community.street_id == Street.id)
        .join(Unit, Unit.community_id == Community.id).where(Unit.id == unit_id)
    ).scalar_one_or_none()


def district_of_community(community_id: int) -> int:
    return db.session.execute(
        db.select(Street.district_id).join(Community, Community.street_id == Street.id)
        .where(Community.id == community_id)).scalar_one()


def unit_secretary_of(actor, unit_id: int) -> bool:
    return actor_covers(actor, Scope(ScopeKind.UNIT, unit_id), roles=(Role.UNIT_SECRETARY,))


def leading_group_over(actor, case: Case) -> bool:
    return actor_covers(actor, Scope(ScopeKind.COMMUNITY, case.community_id),
                        roles=(Role.LEADING_GROUP,))


def staff_over(actor, case: Case) -> bool:
    """Staff who handle the case: its unit's secretary, the leading group, fund officer or
    admin whose scope contains the applicant's community."""
    return unit_secretary_of(actor, case.unit_id) or actor_covers(
        actor, Scope(ScopeKind.COMMUNITY, case.community_id), roles=CASE_STAFF)


def is_current_contact(actor, case: Case) -> bool:
    """The contact person follows the case while it is active (帮扶中); after that the role is
    over and so is their access to the case file."""
    return (actor.user_id is not None and actor.user_id == case.contact_person_id
            and case.status == CaseStatus.ACTIVE)


def may_read_case(actor, case: Case) -> bool:
    return (actor.user_id == case.applicant_id or is_current_contact(actor, case)
            or staff_over(actor, case))


def require_case_visible(actor, case: Case | None) -> Case:
    """404 for a case the caller may not read: its existence is itself private."""
    if case is None or not may_read_case(actor, case):
        raise NotFound("案件不存在或无权查看")
    return case


def require_fund_scope(actor, *, district_id: int | None = None,
                       street_id: int | None = None) -> Scope:
    """The fund scope the caller acts in: the one named, or the caller's own fund grant."""
    if street_id is not None:
        scope = Scope(ScopeKind.STREET, street_id)
    elif district_id is not None:
        scope = Scope(ScopeKind.DISTRICT, district_id)
    else:
        held = sorted((s for s in grant_scopes(actor, FUND_ROLES)
                       if s.kind in (ScopeKind.DISTRICT, ScopeKind.STREET)),
                      key=lambda s: (s.kind != ScopeKind.DISTRICT, s.id))
        if not held and not actor.is_system:
            raise Forbidden("只有关爱基金管理员可以操作")
        if not held:
            raise Invalid("请指明区或街道", errors={"district_id": ["必填"]})
        scope = held[0]
    if not actor_covers(actor, scope, roles=FUND_ROLES):
        raise Forbidden("超出您的管辖范围")
    return scope


def may_read_story(actor, case: Case) -> bool:
    """The hardship story, income, documents, findings, objections and revisit notes: only the
    applicant, the contact person, the unit's secretary and the leading group need them; a fund
    officer or an admin sees the case's state, plan and payments without them."""
    return (actor.user_id == case.applicant_id or is_current_contact(actor, case)
            or unit_secretary_of(actor, case.unit_id) or leading_group_over(actor, case)
            or actor.is_system)
