"""Who may see and do what with offerings and orders (DESIGN.md: scope and privacy rules)."""
from ..identity.actor import Actor
from ..identity.behalf import acts_for_owner  # 代办: staff in scope act for a resident
from .models import OrderStatus, ServiceOffering, ServiceOrder


def can_publish(actor: Actor) -> bool:
    return actor.is_active_volunteer or actor.is_secretary


def can_manage_offering(actor: Actor, offering: ServiceOffering) -> bool:
    """Its publisher, its volunteer, or a secretary of its community."""
    return (offering.publisher_id == actor.user_id
            or (actor.volunteer_id is not None and offering.provider_id == actor.volunteer_id)
            or actor.manages(offering.community_id))


def is_resident(actor: Actor, order: ServiceOrder) -> bool:
    return actor.user_id is not None and order.resident_id == actor.user_id


def is_provider(actor: Actor, order: ServiceOrder) -> bool:
    return actor.volunteer_id is not None and order.provider_id == actor.volunteer_id


def manages(actor: Actor, order: ServiceOrder) -> bool:
    """A secretary of the community that organises the order, or of the resident's community."""
    return actor.manages(order.community_id) or actor.manages(order.resident.community_id)


def is_system(actor: Actor) -> bool:
    return actor.is_system


def can_see(actor: Actor, order: ServiceOrder) -> bool:
    return (is_resident(actor, order) or is_provider(actor, order) or manages(actor, order)
            or acts_for_owner(actor, order.resident_id))


def can_see_contact(actor: Actor, order: ServiceOrder) -> bool:
    """The resident's phone and address: the resident, a secretary of the resident's community,
    and the active provider of an accepted home visit (while it is accepted) — nobody else."""
    if is_resident(actor, order) or actor.manages(order.resident.community_id):
        return True
    # Only while the volunteer is active NOW (policy.membership): a leaver sees nothing.
    return (is_provider(actor, order) and actor.is_active_volunteer and order.mode == "home"
            and order.status == OrderStatus.ACCEPTED)


def can_cancel(actor: Actor, order: ServiceOrder) -> bool:
    return is_resident(actor, order) or is_provider(actor, order) or manages(actor, order)


def can_assign(actor: Actor, order: ServiceOrder) -> bool:
    return is_system(actor) or actor.manages(order.community_id)


def can_assign_to(actor: Actor, community_id: int) -> bool:
    """A volunteer a secretary may pick for an order: one of a community in her scope."""
    return is_system(actor) or actor.manages(community_id)
