"""The service day's figures that check-ins add: members reported (报到 at a venue of their own
community), check-ins, check-outs, hours, households visited and wishes fulfilled that day in
the street's communities."""
from ..extensions import db
from ..identity.models import Community
from ..orders.models import OrderStatus, ServiceOrder, local_day_bounds
from ..service_days.models import ServiceDay, Venue
from ..wishes.models import Wish
from .models import CheckIn, CheckInStatus


def checkin_figures(day: ServiceDay) -> dict:
    row = db.session.execute(
        db.select(db.func.count(CheckIn.id),
                  db.func.count(CheckIn.id).filter(CheckIn.community_id == Venue.community_id),
                  db.func.count(CheckIn.id).filter(
                      CheckIn.status == CheckInStatus.CHECKED_OUT),
                  db.func.coalesce(db.func.sum(CheckIn.minutes), 0))
        .join(Venue, Venue.id == CheckIn.venue_id)
        .where(CheckIn.service_day_id == day.id)).one()
    start, end = local_day_bounds(day.day)
    communities = db.select(Community.id).where(Community.street_id == day.street_id)
    visited = db.select(ServiceOrder.resident_id).where(
        ServiceOrder.community_id.in_(communities), ServiceOrder.kind == "visit",
        ServiceOrder.status.in_((OrderStatus.DONE, OrderStatus.RATED)),
        ServiceOrder.done_at >= start, ServiceOrder.done_at < end)
    fulfilled = db.select(Wish.owner_id).where(
        Wish.community_id.in_(communities), Wish.fulfilled_at >= start, Wish.fulfilled_at < end)
    households = db.session.execute(db.select(db.func.count()).select_from(
        visited.union(fulfilled).subquery())).scalar_one()
    wishes = db.session.execute(db.select(db.func.count()).select_from(
        fulfilled.subquery())).scalar_one()
    return {"check_ins": row[0], "members_reported": row[1], "checked_out": row[2],
            "volunteer_hours": round(row[3] / 60, 1), "households_visited": households,
            "wishes_fulfilled": wishes}
