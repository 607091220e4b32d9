"""结对帮扶: the pairings of my communities (overdue visits first), pair a volunteer with a
household, end a pairing, export the ledger; and the engine's pairing proposals on a map of
coarse positions, accepted or rejected in a batch (the services of the /pairings API)."""
from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload

from server.errors import Invalid
from server.excel import XLSX_MIMETYPE
from server.extensions import db
from server.pairings import exports, proposals, queries, services
from server.pairings.models import (
    KIND_NAMES,
    PairingKind,
    PairingProposalStatus,
    PairingStatus,
)
from server.pairings.task_source import unpaired_households
from server.privacy import mask_name
from server.timeutil import utcnow
from server.volunteers.models import Volunteer, VolunteerStatus

from .. import bp
from ..auth import actor
from ..forms import decision, for_each, form_number, reason, ticked_ids
from ..queues import count, first_rows, pairing_proposals_pending
from .posts import communities_of

PAGE_ROWS = 100


def _kind() -> str:
    kind = request.form.get("kind") or PairingKind.ONE_TO_ONE
    if kind not in {k.value for k in PairingKind}:
        raise Invalid("结对类型有误")
    return kind


@bp.route("/pairings")
def pairings():
    staff = actor()
    overdue_only = request.args.get("overdue") == "1"
    query = queries.list_pairings(staff, overdue=overdue_only or None)
    communities = communities_of(staff)
    ids = [c.id for c in communities]
    volunteers = db.session.execute(db.select(Volunteer).options(joinedload(Volunteer.user)).where(
        Volunteer.community_id.in_(ids), Volunteer.status == VolunteerStatus.ACTIVE)
        .order_by(Volunteer.id)).scalars().all()  # the form lists their names: one query
    return render_template(
        "pairings.html", rows=first_rows(query, PAGE_ROWS), total=count(query),
        overdue=queries.overdue_visits(staff)["overdue"], overdue_only=overdue_only,
        volunteers=volunteers, households=unpaired_households(ids), kinds=KIND_NAMES,
        now=utcnow(), active=PairingStatus.ACTIVE)


@bp.route("/pairings/create", methods=["POST"])
def create_pairing():
    pairing = services.create_pairing(actor(), {
        "volunteer_id": form_number("volunteer_id", 1, 2**31 - 1),
        "household_id": form_number("household_id", 1, 2**31 - 1), "kind": _kind(),
        "visit_every_days": form_number("visit_every_days", 1, 366)})
    flash(f"已结对（编号 {pairing.id}）")
    return redirect(url_for("console.pairings"), code=303)


@bp.route("/pairings/<int:pairing_id>/end", methods=["POST"])
def end_pairing(pairing_id):
    services.end_pairing(actor(), pairing_id, reason(required=False))
    flash("已结束结对")
    return redirect(url_for("console.pairings"), code=303)


@bp.route("/pairings.xlsx")
def pairings_xlsx():
    body = exports.export_pairings(actor())
    return Response(body, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": 'attachment; filename="pairings.xlsx"'})


@bp.route("/pairings/proposals")
def pairing_proposals():
    staff = actor()
    run = db.session.execute(proposals.list_runs(staff).limit(1)).scalar_one_or_none()
    points = [{"id": p.id, "status": p.status, **proposals.coarse_positions(p)}
              for p in (run.proposals if run else [])]
    return render_template("pairing_proposals.html", run=run, points=points,
                           communities=communities_of(staff), waiting=pairing_proposals_pending(staff),
                           proposed=PairingProposalStatus.PROPOSED, mask=mask_name)


@bp.route("/pairings/proposals/run", methods=["POST"])
def run_pairing_proposals():
    run = proposals.propose_pairings(actor(), form_number("community_id", 1, 2**31 - 1),
                                     _kind(), form_number("visit_every_days", 1, 366))
    flash(f"引擎给出 {len(run.proposals)} 条结对建议，待审核")
    return redirect(url_for("console.pairing_proposals"), code=303)


@bp.route("/pairings/proposals/decide", methods=["POST"])
def decide_pairing_proposals():
    staff, accept = actor(), decision()
    note = reason(required=False)
    done = for_each(ticked_ids(), "结对建议", lambda i: proposals.accept_proposal(staff, i)
                    if accept else proposals.reject_proposal(staff, i, note))
    flash(f"已{'采纳' if accept else '不采纳'} {done} 条结对建议")
    return redirect(url_for("console.pairing_proposals"), code=303)

