"""The volunteer service ledger (服务台账): per volunteer of the scope's communities, the tasks
finished in the range, their service hours, the points earned and the ratings received.

Phones are always masked here: the ledger is a staff report that leaves the system as Excel,
and none of its uses needs a number (docs/reports.md).
"""
from datetime import datetime

from ..extensions import db
from ..identity.models import Community, Unit, User
from ..orders.models import ServiceOrder
from ..paging import Paged
from ..points.models import EARNED, PointsEntry
from ..privacy import mask_phone
from ..volunteers.models import Volunteer, VolunteerStatus
from ..wishes.models import Wish
from .request import ReportRequest, resolve_request


def volunteer_ledger(actor, filters: dict, *, now: datetime | None = None) -> Paged:
    """The ledger's rows as a pageable query (each row shaped by `ledger_row`)."""
    return Paged(ledger_query(resolve_request(actor, filters, now=now)), ledger_row,
                 scalars=False)


def _tasks(model, volunteer_col, done_col, start, end):
    return (db.select(volunteer_col.label("vid"), db.func.count().label("n"),
                      db.func.coalesce(db.func.sum(model.duration_min), 0).label("minutes"),
                      db.func.count(model.rating).label("ratings"),
                      db.func.coalesce(db.func.sum(model.rating), 0).label("rating_sum"))
            .where(done_col >= start, done_col < end, volunteer_col.is_not(None))
            .group_by(volunteer_col).subquery())


def ledger_query(req: ReportRequest):
    start, end = req.utc_bounds()
    wishes = _tasks(Wish, Wish.claimed_by, Wish.confirmed_at, start, end)
    orders = _tasks(ServiceOrder, ServiceOrder.provider_id, ServiceOrder.done_at, start, end)
    points = (db.select(PointsEntry.volunteer_id.label("vid"),
                        db.func.sum(PointsEntry.delta).label("points"))
              .where(PointsEntry.created_at >= start, PointsEntry.created_at < end, EARNED)
              .group_by(PointsEntry.volunteer_id).subquery())
    zero = db.func.coalesce
    return (db.select(Volunteer.id, Volunteer.status, User.name, User.phone,
                      Community.id.label("community_id"), Community.name.label("community"),
                      Unit.name.label("unit"),
                      zero(wishes.c.n, 0).label("wishes_done"),
                      zero(orders.c.n, 0).label("orders_done"),
                      (zero(wishes.c.minutes, 0) + zero(orders.c.minutes, 0)).label("minutes"),
                      zero(points.c.points, 0).label("points"),
                      (zero(wishes.c.ratings, 0) + zero(orders.c.ratings, 0)).label("ratings"),
                      (zero(wishes.c.rating_sum, 0) + zero(orders.c.rating_sum, 0))
                      .label("rating_sum"))
            .join(User, User.id == Volunteer.user_id)
            .join(Community, Community.id == Volunteer.community_id)
            .outerjoin(Unit, Unit.id == Volunteer.unit_id)
            .outerjoin(wishes, wishes.c.vid == Volunteer.id)
            .outerjoin(orders, orders.c.vid == Volunteer.id)
            .outerjoin(points, points.c.vid == Volunteer.id)
            .where(Volunteer.community_id.in_(req.communities),
                   (Volunteer.status == VolunteerStatus.ACTIVE) | wishes.c.vid.is_not(None)
                   | orders.c.vid.is_not(None) | points.c.vid.is_not(None))
            .order_by(Community.id, Volunteer.id))


def ledger_row(row) -> dict:
    tasks = row.wishes_done + row.orders_done
    return {
        "volunteer_id": row.id, "name": row.name, "phone": mask_phone(row.phone),
        "community_id": row.community_id, "community": row.community, "unit": row.unit,
        "status": row.status, "wishes_done": row.wishes_done, "orders_done": row.orders_done,
        "tasks": tasks, "hours": round(row.minutes / 60, 2), "points": int(row.points),
        "ratings": row.ratings,
        "average_rating": round(row.rating_sum / row.ratings, 2) if row.ratings else None,
    }


def ledger_rows(req: ReportRequest) -> list[dict]:
    return [ledger_row(row) for row in db.session.execute(ledger_query(req))]
