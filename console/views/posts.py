"""设岗定职: the posts of my communities with their holders; define a post, appoint or relieve a
holder, confirm or return duty logs (the services of POST /posts, /posts/{id}/holders,
/posts/{id}/holders/{h}/end and /posts/{id}/logs/{l}/decision)."""
from flask import flash, redirect, render_template, request, url_for

from server.errors import Invalid
from server.extensions import db
from server.identity.models import Community
from server.policy.scope import ScopeKind, covered_ids
from server.posts import queries, services
from server.posts.models import HolderStatus, PostLog
from server.posts.policies import STAFF
from server.volunteers.models import Volunteer, VolunteerStatus

from .. import bp
from ..auth import actor
from ..forms import decision, for_each, form_number, reason, ticked_ids
from ..queues import count, first_rows

PAGE_ROWS = 100


def communities_of(staff) -> list[Community]:
    ids = covered_ids(staff, STAFF)[ScopeKind.COMMUNITY]
    return list(db.session.execute(db.select(Community).where(Community.id.in_(ids))
                                   .order_by(Community.id)).scalars())


def _text(field: str, low: int, high: int) -> str:
    text = (request.form.get(field) or "").strip()
    if not low <= len(text) <= high:
        raise Invalid(f"内容应为 {low} 到 {high} 个字")
    return text


@bp.route("/posts")
def posts():
    staff = actor()
    rows = first_rows(queries.list_posts(staff), PAGE_ROWS)
    communities = {c.id: c for c in communities_of(staff)}
    candidates = {}
    for post in rows:
        holding = {h.volunteer_id for h in post.holders if h.status == HolderStatus.ACTIVE}
        candidates[post.id] = [v for v in db.session.execute(db.select(Volunteer).where(
            Volunteer.community_id == post.community_id, Volunteer.status == VolunteerStatus.ACTIVE)
            .order_by(Volunteer.id)).scalars() if v.id not in holding]
    logs = queries.pending_logs(staff)
    return render_template("posts.html", posts=rows, communities=communities,
                           candidates=candidates, logs=first_rows(logs, PAGE_ROWS),
                           pending=count(logs), active=HolderStatus.ACTIVE)


@bp.route("/posts/create", methods=["POST"])
def create_post():
    data = {"name": _text("name", 2, 40), "duties": _text("duties", 2, 500),
            "community_id": form_number("community_id", 1, 2**31 - 1),
            "seats": form_number("seats", 1, 100)}
    post = services.create_post(actor(), data)
    flash(f"已设立岗位「{post.name}」")
    return redirect(url_for("console.posts"), code=303)


@bp.route("/posts/<int:post_id>/appoint", methods=["POST"])
def appoint_holder(post_id):
    holder = services.appoint_holder(actor(), post_id, form_number("volunteer_id", 1, 2**31 - 1))
    flash(f"已任命 {holder.volunteer.user.name} 上岗")
    return redirect(url_for("console.posts"), code=303)


@bp.route("/posts/<int:post_id>/holders/<int:holder_id>/end", methods=["POST"])
def relieve_holder(post_id, holder_id):
    services.relieve_holder(actor(), post_id, holder_id, reason(required=False))
    flash("已免去岗位")
    return redirect(url_for("console.posts"), code=303)


@bp.route("/posts/logs/decide", methods=["POST"])
def decide_logs():
    staff, confirm = actor(), decision()
    note = reason(required=not confirm)

    def one(log_id):
        log = db.session.get(PostLog, log_id)
        if log is None:
            raise Invalid("履职记录不存在")
        return services.decide_log(staff, log.post_id, log_id, confirm, note)
    done = for_each(ticked_ids(), "履职记录", one)
    flash(f"已{'确认' if confirm else '退回'} {done} 条履职记录")
    return redirect(url_for("console.posts"), code=303)
