"""Policy: membership — access ends with the role.

Only a CURRENT membership gives access: a volunteer's contact access (a wish owner's or a home-visit
resident's phone and address), their right to act on a task and their points all depend on the
volunteer profile being `active` now — not on a claim or assignment row made while it was. The
actor is read fresh from the database on every request (server/identity/services.load_actor), so
`actor.is_active_volunteer` is the current state; `is_active_member(volunteer_id)` asks the
database for a volunteer named by a row (a claim, an order, a points credit).

Leaving: we RELEASE rather than refuse. `end_volunteering` (called when a volunteer leaves, is
rejected, or — from account cancellation — loses the role) ends the membership and, in the same
transaction, gives back everything the person holds:

- claimed wishes are released (open again, the owner told; claim status `released`);
- accepted home visits assigned to them go back to `requested` and unassigned, for the next run;
- offerings they provide are withdrawn and their open bookings cancelled (residents told);
- matching proposals still waiting for review (`proposed`) naming them are `rejected`.

A wish already reported `fulfilled` stays for its owner to confirm (the help was given), but the
leaver no longer sees its contact details, and confirming it credits them nothing: points are only
credited to a volunteer who is active at the moment of crediting (server/points credit_points).
Refusing the leave instead would let a volunteer keep a resident's address simply by never leaving
cleanly, and account cancellation (PIPL art. 47) may not be refused; so releasing is the rule.
"""
from datetime import datetime

from sqlalchemy import update

from ..errors import Forbidden
from ..extensions import db
from ..timeutil import utcnow
from ..volunteers.models import CURRENT, VOLUNTEER, VolunteerStatus


def is_active_member(volunteer_id: int | None) -> bool:
    """True when the volunteer profile exists and is active right now (read from the database)."""
    if volunteer_id is None:
        return False
    from ..volunteers.models import Volunteer  # policy sits below the capabilities
    status = db.session.execute(db.select(Volunteer.status)
                                .where(Volunteer.id == volunteer_id)).scalar_one_or_none()
    return status == VolunteerStatus.ACTIVE


def actor_is_active_volunteer(actor) -> bool:
    return actor is not None and actor.volunteer_id is not None and actor.is_active_volunteer


def require_active_volunteer(actor, message: str | None = None) -> None:
    """403 unless the actor is an active volunteer now."""
    if not actor_is_active_volunteer(actor):
        raise Forbidden(message or "您的志愿者身份未生效或已结束，不能这样做")


def end_volunteering(actor, volunteer, *, reason: str, now: datetime | None = None,
                     status: str | None = None) -> dict:
    """End a volunteer's membership (status `left`, or `rejected`) and release what they hold.
    Returns how many of each kind were released. Flushes; never commits."""
    now = now or utcnow()
    status = status or VolunteerStatus.LEFT
    if volunteer.status in CURRENT:
        VOLUNTEER.move(volunteer, status)
        if status == VolunteerStatus.LEFT:
            volunteer.left_at = now
    released = {"wishes": _release_wishes(volunteer, reason, now),
                "orders": _release_orders(actor, volunteer, reason, now),
                "offerings": _withdraw_offerings(actor, volunteer, reason, now),
                "proposals": _reject_proposals(actor, volunteer, reason, now),
                "projects": _release_projects(volunteer, now)}
    db.session.flush()
    return released


def _release_wishes(volunteer, reason: str, now: datetime) -> int:
    # ending a membership acts on later layers (policy is imported by them): a real cycle
    from ..wishes.models import ClaimStatus, Wish, WishStatus
    from ..wishes.services import _reopen
    wishes = db.session.execute(
        db.select(Wish).where(Wish.claimed_by == volunteer.id, Wish.status == WishStatus.CLAIMED)
        .order_by(Wish.id).with_for_update().execution_options(populate_existing=True)
    ).scalars().all()
    for wish in wishes:
        _reopen(wish, ClaimStatus.RELEASED, f"志愿者已退出：{reason}"[:200], now)
    return len(wishes)


def _release_orders(actor, volunteer, reason: str, now: datetime) -> int:
    # policy below orders, as above
    from ..orders.models import OrderStatus, ServiceOrder
    from ..orders.services import give_back_order
    orders = db.session.execute(
        db.select(ServiceOrder).where(ServiceOrder.provider_id == volunteer.id,
                                      ServiceOrder.kind == "visit",
                                      ServiceOrder.status == OrderStatus.ACCEPTED)
        .order_by(ServiceOrder.id).with_for_update()).scalars().all()
    for order in orders:
        give_back_order(order, f"志愿者已退出：{reason}"[:200], now)
    return len(orders)


def _withdraw_offerings(actor, volunteer, reason: str, now: datetime) -> int:
    # policy below orders, as above
    from ..orders.models import OfferingStatus, ServiceOffering
    from ..orders.services import cancel_orders_of_offering
    offerings = db.session.execute(
        db.select(ServiceOffering).where(ServiceOffering.provider_id == volunteer.id,
                                         ServiceOffering.status == OfferingStatus.ACTIVE)
        .order_by(ServiceOffering.id).with_for_update()).scalars().all()
    for offering in offerings:
        offering.status, offering.withdrawn_at, offering.updated_at = (
            OfferingStatus.WITHDRAWN, now, now)
        cancel_orders_of_offering(actor, offering, "服务志愿者已退出，订单已取消", now=now)
    return len(offerings)


def _reject_proposals(actor, volunteer, reason: str, now: datetime) -> int:
    from ..matching_runs.models import (  # policy is below matching (see above)
        MatchProposal,
        ProposalStatus,
    )
    result = db.session.execute(
        update(MatchProposal)
        .where(MatchProposal.volunteer_id == volunteer.id,
               MatchProposal.status == ProposalStatus.PROPOSED)
        .values(status=ProposalStatus.REJECTED, decided_by=getattr(actor, "user_id", None),
                decided_at=now,
                decision_reason=f"志愿者已退出：{reason}"[:200])
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def _release_projects(volunteer, now: datetime) -> int:
    """Projects the volunteer claimed (not a unit's) are open again (volunteer service system)."""
    from ..projects.services import release_claims_of  # policy is below projects (see above)
    return release_claims_of(volunteer.id, now)
