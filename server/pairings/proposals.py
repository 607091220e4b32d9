"""The engine proposes pairings for a community's unpaired households; a secretary reviews each
proposal (accept → the pairing is made; reject), as with matching proposals. Every proposal
carries its reasons (distance, skills met and missing, the volunteer's standing load)."""
from datetime import datetime

from sqlalchemy import update

from ..audit.services import record_audit
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Skill
from ..policy.location import coarse_point
from ..policy.membership import leaving_note
from ..policy.scope import ScopeKind, covered_ids
from ..timeutil import utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from .models import (
    PAIRING_PROPOSAL,
    PairingProposal,
    PairingProposalStatus,
    PairingRun,
    PairingRunStatus,
)
from .policies import STAFF, manages_community
from .queries import active_households, standing_loads
from .task_source import SOURCE, position

UNMATCHED = {"too_far": "服务半径内没有可结对的志愿者",
             "at_capacity": "附近的志愿者结对已满（每人最多 {capacity} 户）"}


def _helpers(community_id: int, engine):
    loads = standing_loads()
    volunteers = db.session.execute(db.select(Volunteer).where(
        Volunteer.community_id == community_id, Volunteer.status == VolunteerStatus.ACTIVE)
        .order_by(Volunteer.id)).scalars().all()
    return [engine.Helper(id=v.id, lat=v.lat, lng=v.lng, skills=frozenset(v.skills or []),
                          load=loads.get(v.id, 0), max_distance_m=v.max_distance_m,
                          user_id=v.user_id) for v in volunteers]


def propose_pairings(actor: Actor, community_id: int, kind: str, visit_every_days: int,
                     *, now: datetime | None = None) -> PairingRun:
    """Solve the community's unpaired households against its active volunteers and store the
    proposals for review (nothing is paired until a secretary accepts)."""
    from . import engine  # start-up time: the engine loads NumPy, SciPy and OR-Tools
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以发起结对推荐")
    if db.session.get(Community, community_id) is None or not manages_community(actor,
                                                                                community_id):
        raise NotFound("社区不存在或不在您的管辖范围")
    now = now or utcnow()
    tasks = SOURCE.open_tasks([community_id], now)
    households = [engine.Household(int(t.id.split(":")[1]), t.lat, t.lng, t.skills) for t in tasks]
    params = engine.PairingParams()
    outcome = engine.solve_pairings(households, _helpers(community_id, engine), params)
    run = PairingRun(community_id=community_id, started_by=actor.user_id, kind=kind,
                     visit_every_days=visit_every_days, status=PairingRunStatus.DONE,
                     stats=outcome.stats, created_at=now,
                     unmatched=[{"household_id": h, "reason": r,
                                 "message": UNMATCHED[r].format(capacity=params.capacity)}
                                for h, r in outcome.unmatched])
    db.session.add(run)
    db.session.flush()
    names = dict(db.session.execute(db.select(Skill.code, Skill.name)).all())
    for pick in outcome.picks:
        db.session.add(PairingProposal(
            run_id=run.id, community_id=community_id, volunteer_id=pick.volunteer_id,
            household_id=pick.household_id, distance_m=pick.distance_m, score=pick.cost,
            reasons=reasons_for(pick, names)))
    record_audit(actor, "pairing.propose", "pairing_run", run.id, scope=f"community:{community_id}",
                 detail={k: outcome.stats.get(k) for k in ("households", "volunteers", "paired")})
    db.session.flush()
    return run


def reasons_for(pick, names: dict[str, str]) -> list[str]:
    """Why this volunteer for this household, in words a secretary reads."""
    km = round(pick.distance_m / 1000, 1)
    reasons = [f"相距约 {km} 公里" if km >= 0.1 else "相距不到 100 米"]
    if pick.matched_skills:
        reasons.append("具备该户所需技能：" + "、".join(names.get(s, s) for s in pick.matched_skills))
    if pick.missing_skills:
        reasons.append("缺少技能：" + "、".join(names.get(s, s) for s in pick.missing_skills))
    if not pick.matched_skills and not pick.missing_skills:
        reasons.append("该户没有特定技能需求")
    reasons.append(f"已结对 {pick.load_before} 户，本次后 {pick.load_before + 1} 户")
    return reasons


def get_run(actor: Actor, run_id: int) -> PairingRun:
    run = db.session.get(PairingRun, run_id)
    if run is None or not manages_community(actor, run.community_id):
        raise NotFound("结对推荐记录不存在")
    return run


def list_runs(actor: Actor, community_id: int | None = None):
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以查看结对推荐")
    if community_id is not None and not manages_community(actor, community_id):
        raise NotFound("社区不存在或不在您的管辖范围")
    covered = covered_ids(actor, STAFF)[ScopeKind.COMMUNITY]
    query = db.select(PairingRun).where(PairingRun.community_id.in_(covered))
    if community_id is not None:
        query = query.where(PairingRun.community_id == community_id)
    return query.order_by(PairingRun.id.desc())


def _proposal(actor: Actor, proposal_id: int) -> PairingProposal:
    """The proposal, locked (a concurrent accept or reject waits and then sees the decision).
    Who may not review is refused before the lookup: the answer does not tell which ids exist."""
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以审核结对推荐")
    proposal = db.session.execute(
        db.select(PairingProposal).where(PairingProposal.id == proposal_id).with_for_update()
        .execution_options(populate_existing=True)).scalar_one_or_none()
    if proposal is None or not manages_community(actor, proposal.community_id):
        raise NotFound("结对推荐不存在")
    if proposal.status != PairingProposalStatus.PROPOSED:
        raise Conflict("该结对推荐已处理")
    return proposal


def _decide(actor, proposal, status, reason, now) -> None:
    PAIRING_PROPOSAL.move(proposal, status, error_message="该结对推荐已处理")
    proposal.decided_by, proposal.decided_at, proposal.decision_reason = actor.user_id, now, reason
    record_audit(actor, f"pairing.proposal_{status}", "pairing_proposal", proposal.id,
                 scope=f"community:{proposal.community_id}",
                 detail={"volunteer_id": proposal.volunteer_id,
                         "household_id": proposal.household_id, "reason": reason})


def accept_proposal(actor: Actor, proposal_id: int, *, now: datetime | None = None):
    """A secretary accepts: the pairing is made (409 when the household was paired since)."""
    now = now or utcnow()
    proposal = _proposal(actor, proposal_id)
    if proposal.household_id in active_households([proposal.community_id]):
        raise Conflict("该户已有结对志愿者")
    run = proposal.run
    SOURCE.assign(actor, proposal.household_id, proposal.volunteer_id, now=now, kind=run.kind,
                  visit_every_days=run.visit_every_days, proposal_id=proposal.id)
    _decide(actor, proposal, PairingProposalStatus.ACCEPTED, None, now)
    db.session.flush()
    return proposal


def reject_proposal(actor: Actor, proposal_id: int, reason: str | None = None,
                    *, now: datetime | None = None):
    """A secretary rejects a proposal; the household stays unpaired for the next run."""
    proposal = _proposal(actor, proposal_id)
    _decide(actor, proposal, PairingProposalStatus.REJECTED, reason, now or utcnow())
    db.session.flush()
    return proposal


def reject_leaver_proposals(actor, volunteer: Volunteer, reason: str, now: datetime) -> int:
    """policy.membership.end_volunteering: pairing proposals still waiting for review that name
    a leaving volunteer are rejected, as matching proposals are (a volunteer who rejoins later
    is not paired on an old proposal)."""
    result = db.session.execute(
        update(PairingProposal)
        .where(PairingProposal.volunteer_id == volunteer.id,
               PairingProposal.status == PairingProposalStatus.PROPOSED)
        .values(status=PairingProposalStatus.REJECTED, decided_by=getattr(actor, "user_id", None),
                decided_at=now, decision_reason=leaving_note(reason))
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def coarse_positions(proposal: PairingProposal) -> dict:
    """The map's positions: grid-cell centres only (policy.location); exact ones stay here."""
    h_lat, h_lng = coarse_point(*position(proposal.household))
    v_lat, v_lng = coarse_point(proposal.volunteer.lat, proposal.volunteer.lng)
    return {"household_lat": h_lat, "household_lng": h_lng,
            "volunteer_lat": v_lat, "volunteer_lng": v_lng}
