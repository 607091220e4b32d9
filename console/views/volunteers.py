"""志愿者准入: pending applications of my communities; approve or reject several at once
(server.volunteers.services.review_volunteer, the service of POST /volunteers/{id}/approve)."""
from flask import flash, redirect, render_template, url_for
from sqlalchemy.orm import joinedload

from server.volunteers.models import Volunteer, VolunteerStatus
from server.volunteers.services import list_volunteers, review_volunteer

from .. import bp
from ..auth import actor
from ..forms import decision, for_each, reason, ticked_ids
from ..labels import community_names, skill_names
from ..queues import count, first_rows

PAGE_ROWS = 100


@bp.route("/volunteers")
def volunteers():
    query = list_volunteers(actor(), status=VolunteerStatus.PENDING)
    rows = first_rows(query.options(joinedload(Volunteer.user), joinedload(Volunteer.unit)),
                      PAGE_ROWS)
    return render_template("volunteers.html", rows=rows, total=count(query),
                           skills=skill_names(), communities=community_names())


@bp.route("/volunteers/review", methods=["POST"])
def review_volunteers():
    staff, approve = actor(), decision()
    note = reason(required=not approve)
    done = for_each(ticked_ids(), "申请",
                    lambda volunteer_id: review_volunteer(staff, volunteer_id, approve, note))
    flash(f"已{'批准' if approve else '拒绝'} {done} 份志愿者申请")
    return redirect(url_for("console.volunteers"), code=303)
