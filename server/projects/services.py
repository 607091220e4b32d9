"""Projects (项目清单): a secretary publishes, a unit secretary (for the unit) or a volunteer
claims, the claimer reports progress until done, a secretary confirms it (points then); the
secretary may cancel an open project."""
from datetime import datetime

from sqlalchemy import update

from ..audit.services import record_audit
from ..database import get_or_404
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Role, Unit
from ..points.services import credit_points
from ..policy import membership, parties
from ..policy.scope import Scope, ScopeKind, actor_covers
from ..timeutil import utcnow
from ..wishes.content import check_private_text
from .models import (
    ACTION_NAMES,
    PROJECT,
    STATUS_NAMES,
    TRANSITIONS,
    Project,
    ProjectStatus,
    ProjectUpdate,
)

STAFF = (Role.SECRETARY, Role.ADMIN)


def _move(project: Project, action: str, now: datetime) -> None:
    """The one function that changes a project's status."""
    PROJECT.move(project, TRANSITIONS[action][1], error_message=(
        f"项目{STATUS_NAMES.get(project.status, '')}，不能{ACTION_NAMES[action]}"))
    project.updated_at = now


def manages(actor: Actor, project: Project) -> bool:
    return actor_covers(actor, Scope(ScopeKind.COMMUNITY, project.community_id), roles=STAFF)


def is_claimer(actor: Actor, project: Project) -> bool:
    """The volunteer who claimed it, or a unit secretary of the unit that claimed it."""
    if project.claimed_volunteer_id is not None:
        return actor.volunteer_id == project.claimed_volunteer_id and actor.is_active_volunteer
    if project.claimed_unit_id is not None:
        return actor_covers(actor, Scope(ScopeKind.UNIT, project.claimed_unit_id),
                            roles=(Role.UNIT_SECRETARY,)) and not actor.is_system
    return False


def load_project(project_id: int, *, lock: bool = False) -> Project:
    return get_or_404(Project, project_id, "项目不存在", lock=lock)


def _project_for(actor: Actor, project_id: int, may, refusal: Exception) -> Project:
    """The project, locked and re-read (the claimer completing it while a secretary cancels it:
    one wins, the other sees the new status — never a cancelled project that paid points),
    when `may(actor, project)`; `refusal` otherwise."""
    project = load_project(project_id, lock=True)
    if not may(actor, project):
        raise refusal
    return project


def create_project(actor: Actor, data: dict, *, now: datetime | None = None) -> Project:
    """A secretary publishes a project in a community they manage."""
    now = now or utcnow()
    community = db.session.get(Community, data["community_id"])
    if community is None:
        raise Invalid(errors={"community_id": ["社区不存在"]})
    if not actor_covers(actor, Scope(ScopeKind.COMMUNITY, community.id), roles=STAFF):
        raise Forbidden("只能在您管辖的社区发布项目")
    check_private_text(None, f"{data['title']}\n{data.get('description', '')}", "description")
    project = Project(title=data["title"], description=data.get("description", ""),
                      category=data.get("category", "other"), community_id=community.id,
                      address=data.get("address", ""), lat=data.get("lat", community.lat),
                      lng=data.get("lng", community.lng), seats=data.get("seats", 1),
                      created_by=actor.user_id, created_at=now, updated_at=now, status=None)
    _move(project, "publish", now)
    db.session.add(project)
    db.session.flush()
    record_audit(actor, "project.create", "project", project.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, community.id)))
    return project


def _claimer_for(actor: Actor, unit_id: int | None) -> dict:
    """Who claims: the unit (its unit secretary asks) or the actor's own volunteer profile."""
    if unit_id is not None:
        if db.session.get(Unit, unit_id) is None:
            raise Invalid(errors={"unit_id": ["单位不存在"]})
        if not actor_covers(actor, Scope(ScopeKind.UNIT, unit_id), roles=(Role.UNIT_SECRETARY,)):
            raise Forbidden("只有该单位的党组织书记可以代表单位认领")
        return {"claimed_unit_id": unit_id, "claimed_volunteer_id": None}
    message = "只有已通过审核的志愿者或单位党组织可以认领项目"
    membership.require_active_volunteer(actor, message)
    if not membership.lock_active_member(actor.volunteer_id):  # left meanwhile: no claim kept
        raise Forbidden(message)
    return {"claimed_unit_id": None, "claimed_volunteer_id": actor.volunteer_id}


def claim_project(actor: Actor, project_id: int, unit_id: int | None = None,
                  *, now: datetime | None = None) -> Project:
    """A unit (by its unit secretary) or an active volunteer claims an open project; of any
    number of racers exactly one wins (a conditional UPDATE on the open status)."""
    now = now or utcnow()
    project = load_project(project_id)
    claimer = _claimer_for(actor, unit_id)
    parties.require_not_party(actor, project.created_by, sides="publisher/claimer",
                              error=Conflict)
    PROJECT.check(project.status, TRANSITIONS["claim"][1], error_message=(
        f"项目{STATUS_NAMES[project.status]}，不能认领"))
    taken = db.session.execute(
        update(Project).where(Project.id == project.id, Project.status.in_(
            TRANSITIONS["claim"][0]))
        .values(status=TRANSITIONS["claim"][1], claimed_by=actor.user_id, claimed_at=now,
                updated_at=now, **claimer).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise Conflict("该项目已被认领或当前不可认领")
    project = db.session.get(Project, project.id, populate_existing=True)
    record_audit(actor, "project.claim", "project", project.id, detail=claimer)
    return project


def add_update(actor: Actor, project_id: int, data: dict,
               *, now: datetime | None = None) -> ProjectUpdate:
    """The claimer reports progress; `done` completes the project (progress 100)."""
    now = now or utcnow()
    project = _project_for(actor, project_id, is_claimer, Forbidden("只有认领方可以报告项目进展"))
    done = data.get("done", False)
    if not project.can("complete"):
        raise Conflict(f"项目{STATUS_NAMES[project.status]}，不能报告进展")
    check_private_text(None, data["note"], "note")
    progress = 100 if done else max(project.progress, data.get("progress", project.progress))
    if progress >= 100 and not done:
        raise Invalid(errors={"progress": ["进度 100 请以“完成”提交（done: true）"]})
    entry = ProjectUpdate(project_id=project.id, author_id=actor.user_id, note=data["note"],
                          progress=progress, created_at=now)
    db.session.add(entry)
    project.progress, project.updated_at = progress, now
    if done:  # points wait for a secretary's confirmation (confirm_project)
        _move(project, "complete", now)
        project.done_at = now
    db.session.flush()
    record_audit(actor, "project.done" if done else "project.update", "project", project.id,
                 detail={"progress": progress})
    return entry


def confirm_project(actor: Actor, project_id: int, *, now: datetime | None = None) -> Project:
    """A secretary in scope confirms a done project — never the claimer (claimer/confirmer) —
    and the claiming volunteer's points are credited then, once (DESIGN.md: no points before
    the confirmation). A project claimed by a unit is confirmed without points."""
    now = now or utcnow()
    project = _project_for(actor, project_id, manages, NotFound("项目不存在"))
    parties.require_not_party(actor, project.claimed_by, sides="project claimer/confirmer")
    if project.status != ProjectStatus.DONE:
        raise Conflict(f"项目{STATUS_NAMES.get(project.status, '')}，不能{ACTION_NAMES['confirm']}")
    if project.confirmed_at is not None:
        raise Conflict("该项目已确认")
    project.confirmed_at, project.confirmed_by, project.updated_at = now, actor.user_id, now
    if project.claimed_volunteer_id is not None:
        credit_points(project.claimed_volunteer_id, "project_done", "project", project.id,
                      now=now)
    db.session.flush()
    record_audit(actor, "project.confirm", "project", project.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, project.community_id)))
    return project


def cancel_project(actor: Actor, project_id: int, reason: str,
                   *, now: datetime | None = None) -> Project:
    """A secretary in scope withdraws a project that is not done."""
    now = now or utcnow()
    project = _project_for(actor, project_id, manages, NotFound("项目不存在"))
    _move(project, "cancel", now)
    project.cancelled_at, project.cancel_reason = now, reason
    db.session.flush()
    record_audit(actor, "project.cancel", "project", project.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, project.community_id)))
    return project


def release_claims_of(volunteer_id: int, now: datetime) -> int:
    """A leaving volunteer's claimed projects go back to open (policy.membership)."""
    PROJECT.check(ProjectStatus.CLAIMED, ProjectStatus.OPEN)
    result = db.session.execute(
        update(Project).where(Project.claimed_volunteer_id == volunteer_id,
                              Project.status == ProjectStatus.CLAIMED)
        .values(status=ProjectStatus.OPEN, claimed_by=None, claimed_volunteer_id=None,
                claimed_at=None, updated_at=now).execution_options(synchronize_session=False))
    return result.rowcount or 0
