"""项目清单 in the console: the three lists side by side for a community in scope (需求清单,
资源清单, 项目清单), publishing, confirming done projects and cancelling projects, and the Excel
export — through the services of POST /projects, POST /projects/{id}/confirm,
POST /projects/{id}/cancel and GET /projects.xlsx."""
from flask import Response, flash, redirect, render_template, request, url_for

from server.errors import Invalid
from server.excel import XLSX_MIMETYPE
from server.extensions import db
from server.identity.models import Community
from server.policy.scope import communities_covered
from server.projects import exports
from server.projects.models import CATEGORIES
from server.projects.queries import awaiting_confirmation, three_lists, view_of
from server.projects.services import STAFF, cancel_project, confirm_project, create_project

from .. import bp
from ..auth import actor
from ..forms import for_each, reason, ticked_ids
from ..queues import first_rows


def _community_arg() -> int | None:
    raw = request.args.get("community_id", "")
    return int(raw) if raw.isdecimal() and 0 < int(raw) < 2**31 else None


@bp.route("/projects")
def projects():
    staff = actor()
    lists = three_lists(staff, _community_arg())
    covered = communities_covered(staff, STAFF)
    communities = db.session.execute(db.select(Community).where(Community.id.in_(covered))
                                     .order_by(Community.id)).scalars().all()
    to_confirm = [view_of(staff, p) for p in first_rows(
        awaiting_confirmation(staff, lists.community_id), 100)]
    return render_template("projects.html", lists=lists, communities=communities,
                           categories=CATEGORIES, to_confirm=to_confirm)


@bp.route("/projects/new", methods=["POST"])
def publish_project():
    staff, form = actor(), request.form
    community = form.get("community_id", "")
    title = (form.get("title") or "").strip()
    if not (community.isdecimal() and 0 < int(community) < 2**31) or not 2 <= len(title) <= 60:
        raise Invalid("请填写项目名称（2–60 字）并选择社区")
    if form.get("category") not in CATEGORIES or len(form.get("description", "")) > 1000:
        raise Invalid("项目类别或说明有误")
    project = create_project(staff, {"title": title, "community_id": int(community),
                                     "category": form["category"],
                                     "description": form.get("description", ""),
                                     "address": (form.get("address") or "")[:200]})
    flash(f"已发布项目：{project.title}")
    return redirect(url_for("console.projects", community_id=project.community_id), code=303)


@bp.route("/projects/cancel", methods=["POST"])
def cancel_projects():
    staff, why = actor(), reason(required=True)
    done = for_each(ticked_ids(), "项目", lambda project_id: cancel_project(staff, project_id, why))
    flash(f"已取消 {done} 个项目")
    return redirect(url_for("console.projects", community_id=_community_arg()), code=303)


@bp.route("/projects/confirm", methods=["POST"])
def confirm_projects():
    """确认完成：the claimers' points are credited (never one's own claim: 403 for that row)."""
    staff = actor()
    done = for_each(ticked_ids(), "项目", lambda project_id: confirm_project(staff, project_id))
    flash(f"已确认 {done} 个项目，认领志愿者的积分已发放")
    return redirect(url_for("console.projects", community_id=_community_arg()), code=303)


@bp.route("/projects.xlsx")
def projects_xlsx():
    body = exports.export_projects(actor(), {"community_id": _community_arg()})
    return Response(body, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": 'attachment; filename="projects.xlsx"'})
