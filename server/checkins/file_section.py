"""The check-ins part of a volunteer's file (一人一档)."""
from ..extensions import db
from ..service_days.models import ServiceDay
from .models import STATUS_NAMES, CheckIn


def file_section(volunteer_id: int) -> list[dict]:
    """Every service day the volunteer reported at: day, venue, times and hours."""
    rows = db.session.execute(
        db.select(CheckIn, ServiceDay).join(ServiceDay, ServiceDay.id == CheckIn.service_day_id)
        .where(CheckIn.volunteer_id == volunteer_id).order_by(CheckIn.id.desc())).all()
    return [{"kind": "check_in", "id": c.id, "service_day_id": day.id, "title": day.title,
             "date": day.day, "venue": c.venue.name, "status": c.status,
             "status_name": STATUS_NAMES[c.status], "checked_in_at": c.checked_in_at,
             "checked_out_at": c.checked_out_at, "hours": c.hours} for c, day in rows]
