"""争六星 in the console: the review queue of the signed-in secretary's role — reviews ready for
the branch (community secretary: score the six stars) or for approval (street secretary) — and
the Excel export; the services of POST /star-reviews/{id}/branch-review and /approve."""
from flask import Response, flash, redirect, render_template, request, url_for

from server.errors import Invalid
from server.excel import XLSX_MIMETYPE
from server.stars import exports
from server.stars.models import STARS
from server.stars.queries import queue_query, view_of
from server.stars.services import approve_review, branch_review

from .. import bp
from ..auth import actor
from ..forms import for_each, ticked_ids
from ..queues import count, first_rows

PAGE_ROWS = 100
ROLES = {"branch": "支部评议", "street": "街道审定"}


def _role() -> str | None:
    role = request.args.get("role")
    return role if role in ROLES else None


@bp.route("/stars")
def stars():
    staff = actor()
    query = queue_query(staff, {"role": _role()} if _role() else {})
    rows = [view_of(staff, review) for review in first_rows(query, PAGE_ROWS)]
    role = _role() or ("street" if rows and rows[0].status == "branch_reviewed" else "branch")
    return render_template("stars.html", rows=rows, total=count(query), stars=STARS,
                           role=role, roles=ROLES)


def _scores(review_id: int) -> dict:
    scores = {}
    for code, (name, most) in STARS.items():
        raw = request.form.get(f"{code}-{review_id}", "")
        if not raw.isdecimal() or int(raw) > most:
            raise Invalid(f"{name}应为 0–{most} 的整数")
        scores[code] = int(raw)
    return scores


@bp.route("/stars/<int:review_id>/branch-review", methods=["POST"])
def branch_review_form(review_id):
    comment = (request.form.get("comment") or "")[:500]
    review = branch_review(actor(), review_id, {"scores": _scores(review_id), "comment": comment})
    flash(f"已完成支部评议：{review.branch_total} 分")
    return redirect(url_for("console.stars", role="branch"), code=303)


@bp.route("/stars/approve", methods=["POST"])
def approve_reviews():
    staff = actor()
    done = for_each(ticked_ids(), "评定", lambda review_id: approve_review(staff, review_id))
    flash(f"已审定 {done} 份六星评定")
    return redirect(url_for("console.stars", role="street"), code=303)


@bp.route("/stars.xlsx")
def stars_xlsx():
    return Response(exports.export_reviews(actor(), {}), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": 'attachment; filename="star-reviews.xlsx"'})
