"""A proposal as the proposed volunteer sees it (issue 10, findings 2 and 16).

The engine's `score` is the arc cost it paid, which includes 300 × priority × day — and priority
comes from the household's need tier (三无 …) that the wish itself hides; so a volunteer gets the
reasons, never the score. The distance is the public one between the coarse positions of the
volunteer's home and the task (server/policy/location.py), and the reasons say no more.
Secretaries keep the full proposal (score, exact distance) in GET /matching/runs/{id}.
"""
from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from ..policy import location
from ..volunteers.models import Volunteer
from . import sources
from .models import MatchProposal

REMOTE_PREFIX = "线上/电话服务"
DISTANCE_PREFIX = "距离 "


@dataclass
class VolunteerProposal:
    id: int
    run_id: int
    task_type: str
    task_id: int
    volunteer_id: int
    distance_m: int | None
    reasons: list[str]
    start: datetime | None
    end: datetime | None
    status: str
    decision_reason: str | None


def _km(metres: int) -> str:
    return f"{metres / 1000:.1f} 公里" if metres >= 1000 else f"{metres} 米"


def _reasons(reasons: list[str], distance_m: int | None) -> list[str]:
    out = []
    for reason in reasons or []:
        if reason.startswith(REMOTE_PREFIX):
            out.append("线上/电话服务，不限距离")
        elif reason.startswith(DISTANCE_PREFIX):
            if distance_m is not None:
                out.append(f"距离约 {_km(distance_m)}")
        else:
            out.append(reason)
    return out


def volunteer_view(proposal: MatchProposal) -> VolunteerProposal:
    task = sources.get_task(proposal.task_type, proposal.task_id)
    volunteer = db.session.get(Volunteer, proposal.volunteer_id)
    distance = (location.public_distance(task.lat, task.lng, volunteer.lat, volunteer.lng)
                if task is not None and volunteer is not None else None)
    return VolunteerProposal(
        id=proposal.id, run_id=proposal.run_id, task_type=proposal.task_type,
        task_id=proposal.task_id, volunteer_id=proposal.volunteer_id, distance_m=distance,
        reasons=_reasons(proposal.reasons, distance), start=proposal.start, end=proposal.end,
        status=proposal.status, decision_reason=proposal.decision_reason)
