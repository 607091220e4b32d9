"""Reminders before a service order's time (run by the jobs process).

Who is reminded, once each (dedupe key per order and person), when the order starts within
ORDER_REMINDER_HOURS (default 24):
- the resident, for an accepted order and for a slot booking still waiting to be accepted
  (the seat is held, so the resident may well come);
- the volunteer, for an accepted order.
"""
from datetime import datetime, timedelta

from sqlalchemy import and_, or_

from ..config import settings
from ..extensions import db
from ..identity.actor import Actor
from ..notifications.services import notify
from ..scheduling.settings import system_only
from ..timeutil import local_text, utcnow
from ..volunteers.models import Volunteer
from .models import OrderStatus, ServiceOrder


def remind_upcoming_orders(actor: Actor, *, now: datetime | None = None) -> dict:
    """Remind residents and volunteers of orders starting within ORDER_REMINDER_HOURS, once."""
    system_only(actor)
    now = now or utcnow()
    horizon = now + timedelta(hours=settings().order_reminder_hours)
    rows = db.session.execute(
        db.select(ServiceOrder, Volunteer.user_id)
        .outerjoin(Volunteer, Volunteer.id == ServiceOrder.provider_id)
        .where(ServiceOrder.window_start > now, ServiceOrder.window_start <= horizon,
               or_(ServiceOrder.status == OrderStatus.ACCEPTED,
                   and_(ServiceOrder.kind == "slot",
                        ServiceOrder.status == OrderStatus.REQUESTED)))
        .order_by(ServiceOrder.window_start, ServiceOrder.id)).all()
    reminded = 0
    for order, provider_user in rows:
        people = [order.resident_id]
        if order.status == OrderStatus.ACCEPTED and provider_user is not None:
            people.append(provider_user)
        reminded += sum(_remind(order, user_id, now) for user_id in people)
    db.session.flush()
    return {"due": len(rows), "reminded": reminded}


def _remind(order: ServiceOrder, user_id: int, now: datetime) -> bool:
    starts = f"{local_text(order.window_start)} 开始"
    message = notify(user_id, "order_reminder", title=order.title, ref=f"order:{order.id}",
                     when=order.window_start, note=starts,
                     dedupe=f"order_reminder:{order.id}:{user_id}", now=now)
    return message is not None
