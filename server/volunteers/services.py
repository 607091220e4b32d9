"""Volunteer services: apply, review (准入), leave (准出), list by scope."""
from ..audit.services import record_audit
from ..database import get_or_404
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Unit, User
from ..identity.skills import check_skills
from ..policy import membership, parties
from ..timeutil import utcnow
from .models import VOLUNTEER, Volunteer, VolunteerStatus

DEFAULT_AVAILABILITY = [{"weekday": 5, "start": "09:00", "end": "12:00"},
                        {"weekday": 6, "start": "09:00", "end": "12:00"}]


def _resolve_unit(unit_id: int | None, unit_name: str | None) -> int | None:
    if unit_id is not None:
        if db.session.get(Unit, unit_id) is None:
            raise Invalid(errors={"unit_id": ["单位不存在"]})
        return unit_id
    if unit_name:
        found = db.session.execute(db.select(Unit.id).filter_by(name=unit_name)).scalar()
        if found is None:
            raise Invalid(errors={"unit": ["单位不存在"]})
        return found
    return None


def apply_volunteer(actor: Actor, data: dict, *, now=None) -> Volunteer:
    """A resident applies to volunteer in a community; a rejected or former volunteer may reapply."""
    user = db.session.get(User, actor.user_id)
    community_id = data.get("community_id") or user.community_id
    if community_id is None or db.session.get(Community, community_id) is None:
        raise Invalid("请先选择报到社区", {"community_id": ["请选择有效的社区"]})
    existing = db.session.execute(db.select(Volunteer).filter_by(user_id=user.id)).scalar_one_or_none()
    if existing is not None and not existing.can_apply_again():
        raise Conflict("您已提交申请或已是志愿者")
    volunteer = existing or Volunteer(user_id=user.id)
    VOLUNTEER.move(volunteer, VolunteerStatus.PENDING)
    volunteer.community_id = community_id
    volunteer.unit_id = _resolve_unit(data.get("unit_id"), data.get("unit"))
    volunteer.skills = check_skills(data["skills"])
    volunteer.availability = data["availability"]
    volunteer.capacity_per_day = data["capacity_per_day"]
    volunteer.max_distance_m = data.get("max_distance_m", 5000)
    volunteer.lat, volunteer.lng = data["lat"], data["lng"]
    volunteer.applied_at = now or utcnow()
    volunteer.reviewed_by = volunteer.reviewed_at = volunteer.review_reason = None
    volunteer.left_at = None
    db.session.add(volunteer)
    db.session.flush()
    return volunteer


def _visible_volunteer(actor: Actor, volunteer_id: int) -> Volunteer:
    volunteer = get_or_404(Volunteer, volunteer_id, "志愿者不存在")
    if volunteer.user_id == actor.user_id or actor.manages(volunteer.community_id):
        return volunteer
    raise NotFound("志愿者不存在")


class VolunteerFile:
    """A volunteer as read in full (by self or own secretary): the phone is shown unmasked."""

    show_phone = True

    def __init__(self, volunteer: Volunteer):
        self._volunteer = volunteer

    def __getattr__(self, name):
        return getattr(self._volunteer, name)


def get_volunteer(actor: Actor, volunteer_id: int) -> "VolunteerFile":
    """A volunteer's file: the volunteer themself, or a secretary of their community (audited)."""
    volunteer = _visible_volunteer(actor, volunteer_id)
    if volunteer.user_id != actor.user_id:
        record_audit(actor, "volunteer.read", "volunteer", volunteer.id,
                     scope=f"community:{volunteer.community_id}")
    return VolunteerFile(volunteer)


def get_my_volunteer(actor: Actor) -> Volunteer:
    if actor.volunteer_id is None:
        raise NotFound("您还没有申请成为志愿者")
    return db.session.get(Volunteer, actor.volunteer_id)


def review_volunteer(actor: Actor, volunteer_id: int, approve: bool, reason: str | None = None,
                     *, now=None) -> Volunteer:
    """准入: a secretary of the volunteer's community approves or rejects a pending application."""
    if not actor.is_secretary:
        raise Forbidden("只有社区书记可以审核志愿者")
    volunteer = _visible_volunteer(actor, volunteer_id)
    if not actor.manages(volunteer.community_id):
        raise NotFound("志愿者不存在")
    if not volunteer.can_review():
        raise Conflict("该申请已审核，不能重复审核")
    parties.require_not_party(actor, volunteer.user_id, sides="applicant/approver")
    now = now or utcnow()
    if approve:
        VOLUNTEER.move(volunteer, VolunteerStatus.ACTIVE)
    else:
        membership.end_volunteering(actor, volunteer, reason=reason or "申请未通过", now=now,
                                    status=VolunteerStatus.REJECTED)
    volunteer.reviewed_by, volunteer.reviewed_at = actor.user_id, now
    volunteer.review_reason = reason
    record_audit(actor, "volunteer.approve" if approve else "volunteer.reject", "volunteer",
                 volunteer.id, scope=f"community:{volunteer.community_id}",
                 detail={"reason": reason} if reason else {})
    db.session.flush()
    return volunteer


def leave_volunteering(actor: Actor, reason: str | None = None, *, now=None) -> Volunteer:
    """准出: a volunteer leaves (or withdraws a pending application). What they hold — claimed
    wishes, assigned visits, offerings, proposals — is released at once (policy.membership)."""
    volunteer = get_my_volunteer(actor)
    if not volunteer.can_leave():
        raise Conflict("当前状态不能退出")
    released = membership.end_volunteering(actor, volunteer, reason=reason or "志愿者退出",
                                           now=now or utcnow())
    volunteer.review_reason = reason
    record_audit(actor, "volunteer.leave", "volunteer", volunteer.id,
                 scope=f"community:{volunteer.community_id}", detail={"released": released})
    db.session.flush()
    return volunteer


def list_volunteers(actor: Actor, status: str | None = None, community_id: int | None = None):
    """Volunteers of the communities a secretary manages, as a query to paginate."""
    if not actor.is_secretary:
        raise Forbidden("只有社区书记可以查看志愿者名单")
    communities = actor.managed_communities
    if community_id is not None:
        if community_id not in communities:
            raise NotFound("社区不存在或不在您的管辖范围")
        communities = {community_id}
    query = db.select(Volunteer).where(Volunteer.community_id.in_(communities))
    if status:
        query = query.filter_by(status=status)
    return query.order_by(Volunteer.id)


def activate_volunteer(actor: Actor, user: User, community_id: int, *, now=None) -> Volunteer:
    """Make an approved volunteer directly (the CLI's `users grant --role volunteer`, or an
    admin's grant); nobody activates themself (policy.parties)."""
    parties.require_not_party(actor, user.id, sides="granter/grantee")
    volunteer = db.session.execute(db.select(Volunteer).filter_by(user_id=user.id)).scalar_one_or_none()
    community = db.session.get(Community, community_id)
    if volunteer is None:
        volunteer = Volunteer(user_id=user.id, skills=[], availability=DEFAULT_AVAILABILITY,
                              capacity_per_day=2, lat=community.lat, lng=community.lng,
                              community_id=community_id)
        db.session.add(volunteer)
    # A direct grant sets the state outright, from any state (the one move outside VOLUNTEER).
    volunteer.status, volunteer.community_id = VolunteerStatus.ACTIVE, community_id
    volunteer.reviewed_by, volunteer.reviewed_at = actor.user_id, now or utcnow()
    if user.community_id is None:
        user.community_id = community_id
    db.session.flush()
    return volunteer
