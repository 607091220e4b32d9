"""What a leaving volunteer holds in orders goes back (policy.membership.RELEASES)."""
from datetime import datetime

from ..identity.actor import Actor
from ..policy.membership import leaving_note, release_each
from ..volunteers.models import Volunteer
from .models import OfferingStatus, OrderStatus, ServiceOffering, ServiceOrder
from .services import cancel_orders_of_offering, give_back_order


def give_back_leaver_visits(actor: Actor, volunteer: Volunteer, reason: str,
                            now: datetime) -> int:
    """Accepted home visits assigned to the leaver return to `requested`, unassigned, for the
    next run; the residents are told."""
    return release_each(ServiceOrder, lambda o: give_back_order(o, leaving_note(reason), now),
                        ServiceOrder.provider_id == volunteer.id, ServiceOrder.kind == "visit",
                        ServiceOrder.status == OrderStatus.ACCEPTED)


def withdraw_leaver_offerings(actor: Actor, volunteer: Volunteer, reason: str,
                              now: datetime) -> int:
    """Offerings the leaver provides are withdrawn and their open bookings cancelled."""
    def withdraw(offering: ServiceOffering) -> None:
        offering.status, offering.withdrawn_at, offering.updated_at = (
            OfferingStatus.WITHDRAWN, now, now)
        cancel_orders_of_offering(actor, offering, "服务志愿者已退出，订单已取消", now=now)

    return release_each(ServiceOffering, withdraw, ServiceOffering.provider_id == volunteer.id,
                        ServiceOffering.status == OfferingStatus.ACTIVE)
