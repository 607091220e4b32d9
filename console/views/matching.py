"""智能匹配: start a run for a community or street, see its proposals on a map with their
reasons and the unmatched tasks with theirs, accept or reject one by one or all of a run
(server.matching_runs.services: the services of /matching/runs and /matching/proposals)."""
from flask import flash, redirect, render_template, request, url_for

from server.errors import Invalid
from server.matching_runs.models import ProposalStatus
from server.matching_runs.services import (
    RUN_VIEWERS,
    accept_proposal,
    get_run,
    list_runs,
    reject_proposal,
    start_run,
)
from server.matching_runs.sources import get_task
from server.policy.scope import ScopeKind, covered_ids

from .. import bp
from ..auth import actor
from ..forms import for_each, reason
from ..labels import communities, volunteers_by_id
from ..maps import map_data, point
from ..queues import first_rows

RECENT_RUNS = 20


@bp.route("/matching")
def matching():
    staff = actor()
    covered = covered_ids(staff, RUN_VIEWERS)
    places = [c for c in communities() if c.id in covered[ScopeKind.COMMUNITY]]
    streets = sorted({(c.street_id, c.street.name) for c in places
                      if c.street_id in covered[ScopeKind.STREET]})
    return render_template("matching.html", runs=first_rows(list_runs(staff), RECENT_RUNS),
                           communities=places, streets=streets,
                           names={c.id: c.name for c in places})


def _scope_choice() -> dict:
    kind, _, number = (request.form.get("scope") or "").partition(":")
    if kind not in ("community", "street") or not number.isdecimal() \
            or not 1 <= int(number) < 2**31:
        raise Invalid("请选择一个社区或街道")
    return {f"{kind}_id": int(number)}


@bp.route("/matching/runs", methods=["POST"])
def start_matching_run():
    run = start_run(actor(), **_scope_choice())
    flash(run.message or f"匹配完成：{run.stats.get('matched', 0)} 条建议待确认")
    return redirect(url_for("console.matching_run", run_id=run.id), code=303)


def _task_title(task_type: str, task_id: int) -> tuple[str, object]:
    task = get_task(task_type, task_id)
    return (task.title if task is not None else f"{task_type} #{task_id}"), task


def _run_page(run) -> dict:
    """The run's proposals and unmatched tasks with their titles, and the map of them."""
    proposals, points, links = [], {}, []
    volunteers = volunteers_by_id({p.volunteer_id for p in run.proposals})
    for number, proposal in enumerate(run.proposals, 1):
        title, task = _task_title(proposal.task_type, proposal.task_id)
        volunteer = volunteers[proposal.volunteer_id]
        task_ref, volunteer_ref = f"t{number}", f"v{volunteer.id}"
        if task is not None:
            points[task_ref] = point(task_ref, "task", str(number), task.lat, task.lng)
        points[volunteer_ref] = point(volunteer_ref, "volunteer", volunteer.user.name,
                                      volunteer.lat, volunteer.lng)
        links.append({"from": task_ref, "to": volunteer_ref, "status": proposal.status})
        proposals.append({"number": number, "proposal": proposal, "title": title,
                          "volunteer": volunteer.user.name})
    unmatched = []
    for number, item in enumerate(run.unmatched, len(proposals) + 1):
        title, task = _task_title(item["task_type"], item["task_id"])
        if task is not None:
            points[f"t{number}"] = point(f"t{number}", "unmatched", str(number), task.lat, task.lng)
        unmatched.append({"number": number, "title": title, **item})
    scope_ids = {p["proposal"].community_id for p in proposals} | {run.community_id}
    shown = [c for c in communities() if c.id in scope_ids or c.street_id == run.street_id]
    return {"proposals": proposals, "unmatched": unmatched,
            "map": map_data(shown, points.values(), links),
            "pending": sum(p["proposal"].status == ProposalStatus.PROPOSED for p in proposals)}


@bp.route("/matching/runs/<int:run_id>")
def matching_run(run_id):
    run = get_run(actor(), run_id)
    return render_template("matching_run.html", run=run, **_run_page(run))


@bp.route("/matching/proposals/<int:proposal_id>/<any(accept, reject):decision>",
          methods=["POST"])
def decide_proposal(proposal_id, decision):
    staff = actor()
    if decision == "accept":
        proposal = accept_proposal(staff, proposal_id)
    else:
        proposal = reject_proposal(staff, proposal_id, reason(required=False))
    flash(f"建议 #{proposal.id} 已{'接受，志愿者已接单' if decision == 'accept' else '拒绝'}")
    return redirect(url_for("console.matching_run", run_id=proposal.run_id), code=303)


@bp.route("/matching/runs/<int:run_id>/<any(accept, reject):decision>", methods=["POST"])
def decide_run(run_id, decision):
    """Every proposal of the run still waiting: all accepted (or all rejected), or none."""
    staff = actor()
    run = get_run(staff, run_id)
    waiting = [p.id for p in run.proposals if p.status == ProposalStatus.PROPOSED]
    if not waiting:
        raise Invalid("这次匹配没有待确认的建议")
    note = reason(required=False)
    act = (lambda pid: accept_proposal(staff, pid)) if decision == "accept" \
        else (lambda pid: reject_proposal(staff, pid, note))
    done = for_each(waiting, "建议", act)
    flash(f"已{'接受' if decision == 'accept' else '拒绝'}本次匹配的 {done} 条建议")
    return redirect(url_for("console.matching_run", run_id=run_id), code=303)
