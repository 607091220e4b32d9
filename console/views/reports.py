"""数据报表 and 服务台账: the figures of a scope as tables and server-drawn SVG charts, the
volunteer ledger, their Excel exports, and printable (A4) lists for the wall. Each page calls the
same services as the API (server/reports: GET /reports/figures, /reports/communities,
/reports/volunteer-ledger and their .xlsx); scope is checked there."""
from datetime import date, timedelta

from flask import Response, render_template, request

from server.errors import Invalid
from server.excel import XLSX_MIMETYPE
from server.extensions import db
from server.identity.models import Community, District, Street
from server.policy.scope import covered_ids
from server.privacy import mask_name
from server.reports.exports import export_figures, export_ledger
from server.reports.ledger import volunteer_ledger
from server.reports.report import compare_communities, figures_report
from server.reports.request import READERS, GroupBy, resolve_request
from server.service_days.services import get_service_day, service_days_query
from server.timeutil import LOCAL_TZ, utcnow
from server.wishes.models import Wish, WishStatus
from server.wishes.queries import wall_query

from .. import bp
from ..auth import actor
from ..charts import Series, bar_chart, line_chart
from ..queues import count, first_rows

LEDGER_ROWS = 200
PRINT_ROWS = 300


def _filters() -> dict:
    """The page's query string as the services' filters (scope given as "kind:id")."""
    filters = {}
    scope = request.args.get("scope", "")
    if scope:
        kind, _, ident = scope.partition(":")
        if not ident.isdecimal() or not 0 < int(ident) < 2**31:
            raise Invalid("范围无效", {"scope": ["范围无效"]})
        filters.update(scope=kind, id=int(ident))
    for key in ("from", "to"):
        value = request.args.get(key, "")
        if value:
            try:
                filters[key] = date.fromisoformat(value)
            except ValueError:
                raise Invalid("日期格式无效，应为 2026-11-20", {key: ["日期格式无效"]}) from None
    if request.args.get("group_by"):
        filters["group_by"] = request.args["group_by"]
    return filters


def _scope_choices(staff) -> list[tuple[str, str]]:
    """The district, streets and communities the staff member may report on."""
    ids = covered_ids(staff, READERS)
    out = []
    for model, kind, prefix in ((District, "district", ""), (Street, "street", "　"),
                                (Community, "community", "　　")):
        chosen = sorted(ids.get(kind, ()))
        if chosen:
            rows = db.session.execute(db.select(model.id, model.name).where(
                model.id.in_(chosen)).order_by(model.id)).all()
            out += [(f"{kind}:{i}", f"{prefix}{name}") for i, name in rows]
    return out


def _charts(rows: list[dict], communities: list[dict]) -> dict:
    labels = [r["period"] for r in rows]
    pick = lambda key: [r[key] for r in rows]  # noqa: E731
    charts = {
        "trend": line_chart("心愿发布与完成", labels, [
            Series("发布", pick("wishes_posted")), Series("完成", pick("wishes_confirmed"))]),
        "claim": line_chart("认领用时中位数（小时）", labels, [
            Series("中位数（小时）", pick("median_hours_to_claim"))]),
        "volunteers": line_chart("在岗志愿者", labels, [
            Series("在岗志愿者", pick("volunteers_active"))]),
    }
    if len(communities) > 1:
        names = [c["community"] for c in communities]
        charts["communities"] = bar_chart("各社区对比", names, [
            Series("心愿发布", [c["wishes_posted"] for c in communities]),
            Series("心愿完成", [c["wishes_confirmed"] for c in communities]),
            Series("点单完成", [c["orders_done"] for c in communities])])
    return charts


@bp.route("/reports")
def reports():
    staff, filters = actor(), _filters()
    req = resolve_request(staff, filters)
    rows = figures_report(staff, filters)
    communities = compare_communities(staff, filters)
    return render_template("reports.html", req=req, rows=rows, communities=communities,
                           charts=_charts(rows, communities), choices=_scope_choices(staff),
                           groups=list(GroupBy), query=request.query_string.decode())


@bp.route("/reports/ledger")
def ledger():
    staff, filters = actor(), _filters()
    req = resolve_request(staff, filters)
    paged = volunteer_ledger(staff, filters)
    rows = [paged.transform(row)
            for row in db.session.execute(paged.query.limit(LEDGER_ROWS)).all()]
    return render_template("ledger.html", req=req, rows=rows, total=count(paged.query),
                           limit=LEDGER_ROWS, choices=_scope_choices(staff),
                           query=request.query_string.decode())


def _xlsx(name: str, body: bytes) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/reports/figures.xlsx")
def reports_figures_xlsx():
    return _xlsx(*export_figures(actor(), _filters()))


@bp.route("/reports/ledger.xlsx")
def reports_ledger_xlsx():
    return _xlsx(*export_ledger(actor(), _filters()))


@bp.route("/print/open-wishes")
def print_open_wishes():
    """A community's open wishes for the wall (A4): masked names, no address or phone."""
    staff, filters = actor(), _filters()
    req = resolve_request(staff, filters)
    query = wall_query(staff, {"status": WishStatus.OPEN}).where(
        Wish.community_id.in_(req.communities))
    rows = [{"title": w.title, "category": w.category, "owner": mask_name(w.owner.name),
             "community": w.community_id, "posted": w.created_at}
            for w in first_rows(query, PRINT_ROWS)]
    names = dict(db.session.execute(db.select(Community.id, Community.name).where(
        Community.id.in_(req.communities))).all())
    return render_template("print_wishes.html", req=req, rows=rows, names=names)


@bp.route("/print/service-day/<int:day_id>")
def print_service_day(day_id: int):
    """A service day's menu for the wall (A4): venues, their stalls and times — the public
    GET /service-days/{id} (server.service_days.services.get_service_day), no personal data."""
    day = get_service_day(day_id)
    return render_template("print_service_day.html", day=day)


@bp.route("/service-days")
def service_days():
    """The service days of the streets holding the staff member's communities, from a month ago
    on (server.service_days.services.service_days_query, the list behind GET /service-days)."""
    staff = actor()
    communities = covered_ids(staff, READERS)["community"]
    streets = sorted(set(db.session.execute(db.select(Community.street_id).where(
        Community.id.in_(communities))).scalars()))
    since = utcnow().astimezone(LOCAL_TZ).date() - timedelta(days=30)
    days = [day for street in streets
            for day in db.session.execute(service_days_query(street, since)).scalars()]
    days.sort(key=lambda d: (d.day, d.id))
    return render_template("service_days.html", days=days[:100])
