"""Matching runs and the review of their proposals. Accepting a proposal claims the wish (or
assigns the order) through the same service functions as a volunteer's own claim."""
from datetime import datetime, timedelta

from sqlalchemy import update

import matching

from ..audit.services import record_audit
from ..config import settings
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Role, Skill, Street
from ..notifications.services import notify
from ..policy import membership
from ..policy.scope import Scope, ScopeKind, covered_ids, require_covers
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from . import loading, sources
from .models import PROPOSAL, RUN, MatchingRun, MatchProposal, ProposalStatus, RunStatus

RUN_VIEWERS = (Role.SECRETARY, Role.ADMIN)  # roles whose scope shows matching runs


def _scope(actor: Actor, community_id: int | None, street_id: int | None) -> list[int]:
    if (community_id is None) == (street_id is None):
        raise Invalid("请指定一个社区或一个街道", {"community_id": ["社区和街道二选一"]})
    if community_id is not None:
        if db.session.get(Community, community_id) is None:
            raise NotFound("社区不存在")
        ids = [community_id]
    else:
        if db.session.get(Street, street_id) is None:
            raise NotFound("街道不存在")
        ids = list(db.session.execute(db.select(Community.id).filter_by(street_id=street_id)
                                      .order_by(Community.id)).scalars())
    scope = (Scope(ScopeKind.COMMUNITY, community_id) if community_id is not None
             else Scope(ScopeKind.STREET, street_id))
    require_covers(actor, scope, roles=RUN_VIEWERS, not_found=True,
                   message="社区不存在或不在您的管辖范围")
    return ids


def start_run(actor: Actor, *, community_id: int | None = None, street_id: int | None = None,
              trigger: str = "manual", now: datetime | None = None) -> MatchingRun:
    """Solve open tasks against available volunteers of a community or street, in a separate
    process with a time limit, and store the proposals for review."""
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以发起匹配")
    now = now or utcnow()
    communities = _scope(actor, community_id, street_id)
    run = MatchingRun(community_id=community_id, street_id=street_id, started_by=actor.user_id,
                      trigger=trigger, status=RunStatus.RUNNING, created_at=now)
    db.session.add(run)
    tasks = sources.open_tasks(communities, now)
    if trigger == "schedule":  # a scheduled run leaves tasks already waiting for review alone
        waiting = loading.tasks_awaiting_review()
        tasks = [task for task in tasks if task.id not in waiting]
    volunteers = loading.available_volunteers(communities)
    params = matching.Params(start=now, days=settings().matching_days,
                             time_limit_s=settings().matching_time_limit_s)
    try:
        result = matching.solve_isolated(tasks, volunteers, params)
    except matching.MatchingError as exc:
        RUN.move(run, RunStatus.FAILED)
        run.message, run.finished_at = f"求解未完成：{exc}"[:200], utcnow()
        db.session.flush()
        return run
    _store(run, result, communities)
    record_audit(actor, "matching.run", "matching_run", run.id,
                 scope=f"street:{street_id}" if street_id else f"community:{community_id}",
                 detail={k: run.stats.get(k) for k in ("tasks", "volunteers", "matched")})
    db.session.flush()
    return run


def _ids(ref: str) -> tuple[str, int]:
    kind, _, number = ref.partition(":")
    return kind, int(number)


def _readable(reasons: list[str], names: dict[str, str]) -> list[str]:
    """The engine speaks in skill codes; secretaries read skill names."""
    out = []
    for reason in reasons:
        for code, name in names.items():
            reason = reason.replace(code, name)
        out.append(reason)
    return out


def _store(run: MatchingRun, result: matching.Result, communities: list[int]) -> None:
    db.session.flush()
    names = dict(db.session.execute(db.select(Skill.code, Skill.name)).all())
    # Longest codes first, so no code is replaced inside a longer one.
    names = dict(sorted(names.items(), key=lambda kv: -len(kv[0])))
    for p in result.proposals:
        task_type, task_id = _ids(p.task_id)
        volunteer_id = _ids(p.volunteer_id)[1]
        community = db.session.get(Volunteer, volunteer_id).community_id
        db.session.add(MatchProposal(
            run_id=run.id, task_type=task_type, task_id=task_id, volunteer_id=volunteer_id,
            community_id=sources.community_of(task_type, task_id) or community,
            distance_m=p.distance_m, score=p.score, reasons=_readable(p.reasons, names),
            start=p.start, end=p.end))
    run.unmatched = [{"task_type": _ids(u.task_id)[0], "task_id": _ids(u.task_id)[1],
                      "reason": u.reason, "message": _readable([u.message], names)[0]}
                     for u in result.unmatched]
    stats = result.stats
    run.stats = {"tasks": stats.get("tasks", 0), "volunteers": stats.get("volunteers", 0),
                 "matched": len(result.proposals), "unmatched": len(result.unmatched),
                 "total_distance_m": int(sum(p.distance_m for p in result.proposals)),
                 "solve_ms": round(float(stats.get("solve_ms", 0)), 1),
                 "total_ms": round(float(stats.get("total_ms", 0)), 1),
                 "arcs": stats.get("arcs", 0)}
    if not result.proposals:
        run.message = _empty_message(stats, result)
    RUN.move(run, RunStatus.DONE)
    run.finished_at = utcnow()


def _empty_message(stats: dict, result: matching.Result) -> str:
    if not stats.get("tasks"):
        return "当前没有待匹配的任务"
    if not stats.get("volunteers"):
        return "当前没有可用的志愿者"
    return "没有找到合适的志愿者，原因见未匹配任务"


def run_scheduled_matching(actor: Actor, *, now: datetime | None = None) -> dict:
    """The jobs process: one run per community that has open tasks not yet proposed to anyone.
    Running it again at once proposes nothing new."""
    now = now or utcnow()
    waiting = loading.tasks_awaiting_review()
    due = [c for c in db.session.execute(db.select(Community.id).order_by(Community.id)).scalars()
           if any(t.id not in waiting for t in sources.open_tasks([c], now))]
    proposals = 0
    for community_id in due:
        run = start_run(actor, community_id=community_id, trigger="schedule", now=now)
        proposals += run.stats.get("matched", 0)
    return {"communities": len(due), "runs": len(due), "proposals": proposals}


def get_run(actor: Actor, run_id: int) -> MatchingRun:
    """One run, to a secretary/admin whose scope contains the run's whole scope (as list_runs)."""
    run = db.session.get(MatchingRun, run_id)
    if run is None or not actor.is_secretary:
        raise NotFound("匹配记录不存在")
    scope = (Scope(ScopeKind.COMMUNITY, run.community_id) if run.community_id
             else Scope(ScopeKind.STREET, run.street_id))
    require_covers(actor, scope, roles=RUN_VIEWERS, not_found=True, message="匹配记录不存在")
    return run


def list_runs(actor: Actor, community_id: int | None = None):
    """The runs get_run shows: those whose community or street the actor's scope contains."""
    if not actor.is_secretary:
        raise Forbidden("只有社区书记可以查看匹配记录")
    covered = covered_ids(actor, RUN_VIEWERS)
    if community_id is not None and community_id not in covered[ScopeKind.COMMUNITY]:
        raise NotFound("社区不存在或不在您的管辖范围")
    query = db.select(MatchingRun).where(
        MatchingRun.community_id.in_(covered[ScopeKind.COMMUNITY])
        | MatchingRun.street_id.in_(covered[ScopeKind.STREET]))
    if community_id is not None:
        query = query.where(MatchingRun.community_id == community_id)
    return query.order_by(MatchingRun.id.desc())


def _proposal(actor: Actor, proposal_id: int, *, for_volunteer: bool = False) -> MatchProposal:
    """The proposal, LOCKED (SELECT … FOR UPDATE, re-read): a concurrent accept, reject or
    decline of the same proposal waits for this transaction and then sees its decision, so the
    status check below and the task's claim can never disagree (issue 10, finding 11). Who may
    not review is refused before the lookup, so the answer does not tell which ids exist."""
    if not for_volunteer and not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以审核推荐")
    proposal = db.session.execute(
        db.select(MatchProposal).where(MatchProposal.id == proposal_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if proposal is None:
        raise NotFound("推荐不存在")
    if for_volunteer:
        if proposal.volunteer_id != actor.volunteer_id:
            raise NotFound("推荐不存在")
    elif not actor.manages(proposal.community_id):
        raise NotFound("推荐不存在")
    return proposal


def _decide(actor: Actor, proposal: MatchProposal, status: ProposalStatus, reason, now) -> None:
    PROPOSAL.move(proposal, status)
    proposal.decided_by, proposal.decided_at = actor.user_id, now
    proposal.decision_reason = reason
    record_audit(actor, f"matching.{status}", "match_proposal", proposal.id,
                 scope=f"community:{proposal.community_id}",
                 detail={"task": f"{proposal.task_type}:{proposal.task_id}",
                         "volunteer_id": proposal.volunteer_id, "reason": reason})


def accept_proposal(actor: Actor, proposal_id: int, *, now: datetime | None = None) -> MatchProposal:
    """A secretary accepts: the task is claimed by / assigned to the volunteer (409 if taken)."""
    now = now or utcnow()
    proposal = _proposal(actor, proposal_id)
    if proposal.status != ProposalStatus.PROPOSED:
        raise Conflict("该推荐已处理")
    sources.source(proposal.task_type).assign(actor, proposal.task_id, proposal.volunteer_id, now=now)
    _decide(actor, proposal, ProposalStatus.ACCEPTED, None, now)
    volunteer = db.session.get(Volunteer, proposal.volunteer_id)
    notify(volunteer.user_id, "proposal", title="社区为您推荐了一项服务任务",
           ref=f"{proposal.task_type}:{proposal.task_id}", when=proposal.start,
           dedupe=f"proposal:{proposal.id}", now=now)
    db.session.flush()
    return proposal


def reject_proposal(actor: Actor, proposal_id: int, reason: str | None = None,
                    *, now: datetime | None = None) -> MatchProposal:
    """A secretary rejects a proposal; the task stays open for another run or a volunteer."""
    proposal = _proposal(actor, proposal_id)
    if proposal.status != ProposalStatus.PROPOSED:
        raise Conflict("该推荐已处理")
    _decide(actor, proposal, ProposalStatus.REJECTED, reason, now or utcnow())
    db.session.flush()
    return proposal


def decline_proposal(actor: Actor, proposal_id: int, reason: str | None = None,
                     *, now: datetime | None = None) -> MatchProposal:
    """The proposed volunteer declines; an accepted task is released and open again."""
    now = now or utcnow()
    if actor.volunteer_id is None:
        raise Forbidden("只有志愿者可以谢绝推荐")
    proposal = _proposal(actor, proposal_id, for_volunteer=True)
    if not PROPOSAL.can(proposal, ProposalStatus.DECLINED):
        raise Conflict("该推荐已处理")
    if proposal.status == ProposalStatus.ACCEPTED:
        _give_back(actor, proposal, reason or "志愿者谢绝了推荐", now)
    _decide(actor, proposal, ProposalStatus.DECLINED, reason, now)
    db.session.flush()
    return proposal


def _give_back(actor: Actor, proposal: MatchProposal, reason: str, now: datetime) -> None:
    sources.source(proposal.task_type).release(actor, proposal.task_id, reason, now=now)


def my_proposals(actor: Actor):
    if actor.volunteer_id is None:
        raise Forbidden("只有志愿者可以查看推荐")
    return db.select(MatchProposal).where(
        MatchProposal.volunteer_id == actor.volunteer_id,
        MatchProposal.status.in_((ProposalStatus.ACCEPTED, ProposalStatus.DECLINED)),
        MatchProposal.decided_at > utcnow() - timedelta(days=30)).order_by(MatchProposal.id.desc())


def reject_leaver_proposals(actor: Actor, volunteer: Volunteer, reason: str,
                            now: datetime) -> int:
    """Proposals still waiting for review that name a leaving volunteer are rejected
    (policy.membership.RELEASES)."""
    result = db.session.execute(
        update(MatchProposal)
        .where(MatchProposal.volunteer_id == volunteer.id,
               MatchProposal.status == ProposalStatus.PROPOSED)
        .values(status=ProposalStatus.REJECTED, decided_by=getattr(actor, "user_id", None),
                decided_at=now, decision_reason=membership.leaving_note(reason))
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def accepted_start(task_type: str, task_id: int, volunteer_id: int) -> datetime | None:
    """The scheduled start of the volunteer's latest accepted proposal for a task (the no-show
    clock of a claim made through matching starts no earlier: wishes/maintenance.py)."""
    return db.session.execute(
        db.select(MatchProposal.start).where(
            MatchProposal.about(task_type, [task_id]), MatchProposal.volunteer_id == volunteer_id,
            MatchProposal.status == ProposalStatus.ACCEPTED, MatchProposal.start.is_not(None))
        .order_by(MatchProposal.start.desc()).limit(1)).scalar()
