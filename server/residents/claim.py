"""A resident registered by staff (代办) later logs in with WeChat and verifies the same phone
through /me/phone: the placeholder record is claimed — its wishes, orders and consents move to
the WeChat account (messages queued for it are dropped), and the placeholder is left as an empty
tombstone. Audited."""
import uuid
from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record_audit
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Consent, PhoneSource, User
from ..notifications.models import OutboxMessage
from ..orders.models import ServiceOrder
from ..timeutil import utcnow
from ..wishes.models import Wish
from .services import PLACEHOLDER_DAIBAN

_PROFILE = ("name", "address", "lat", "lng", "community_id", "grid_id", "need_tier")


def _placeholder_for(user: User) -> User | None:
    if user.openid.startswith(PLACEHOLDER_DAIBAN) or not user.phone \
            or user.phone_verified_via != PhoneSource.WECHAT:
        return None
    return db.session.execute(db.select(User).where(
        User.phone == user.phone, User.phone_verified_via == PhoneSource.STAFF,
        User.cancelled_at.is_(None), User.openid.startswith(PLACEHOLDER_DAIBAN),
        User.id != user.id).order_by(User.id).limit(1)).scalar_one_or_none()


def _move_rows(from_id: int, to_id: int) -> None:
    for model, column in ((Wish, Wish.owner_id), (ServiceOrder, ServiceOrder.resident_id),
                          (Consent, Consent.user_id)):
        db.session.execute(update(model).where(column == from_id).values({column.key: to_id}),
                           execution_options={"synchronize_session": False})
    # Messages queued for the placeholder could never reach WeChat; as for a cancelled account
    # (the placeholder becomes one), they go at once.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == from_id),
                       execution_options={"synchronize_session": False})


def claim_placeholder(actor: Actor, user: User, *, now: datetime | None = None) -> User | None:
    """Merge the staff-registered record with the same (now WeChat-verified) phone into `user`;
    None when there is none. A conflict (the same slot booked by both) claims nothing."""
    placeholder = _placeholder_for(user)
    if placeholder is None:
        return None
    now = now or utcnow()
    try:
        with db.session.begin_nested():
            _move_rows(placeholder.id, user.id)
            for attr in _PROFILE:
                if getattr(user, attr) in (None, ""):
                    setattr(user, attr, getattr(placeholder, attr))
            for attr in ("name", "phone", "phone_verified_via", "address", "lat", "lng",
                         "grid_id", "need_tier"):
                setattr(placeholder, attr, "" if attr == "name" else None)
            placeholder.openid = f"claimed:{uuid.uuid4().hex}"
            placeholder.cancelled_at = now
            db.session.flush()
    except IntegrityError:
        return None
    db.session.expire_all()
    record_audit(actor, "resident.claim", "user", user.id,
                 scope=f"community:{user.community_id}" if user.community_id else "",
                 detail={"placeholder_id": placeholder.id})
    db.session.flush()
    return placeholder
