"""心愿审核: the wishes of my communities awaiting review; approve or reject several at once
(server.wishes.services.review_wish, the service of POST /wishes/{id}/review)."""
from flask import flash, redirect, render_template, url_for

from server.wishes.models import WishStatus
from server.wishes.queries import view_of, wall_query
from server.wishes.services import review_wish

from .. import bp
from ..auth import actor
from ..forms import decision, for_each, reason, ticked_ids
from ..queues import count, first_rows

PAGE_ROWS = 100


@bp.route("/wishes")
def wishes():
    staff = actor()
    query = wall_query(staff, {"status": WishStatus.PENDING_REVIEW})
    rows = [view_of(staff, wish) for wish in first_rows(query, PAGE_ROWS)]
    return render_template("wishes.html", rows=rows, total=count(query))


@bp.route("/wishes/review", methods=["POST"])
def review_wishes():
    staff, approve = actor(), decision()
    note = reason(required=not approve)
    done = for_each(ticked_ids(), "心愿", lambda wish_id: review_wish(staff, wish_id, approve, note))
    flash(f"已{'通过' if approve else '驳回'} {done} 条心愿")
    return redirect(url_for("console.wishes"), code=303)
