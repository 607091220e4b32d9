"""审计日志 and 积分规则 (admins): the same services as GET /audit, /audit.xlsx and
PUT /points/rules/{code} (server.org.audit_log, server.points.services); scope checked there."""
from datetime import datetime, time

from flask import Response, flash, redirect, render_template, request, url_for

from server.errors import Invalid
from server.excel import XLSX_MIMETYPE
from server.extensions import db
from server.org import audit_log as audit_queries
from server.org.imports.templates import rows_workbook
from server.points.services import list_rules, set_rule
from server.timeutil import LOCAL_TZ

from .. import bp
from ..auth import actor
from ..labels import community_names
from ..queues import count

AUDIT_ROWS = 200


def _audit_filters() -> dict:
    filters = {}
    for key in ("action", "object_type"):
        value = request.args.get(key, "").strip()
        if value:
            if len(value) > 60:
                raise Invalid("筛选条件过长", {key: ["长度不能超过 60"]})
            filters[key] = value
    raw = request.args.get("actor_id", "").strip()
    if raw:
        if not raw.isdecimal() or not 0 < int(raw) < 2**31:
            raise Invalid("操作人编号应为正整数", {"actor_id": ["应为正整数"]})
        filters["actor_id"] = int(raw)
    for key, at in (("from", time.min), ("to", time.max)):
        value = request.args.get(key, "")
        if value:
            try:
                day = datetime.fromisoformat(value).date()
            except ValueError:
                raise Invalid("日期格式无效，应为 2026-11-20", {key: ["日期格式无效"]}) from None
            if not 2000 <= day.year <= 9998:
                raise Invalid("日期超出范围", {key: ["日期超出范围"]})
            filters[key] = datetime.combine(day, at, tzinfo=LOCAL_TZ)
    return filters


@bp.route("/audit")
def audit():
    staff = actor()
    query = audit_queries.list_audit(staff, _audit_filters())
    rows = db.session.execute(query.limit(AUDIT_ROWS)).scalars().all()
    return render_template("audit.html", rows=rows, total=count(query), limit=AUDIT_ROWS,
                           communities=community_names(),
                           args=request.args, query=request.query_string.decode())


@bp.route("/audit.xlsx")
def audit_xlsx():
    headers, rows = audit_queries.export_audit(actor(), _audit_filters())
    stamp = datetime.now(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    body = rows_workbook(headers, rows, title=f"连心桥审计日志（导出于 {stamp}，共 {len(rows)} 条）",
                         sheet_name="审计日志")
    return Response(body, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": 'attachment; filename="audit.xlsx"'})


@bp.route("/points-rules")
def points_rules():
    return render_template("points_rules.html", rules=list_rules())


@bp.route("/points-rules/<string:code>", methods=["POST"])
def change_points_rule(code: str):
    raw = (request.form.get("points") or "").strip()
    if not raw.isdecimal() or len(raw) > 4:
        raise Invalid("积分应为 0 到 1000 之间的整数", {"points": ["应在 0 到 1000 之间"]})
    rule = set_rule(actor(), code[:40], int(raw))
    flash(f"积分规则“{rule.description or rule.code}”已改为 {rule.points} 分")
    return redirect(url_for("console.points_rules"), code=303)
