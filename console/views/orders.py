"""待派上门服务: home visits of my communities that wait for a volunteer, on a map; assign one to
an active volunteer of its community (server.orders.services.assign_order, the service of
POST /orders/{id}/assign)."""
from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload

from server.errors import Invalid
from server.orders.queries import community_orders_query, view_of
from server.orders.services import assign_order
from server.volunteers.models import Volunteer, VolunteerStatus
from server.volunteers.services import list_volunteers

from .. import bp
from ..auth import actor
from ..labels import communities
from ..maps import map_data, point, volunteer_cells
from ..queues import count, first_rows

PAGE_ROWS = 100
VOLUNTEERS_PER_COMMUNITY = 200


def _volunteers_by_community(staff) -> dict[int, list[Volunteer]]:
    query = list_volunteers(staff, status=VolunteerStatus.ACTIVE).options(
        joinedload(Volunteer.user))
    grouped: dict[int, list[Volunteer]] = {}
    for volunteer in first_rows(query, VOLUNTEERS_PER_COMMUNITY * 20):
        grouped.setdefault(volunteer.community_id, []).append(volunteer)
    return grouped


@bp.route("/orders")
def orders():
    staff = actor()
    query = community_orders_query(staff, {"unassigned": True, "kind": "visit"})
    rows = [view_of(staff, order) for order in first_rows(query, PAGE_ROWS)]
    volunteers = _volunteers_by_community(staff)
    places = [c for c in communities() if c.id in staff.managed_communities]
    points = [point(f"t{n}", "task", str(n), row.order.lat, row.order.lng)
              for n, row in enumerate(rows, 1)]
    points += volunteer_cells(v for group in volunteers.values() for v in group)
    return render_template("orders.html", rows=rows, total=count(query),
                           communities={c.id: c.name for c in places}, volunteers=volunteers,
                           map=map_data(places, points))


@bp.route("/orders/<int:order_id>/assign", methods=["POST"])
def assign_order_to_volunteer(order_id):
    volunteer_id = request.form.get("volunteer_id", type=int)
    if volunteer_id is None or not 1 <= volunteer_id < 2**31:
        raise Invalid("请选择一位志愿者")
    order = assign_order(actor(), order_id, volunteer_id)
    flash(f"已派单：{order.title}")
    return redirect(url_for("console.orders"), code=303)
