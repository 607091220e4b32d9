"""Who may see and do what with a wish (DESIGN.md privacy rules)."""
from ..identity.actor import Actor
from ..identity.behalf import acts_for_owner  # 代办: staff in scope act for a resident
from .models import Wish, WishStatus

PUBLIC_STATUSES = (WishStatus.OPEN, WishStatus.CLAIMED, WishStatus.FULFILLED, WishStatus.CONFIRMED)
ACTIVE_CLAIM_STATUSES = (WishStatus.CLAIMED, WishStatus.FULFILLED)


def is_owner(actor: Actor, wish: Wish) -> bool:
    return actor is not None and actor.user_id == wish.owner_id


def is_claimer(actor: Actor, wish: Wish) -> bool:
    """The volunteer holding the wish's active claim, while an active volunteer NOW
    (policy.membership: contact access ends with the role)."""
    return (actor is not None and actor.volunteer_id is not None and actor.is_active_volunteer
            and wish.claimed_by == actor.volunteer_id and wish.status in ACTIVE_CLAIM_STATUSES)


def manages(actor: Actor, wish: Wish) -> bool:
    return actor is not None and actor.manages(wish.community_id)


def can_see(actor: Actor | None, wish: Wish) -> bool:
    if wish.status in PUBLIC_STATUSES:
        return True
    return is_owner(actor, wish) or manages(actor, wish) or (
        actor is not None and actor.volunteer_id is not None
        and wish.claimed_by == actor.volunteer_id) or acts_for_owner(actor, wish.owner_id)


def can_see_contact(actor: Actor | None, wish: Wish) -> bool:
    """Phone and address: the owner, the active claimer, a secretary of the wish's community."""
    return is_owner(actor, wish) or is_claimer(actor, wish) or manages(actor, wish)


def served(actor: Actor | None, wish: Wish) -> bool:
    """The volunteer who holds or held (through fulfilment and confirmation) the wish's claim."""
    return (actor is not None and actor.volunteer_id is not None
            and wish.claimed_by == actor.volunteer_id)


def is_party(actor: Actor | None, wish: Wish) -> bool:
    """Who sees who claimed it and the proof of help (fulfil note, photos, thanks, rating):
    the owner, the volunteer who claimed it, a secretary of its community — never the public
    (issue 10, findings 15 and 19)."""
    return is_owner(actor, wish) or served(actor, wish) or manages(actor, wish)
