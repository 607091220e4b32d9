"""A copy of everything held about the caller (PIPL art. 45), as JSON; the export is audited.

Other people's personal data is not in it: of a wish the caller served or an order they served,
only what concerns their own part (the times, their note, the rating they received)."""
from datetime import date, datetime

from sqlalchemy import or_

from ..audit.models import AuditEntry
from ..audit.services import record_audit
from ..care.models import Case, Contribution, Objection, Payment, Revisit
from ..checkins.models import CheckIn  # volunteer service system, part b
from ..donations.models import AidCard, ContactCard, Donation, LabelAck, Redemption
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Consent, RoleGrant, User
from ..matching_runs.models import MatchProposal
from ..notifications.models import OutboxMessage
from ..orders.models import ServiceOffering, ServiceOrder
from ..pairings.models import Pairing, PairingVisit  # volunteer service system (16a)
from ..points.models import PointsEntry
from ..posts.models import PostHolder, PostLog  # volunteer service system (16a)
from ..projects.models import Project  # volunteer service system, part b
from ..stars.models import StarPeerScore, StarReview  # volunteer service system, part b
from ..timeutil import LOCAL_TZ, as_utc, utcnow
from ..volunteers.models import Volunteer
from ..wishes.models import Wish, WishClaim

SERVED_WISH = ("id", "title", "category", "status", "claimed_at", "fulfilled_at", "fulfil_note",
               "confirmed_at", "rating", "thanks")
SERVED_ORDER = ("id", "kind", "category", "status", "window_start", "window_end", "done_at",
                "completion_note", "rating", "comment")
PROPOSAL = ("id", "task_type", "task_id", "status", "start", "end", "decided_at")
CARE_PAYMENT = ("seq", "due_on", "amount_fen", "status", "paid_at")
CARE_REVISIT = ("method", "note", "next_due", "created_at")
CARE_OBJECTION = ("id", "case_id", "text", "status", "created_at")
MESSAGE = ("id", "kind", "data", "status", "created_at", "sent_at")


def _value(value):
    if isinstance(value, datetime):
        return as_utc(value).astimezone(LOCAL_TZ).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row(obj, only: tuple[str, ...] | None = None) -> dict:
    keys = only or tuple(c.key for c in obj.__mapper__.column_attrs)
    return {key: _value(getattr(obj, key)) for key in keys}


def _rows(query, only=None) -> list[dict]:
    return [_row(obj, only) for obj in db.session.execute(query).scalars()]


def export_my_data(actor: Actor, *, now: datetime | None = None) -> dict:
    """Everything held about the caller, section by section."""
    now = now or utcnow()
    uid = actor.user_id
    volunteer = db.session.execute(db.select(Volunteer).where(
        Volunteer.user_id == uid)).scalar_one_or_none()
    vid = volunteer.id if volunteer is not None else -1
    wishes = _rows(db.select(Wish).where(Wish.owner_id == uid).order_by(Wish.id))
    orders = _rows(db.select(ServiceOrder).where(ServiceOrder.resident_id == uid)
                   .order_by(ServiceOrder.id))
    served_wishes = _rows(db.select(Wish).where(Wish.id.in_(
        db.select(WishClaim.wish_id).where(WishClaim.volunteer_id == vid))).order_by(Wish.id),
        SERVED_WISH)
    served_orders = _rows(db.select(ServiceOrder).where(ServiceOrder.provider_id == vid)
                          .order_by(ServiceOrder.id), SERVED_ORDER)
    data = {
        "exported_at": _value(now),
        "profile": _row(db.session.get(User, uid)),
        "consents": _rows(db.select(Consent).where(Consent.user_id == uid).order_by(Consent.id)),
        "role_grants": _rows(db.select(RoleGrant).where(RoleGrant.user_id == uid)
                             .order_by(RoleGrant.id)),
        "volunteer": _row(volunteer) if volunteer is not None else None,
        "wishes_posted": wishes,
        "wishes_claimed": served_wishes,
        "wish_claims": _rows(db.select(WishClaim).where(WishClaim.volunteer_id == vid)
                             .order_by(WishClaim.id)),
        "orders_placed": orders,
        "orders_served": served_orders,
        "offerings": _rows(db.select(ServiceOffering).where(
            or_(ServiceOffering.publisher_id == uid, ServiceOffering.provider_id == vid))
            .order_by(ServiceOffering.id)),
        "points": _rows(db.select(PointsEntry).where(PointsEntry.volunteer_id == vid)
                        .order_by(PointsEntry.id)),
        "ratings_given": _ratings(wishes, "thanks") + _ratings(orders, "comment"),
        "ratings_received": _ratings(served_wishes, "thanks") + _ratings(served_orders, "comment"),
        "match_proposals": _rows(db.select(MatchProposal).where(MatchProposal.volunteer_id == vid)
                                 .order_by(MatchProposal.id), PROPOSAL),
        "notifications": _rows(db.select(OutboxMessage).where(OutboxMessage.user_id == uid)
                               .order_by(OutboxMessage.id), MESSAGE),
        "audit": _audit_about(uid, vid),
        **_service_system(uid, vid),
        **_donation_sections(uid),  # donations and the love supermarket (issue 14)
        **_care(uid),  # care casework (issue 15)
        **_service_system_b(uid, vid),
    }
    record_audit(actor, "account.export", "user", uid)
    db.session.flush()
    return data


PAIRING = ("id", "kind", "visit_every_days", "status", "created_at", "last_visit_at",
           "next_visit_due", "ended_at")


def _service_system(uid: int, vid: int) -> dict:
    """Volunteer service system (issue 16a): posts held, duty logs, pairings on either side and
    one's own visit notes; of a pairing, only its own facts (not the other person)."""
    return {
        "posts_held": _rows(db.select(PostHolder).where(PostHolder.volunteer_id == vid)
                            .order_by(PostHolder.id)),
        "duty_logs": _rows(db.select(PostLog).where(PostLog.volunteer_id == vid)
                           .order_by(PostLog.id)),
        "pairings": _rows(db.select(Pairing).where(
            or_(Pairing.volunteer_id == vid, Pairing.household_id == uid)).order_by(Pairing.id),
            PAIRING),
        "pairing_visits": _rows(db.select(PairingVisit).where(PairingVisit.volunteer_id == vid)
                                .order_by(PairingVisit.id)),
    }


def _donation_sections(uid: int) -> dict:
    """Gifts I registered as donor, my aid cards, what I received, my acknowledgements and
    contact cards (the other side only by id)."""
    return {
        "donations": _rows(db.select(Donation).where(Donation.donor_id == uid)
                           .order_by(Donation.id)),
        "aid_cards": _rows(db.select(AidCard).where(AidCard.household_id == uid)
                           .order_by(AidCard.id)),
        "redemptions_received": _rows(db.select(Redemption).where(Redemption.recipient_id == uid)
                                      .order_by(Redemption.id)),
        "label_acks": _rows(db.select(LabelAck).where(LabelAck.recipient_id == uid)
                            .order_by(LabelAck.id)),
        "contact_cards": _rows(db.select(ContactCard).where(
            or_(ContactCard.donor_id == uid, ContactCard.household_id == uid))
            .order_by(ContactCard.id)),
    }


def _care(uid: int) -> dict:
    """My assistance cases (with what was paid and the revisits about me), my contributions and
    the objections I raised — not who objected to my case."""
    cases = _rows(db.select(Case).where(Case.applicant_id == uid).order_by(Case.id))
    ids = [c["id"] for c in cases]
    for case in cases:
        case["payments"] = [_row(p, CARE_PAYMENT) for p in db.session.execute(
            db.select(Payment).where(Payment.case_id == case["id"]).order_by(Payment.seq)
        ).scalars()]
        case["revisits"] = [_row(r, CARE_REVISIT) for r in db.session.execute(
            db.select(Revisit).where(Revisit.case_id == case["id"]).order_by(Revisit.id)
        ).scalars()]
    return {"care_cases": cases if ids else [],
            "care_contributions": _rows(db.select(Contribution).where(
                Contribution.member_id == uid).order_by(Contribution.id)),
            "care_objections": _rows(db.select(Objection).where(Objection.author_id == uid)
                                     .order_by(Objection.id), CARE_OBJECTION)}


def _ratings(rows: list[dict], text_key: str) -> list[dict]:
    kind = "wish" if text_key == "thanks" else "order"
    return [{"object_type": kind, "object_id": row["id"], "rating": row["rating"],
             "text": row[text_key]} for row in rows if row.get("rating") is not None]


def _audit_about(uid: int, vid: int) -> list[dict]:
    return _rows(db.select(AuditEntry).where(or_(
        AuditEntry.actor_id == uid,
        (AuditEntry.object_type == "user") & (AuditEntry.object_id == str(uid)),
        (AuditEntry.object_type == "volunteer") & (AuditEntry.object_id == str(vid))))
        .order_by(AuditEntry.id))


def _service_system_b(uid: int, vid: int) -> dict:
    """Projects claimed, check-ins, one's star reviews and the peer scores one gave."""
    return {
        "projects_claimed": _rows(db.select(Project).where(or_(
            Project.claimed_by == uid, Project.claimed_volunteer_id == vid)).order_by(Project.id)),
        "check_ins": _rows(db.select(CheckIn).where(CheckIn.volunteer_id == vid)
                           .order_by(CheckIn.id)),
        "star_reviews": _rows(db.select(StarReview).where(StarReview.volunteer_id == vid)
                              .order_by(StarReview.id)),
        "star_peer_scores_given": _rows(db.select(StarPeerScore).where(
            StarPeerScore.scorer_user_id == uid).order_by(StarPeerScore.id)),
    }
