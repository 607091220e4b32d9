"""爱心联系卡: a secretary links a donor and a household, only with both sides' recorded consent
(purpose `contact_card`); either side, or a secretary in scope, may end it."""
from datetime import datetime

from ..audit.services import record_audit
from ..database import add_once
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import User
from ..identity.services import has_consent
from ..policy import parties
from ..policy.scope import Scope, ScopeKind, actor_covers
from ..timeutil import utcnow
from .models import CONTACT_CARD, ContactCard, ContactCardStatus
from .policies import MANAGERS, require_manager_of_community

CONSENT = "contact_card"


def _person(user_id: int, field: str) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.cancelled_at is not None:
        raise Invalid(errors={field: ["用户不存在"]})
    return user


def create_contact_card(actor, data: dict, *, now: datetime | None = None) -> ContactCard:
    """Link a donor and a household of the secretary's community, both consenting."""
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以建立爱心联系卡")
    donor = _person(data["donor_id"], "donor_id")
    household = _person(data["household_id"], "household_id")
    if donor.id == household.id:
        raise Invalid(errors={"household_id": ["捐赠人和受助家庭不能是同一人"]})
    if household.community_id is None:
        raise Invalid(errors={"household_id": ["该居民未登记社区"]})
    require_manager_of_community(actor, household.community_id)
    parties.require_not_party(actor, donor.id, household.id, sides="linker/party")
    missing = [name for name, user in (("捐赠人", donor), ("受助家庭", household))
               if not has_consent(user.id, CONSENT)]
    if missing:
        raise Conflict(f"须经双方同意：{'、'.join(missing)}尚未同意建立爱心联系卡")
    card = ContactCard(donor_id=donor.id, household_id=household.id,
                       community_id=household.community_id, created_by=actor.user_id,
                       created_at=now or utcnow())
    CONTACT_CARD.move(card, ContactCardStatus.ACTIVE)
    add_once(card, conflict="双方已有有效的爱心联系卡")
    record_audit(actor, "contact_card.create", "contact_card", card.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, card.community_id)))
    return card


def _visible(actor, card: ContactCard) -> bool:
    return actor.user_id in (card.donor_id, card.household_id) or actor_covers(
        actor, Scope(ScopeKind.COMMUNITY, card.community_id), roles=MANAGERS)


def end_contact_card(actor, card_id: int, *, now: datetime | None = None) -> ContactCard:
    """Either side (or a secretary in scope) ends the card; the other side is not asked."""
    card = db.session.get(ContactCard, card_id)
    if card is None or not _visible(actor, card):
        raise NotFound("爱心联系卡不存在")
    CONTACT_CARD.move(card, ContactCardStatus.ENDED, error_message="该爱心联系卡已结束")
    card.ended_by, card.ended_at = actor.user_id, now or utcnow()
    db.session.flush()
    record_audit(actor, "contact_card.end", "contact_card", card.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, card.community_id)))
    return card


def my_contact_cards(actor):
    return db.select(ContactCard).where(
        (ContactCard.donor_id == actor.user_id) | (ContactCard.household_id == actor.user_id)
    ).order_by(ContactCard.id.desc())


def view_of(actor, card: ContactCard) -> dict:
    """The other side's name (and verified phone, while the card is active): both consented."""
    other_id = card.household_id if actor.user_id == card.donor_id else card.donor_id
    other = db.session.get(User, other_id)
    # the phone crosses only while the card is active and both sides still consent (a withdrawn
    # consent ends the sharing at once, before anyone ends the card)
    active = (card.status == ContactCardStatus.ACTIVE and has_consent(card.donor_id, CONSENT)
              and has_consent(card.household_id, CONSENT))
    return {"id": card.id, "donor_id": card.donor_id, "household_id": card.household_id,
            "status": card.status, "created_at": card.created_at, "ended_at": card.ended_at,
            "other_name": other.name if other else "",
            "other_phone": other.contact_phone if other and active else None}
