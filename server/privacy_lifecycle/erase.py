"""Erasing a person's data when their account is cancelled (注销). Runs after cancel.py has
released what they held and cancelled what they asked for; see the package docstring."""
import secrets
from datetime import datetime

from sqlalchemy import delete, or_, update

from ..audit.models import AuditEntry
from ..care.models import Case, Objection
from ..donations.models import ContactCard, ContactCardStatus, Donation, LabelAck
from ..extensions import db
from ..idempotency.models import IdempotencyKey
from ..identity.models import Community, Consent, RoleGrant, User
from ..matching_runs.models import MatchProposal
from ..notifications.models import OutboxMessage
from ..orders.models import ServiceOffering, ServiceOrder
from ..volunteers.models import Volunteer
from ..wechat.db_state import DatabaseFakeState
from ..wishes.models import Wish, WishClaim
from .others_text import scrub_others_text

TOMBSTONE_PREFIX = "cancelled:"  # a ':' never occurs in a WeChat openid
ERASED_TITLE = "已注销用户的心愿"
ERASED_SUBJECT = "已注销用户的事项"  # in messages to others about the person's wishes and orders
MASK = "***"


def tombstone_openid() -> str:
    """Random and unrelated to the old openid: nothing leads back to the WeChat account."""
    return TOMBSTONE_PREFIX + secrets.token_hex(24)


def scrub(value, identifiers: tuple[str, ...]):
    """`value` (text, or JSON of lists and dicts) with every identifier masked."""
    if isinstance(value, str):
        for identifier in identifiers:
            value = value.replace(identifier, MASK)
        return value
    if isinstance(value, list):
        return [scrub(item, identifiers) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, identifiers) for key, item in value.items()}
    return value


def _identifiers(user: User) -> tuple[str, ...]:
    # Too short a name (one character) would mask unrelated text; it is erased from the row.
    values = (user.name, user.phone, user.address, user.openid)
    return tuple(v for v in values if v and len(v) >= 2)


def erase_person(user: User, volunteer: Volunteer | None, *, now: datetime) -> None:
    """Erase or anonymise everything about `user`; the rows others rely on stay."""
    identifiers, old_openid, old_phone = _identifiers(user), user.openid, user.phone
    scrub_others_text(user)  # what others wrote about them (others_text.SCRUB_STEPS, issue 16)
    wish_ids = _erase_wishes(user, volunteer)
    order_ids = _erase_orders(user, volunteer)
    _erase_volunteer(user, volunteer)
    _scrub_records(user, volunteer, identifiers, wish_ids, order_ids)
    _scrub_messages_to_others(_related_orders(user, volunteer), identifiers)
    erase_care(user.id)  # care casework (issue 15)
    db.session.execute(delete(Consent).where(Consent.user_id == user.id))
    db.session.execute(update(RoleGrant).where(RoleGrant.user_id == user.id,
                                               RoleGrant.revoked_at.is_(None))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user.id))
    _erase_donation_links(user, now)  # donations (issue 14)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))
    DatabaseFakeState().forget(old_openid, phones=(old_phone,) if old_phone else ())
    user.openid, user.name, user.phone, user.address = tombstone_openid(), "", None, None
    user.lat = user.lng = user.grid_id = user.need_tier = None
    user.cancelled_at = now  # community_id stays: coarse, and lets a secretary close things out
    db.session.flush()


def _erase_donation_links(user: User, now: datetime) -> None:
    """Contact cards end (the link was the person's consent); the texts of their thanks and
    their phone on future labels go; gifts, cards and redemptions stay as anonymous records."""
    db.session.execute(update(ContactCard).where(
        or_(ContactCard.donor_id == user.id, ContactCard.household_id == user.id),
        ContactCard.status == ContactCardStatus.ACTIVE)
        .values(status=ContactCardStatus.ENDED, ended_at=now, ended_by=user.id)
        .execution_options(synchronize_session=False))
    db.session.execute(update(LabelAck).where(LabelAck.recipient_id == user.id).values(message="")
                       .execution_options(synchronize_session=False))
    db.session.execute(update(Donation).where(Donation.donor_id == user.id).values(show_phone=False)
                       .execution_options(synchronize_session=False))


def erase_care(user_id: int) -> None:
    """The person's assistance cases keep their rows (the ledger and the year's report point at
    them) without the hardship story, documents or findings; their objections lose their text."""
    db.session.execute(update(Case).where(Case.applicant_id == user_id).values(
        hardship="", documents=[], findings=None, recommendation=None, exit_reason=None,
        decision_reason=None, override_reason=None).execution_options(synchronize_session=False))
    db.session.execute(update(Objection).where(Objection.author_id == user_id).values(text="")
                       .execution_options(synchronize_session=False))


def _coarse(community_id: int) -> tuple[float, float]:
    community = db.session.get(Community, community_id)
    return community.lat, community.lng


def _erase_wishes(user: User, volunteer: Volunteer | None) -> list[int]:
    owned = db.session.execute(db.select(Wish).where(Wish.owner_id == user.id)).scalars().all()
    for wish in owned:
        wish.title, wish.description, wish.address, wish.photos = ERASED_TITLE, "", None, []
        wish.lat, wish.lng = _coarse(wish.community_id)
        wish.thanks = wish.review_reason = wish.fulfil_note = wish.content_trace_id = None
        wish.fulfil_photos = []  # taken inside the home
    if volunteer is not None:
        served = db.session.execute(db.select(Wish).where(Wish.claimed_by == volunteer.id))
        for wish in served.scalars():
            wish.fulfil_note, wish.fulfil_photos = None, []
        db.session.execute(update(WishClaim).where(WishClaim.volunteer_id == volunteer.id)
                           .values(end_reason=None).execution_options(synchronize_session=False))
    return [wish.id for wish in owned]


def _erase_orders(user: User, volunteer: Volunteer | None) -> list[int]:
    placed = db.session.execute(db.select(ServiceOrder).where(
        ServiceOrder.resident_id == user.id)).scalars().all()
    for order in placed:
        order.note = order.comment = None
        order.lat, order.lng = _coarse(order.community_id)
    if volunteer is not None:
        served = db.session.execute(db.select(ServiceOrder).where(
            ServiceOrder.provider_id == volunteer.id)).scalars()
        for order in served:
            order.completion_note = None
    db.session.execute(update(ServiceOrder).where(ServiceOrder.closed_by == user.id)
                       .values(close_reason=None).execution_options(synchronize_session=False))
    return [order.id for order in placed]


def _erase_volunteer(user: User, volunteer: Volunteer | None) -> None:
    mine = [ServiceOffering.publisher_id == user.id]
    if volunteer is not None:
        mine.append(ServiceOffering.provider_id == volunteer.id)
        volunteer.lat, volunteer.lng = _coarse(volunteer.community_id)
        volunteer.skills, volunteer.availability, volunteer.review_reason = [], [], None
    offerings = db.session.execute(db.select(ServiceOffering).where(or_(*mine))).scalars()
    for offering in offerings:  # withdrawn by now; a home visit's place is the volunteer's home
        offering.description, offering.venue = "", None
        offering.title = scrub(offering.title, _identifiers(user))
        offering.lat, offering.lng = _coarse(offering.community_id)


def _scrub_records(user, volunteer, identifiers, wish_ids, order_ids) -> None:
    """Audit details, proposals' reasons and messages to others that quote the person."""
    about = [AuditEntry.actor_id == user.id,
             (AuditEntry.object_type == "user") & (AuditEntry.object_id == str(user.id)),
             (AuditEntry.object_type == "wish") & AuditEntry.object_id.in_(map(str, wish_ids)),
             (AuditEntry.object_type == "order") & AuditEntry.object_id.in_(map(str, order_ids))]
    if volunteer is not None:
        about.append((AuditEntry.object_type == "volunteer")
                     & (AuditEntry.object_id == str(volunteer.id)))
    for entry in db.session.execute(db.select(AuditEntry).where(or_(*about))).scalars():
        entry.detail = scrub(entry.detail or {}, identifiers)
    tasks = [MatchProposal.about("wish", wish_ids), MatchProposal.about("order", order_ids)]
    if volunteer is not None:
        tasks.append(MatchProposal.volunteer_id == volunteer.id)
    for proposal in db.session.execute(db.select(MatchProposal).where(or_(*tasks))).scalars():
        proposal.reasons = scrub(proposal.reasons or [], identifiers)
    db.session.execute(update(MatchProposal).where(MatchProposal.decided_by == user.id)
                       .values(decision_reason=None).execution_options(synchronize_session=False))
    refs = [f"ref=wish:{i}" for i in wish_ids] + [f"ref=order:{i}" for i in order_ids]
    for message in _messages_about(refs):
        data = dict(message.data)
        phrase = data.get("phrase2", {}).get("value", "")
        data["thing1"], data["thing4"] = {"value": ERASED_SUBJECT}, {"value": phrase}
        message.data = scrub(data, identifiers)


def _related_orders(user: User, volunteer: Volunteer | None) -> list[str]:
    """Orders the person served or that booked their offerings: their messages quote its title."""
    offered = [ServiceOffering.publisher_id == user.id]
    if volunteer is not None:
        offered.append(ServiceOffering.provider_id == volunteer.id)
    related = [ServiceOrder.offering_id.in_(db.select(ServiceOffering.id).where(or_(*offered)))]
    if volunteer is not None:
        related.append(ServiceOrder.provider_id == volunteer.id)
    ids = db.session.execute(db.select(ServiceOrder.id).where(or_(*related))).scalars()
    return [f"ref=order:{i}" for i in ids]


def _scrub_messages_to_others(refs: list[str], identifiers: tuple[str, ...]) -> None:
    for message in _messages_about(refs):
        message.data = scrub(message.data, identifiers)


def _messages_about(refs: list[str]):
    if not refs:
        return []
    pages = [OutboxMessage.page.endswith(ref) for ref in refs]
    return db.session.execute(db.select(OutboxMessage).where(or_(*pages))).scalars().all()
