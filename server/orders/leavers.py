"""What a leaving volunteer holds in orders goes back (policy.membership.RELEASES)."""
from datetime import datetime

from ..database import rows_of
from ..identity.actor import Actor
from ..policy.membership import leaving_note
from ..volunteers.models import Volunteer
from .models import OfferingStatus, OrderStatus, ServiceOffering, ServiceOrder
from .services import cancel_orders_of_offering, give_back_order


def give_back_leaver_visits(actor: Actor, volunteer: Volunteer, reason: str,
                            now: datetime) -> int:
    """Accepted home visits assigned to the leaver return to `requested`, unassigned, for the
    next run; the residents are told."""
    orders = rows_of(ServiceOrder, ServiceOrder.provider_id == volunteer.id,
                     ServiceOrder.kind == "visit", ServiceOrder.status == OrderStatus.ACCEPTED,
                     lock=True)
    for order in orders:
        give_back_order(order, leaving_note(reason), now)
    return len(orders)


def withdraw_leaver_offerings(actor: Actor, volunteer: Volunteer, reason: str,
                              now: datetime) -> int:
    """Offerings the leaver provides are withdrawn and their open bookings cancelled."""
    offerings = rows_of(ServiceOffering, ServiceOffering.provider_id == volunteer.id,
                        ServiceOffering.status == OfferingStatus.ACTIVE, lock=True)
    for offering in offerings:
        offering.status, offering.withdrawn_at, offering.updated_at = (
            OfferingStatus.WITHDRAWN, now, now)
        cancel_orders_of_offering(actor, offering, "服务志愿者已退出，订单已取消", now=now)
    return len(offerings)
