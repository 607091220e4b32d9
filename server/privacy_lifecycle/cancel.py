"""Cancelling an account (注销): release what the person holds for others, cancel what they
asked for (telling the other side through the outbox), then erase their data (erase.py)."""
from datetime import datetime

from ..audit.services import record_audit
from ..errors import Conflict, Invalid
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from ..notifications.services import notify
from ..orders.models import OfferingStatus, OrderStatus, ServiceOffering, ServiceOrder
from ..orders.offerings import withdraw_offering
from ..orders.services import cancel_order
from ..pairings.services import end_household_pairings  # volunteer service system (16a)
from ..policy.membership import end_volunteering
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from ..wishes.models import CLAIM, WISH, ClaimStatus, Wish, WishClaim, WishStatus
from ..wishes.services import cancel_wish
from .erase import erase_person

REASON = "用户已注销账号"
OPEN_ORDER = (OrderStatus.REQUESTED, OrderStatus.ACCEPTED)


def cancel_account(actor: Actor, *, confirm: bool, now: datetime | None = None) -> User:
    """End the caller's account; its token stops working at once (load_actor)."""
    if confirm is not True:
        raise Invalid("注销账号需要确认", {"confirm": ["请确认注销（confirm: true）"]})
    now = now or utcnow()
    user = db.session.execute(db.select(User).where(User.id == actor.user_id)
                              .with_for_update()).scalar_one()
    if user.cancelled_at is not None:
        raise Conflict("账号已注销")
    volunteer = _volunteer_of(user.id)
    if volunteer is not None:
        _release_holdings(actor, volunteer, now=now)
    _close_own_requests(actor, now)
    record_audit(actor, "account.cancel", "user", user.id,
                 scope=f"community:{user.community_id}" if user.community_id else "")
    erase_person(user, _volunteer_of(user.id), now=now)
    return user


def _volunteer_of(user_id: int) -> Volunteer | None:
    return db.session.execute(db.select(Volunteer).where(
        Volunteer.user_id == user_id)).scalar_one_or_none()


def _release_holdings(actor: Actor, volunteer: Volunteer, *, now: datetime) -> None:
    """A volunteer's active claims, assignments, offerings and proposals go back, and they leave
    (server/policy/membership.end_volunteering: access ends with the role); offerings the person
    published as staff are withdrawn too."""
    end_volunteering(actor, volunteer, reason=REASON, now=now)
    for offering_id in _ids(db.select(ServiceOffering.id).where(
            ServiceOffering.publisher_id == actor.user_id,
            ServiceOffering.status == OfferingStatus.ACTIVE)):
        withdraw_offering(actor, offering_id, REASON, now=now)


def _close_own_requests(actor: Actor, now: datetime) -> None:
    """Open wishes and orders are cancelled; a claimer or provider is told."""
    for wish in db.session.execute(db.select(Wish).where(
            Wish.owner_id == actor.user_id,
            Wish.status.in_((WishStatus.PENDING_REVIEW, WishStatus.OPEN,
                             WishStatus.CLAIMED)))).scalars().all():
        if wish.can_cancel():
            cancel_wish(actor, wish.id, now=now)
        else:
            _cancel_claimed_wish(wish, now)
    for order_id in _ids(db.select(ServiceOrder.id).where(
            ServiceOrder.resident_id == actor.user_id, ServiceOrder.status.in_(OPEN_ORDER))):
        cancel_order(actor, order_id, REASON, now=now)
    end_household_pairings(actor, actor.user_id, REASON, now)  # 结对 (issue 16a)


def _cancel_claimed_wish(wish: Wish, now: datetime) -> None:
    """The owner leaves while a volunteer holds the wish: the claim ends, the volunteer is told.
    (A fulfilled wish stays: the volunteer did the work and a secretary can confirm it.)"""
    claim = db.session.execute(db.select(WishClaim).where(
        WishClaim.wish_id == wish.id, WishClaim.status == ClaimStatus.ACTIVE)
        .with_for_update()).scalar_one()
    CLAIM.move(claim, ClaimStatus.RELEASED)
    claim.ended_at, claim.end_reason = now, REASON
    claimer = db.session.get(Volunteer, claim.volunteer_id)
    WISH.move(wish, WishStatus.CANCELLED)
    wish.claimed_by, wish.claimed_at = None, None
    wish.closed_at = wish.updated_at = now
    notify(claimer.user_id, "wish_cancelled", title=wish.title, ref=f"wish:{wish.id}",
           note=REASON, dedupe=f"wish_cancelled:{claim.id}", now=now)


def _ids(query) -> list[int]:
    return list(db.session.execute(query).scalars())
