"""报到 in the console: a service day's figures and its live check-ins (the same scope-filtered
query as GET /service-days/{id}/check-ins), refreshed every 30 s, and the Excel export."""
from flask import Response, render_template, request

from server.checkins import exports
from server.checkins.models import STATUS_NAMES
from server.checkins.services import STAFF, day_checkins_query
from server.excel import XLSX_MIMETYPE
from server.extensions import db
from server.identity.models import Community
from server.policy.scope import communities_covered
from server.service_days.models import ServiceDay
from server.service_days.services import get_service_day
from server.timeutil import LOCAL_TZ, utcnow

from .. import bp
from ..auth import actor
from ..queues import count, first_rows

PAGE_ROWS = 200


def _days(staff) -> list[ServiceDay]:
    """The service days of the streets the caller's communities lie in, latest first (the page
    opens on the one nearest to today)."""
    streets = db.select(Community.street_id).where(
        Community.id.in_(communities_covered(staff, STAFF)))
    return db.session.execute(db.select(ServiceDay).where(ServiceDay.street_id.in_(streets))
                              .order_by(ServiceDay.day.desc(), ServiceDay.id.desc())
                              .limit(50)).scalars().all()


@bp.route("/checkins")
def checkins():
    staff = actor()
    days = _days(staff)
    raw = request.args.get("day_id", "")
    today = utcnow().astimezone(LOCAL_TZ).date()
    nearest = min(days, key=lambda d: (abs((d.day - today).days), -d.id)) if days else None
    chosen = next((d for d in days if raw.isdecimal() and d.id == int(raw)), nearest)
    if chosen is None:
        return render_template("checkins.html", days=[], day=None, rows=[], total=0)
    query = day_checkins_query(staff, chosen.id)
    return render_template("checkins.html", days=days, day=get_service_day(chosen.id),
                           rows=first_rows(query, PAGE_ROWS), total=count(query),
                           status_names=STATUS_NAMES)


@bp.route("/checkins/<int:day_id>.xlsx")
def checkins_xlsx(day_id):
    return Response(exports.export_day_checkins(actor(), day_id), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": 'attachment; filename="check-ins.xlsx"'})
