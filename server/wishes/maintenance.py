"""What happens to wishes with nobody asking: reminders before a claimed wish's deadline, expiry
of unclaimed wishes past it, and release of claims that made no progress (no-show).

Run by the jobs process under the SYSTEM actor. Each function is safe to run twice: a reminder has
a dedupe key, expiry is a conditional UPDATE, and a no-show is re-checked on the locked row.
"""
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import update

from ..config import settings
from ..extensions import db
from ..identity.actor import Actor
from ..notifications.services import notify
from ..scheduling.settings import system_only
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from .models import ClaimStatus, Wish, WishClaim, WishStatus
from .services import reopen_claimed_wish

UNCLAIMED = (WishStatus.PENDING_REVIEW, WishStatus.OPEN)


def remind_due_wishes(actor: Actor, *, now: datetime | None = None) -> dict:
    """Remind the volunteer holding a wish whose deadline is within WISH_REMINDER_HOURS, once."""
    system_only(actor)
    now = now or utcnow()
    horizon = now + timedelta(hours=settings().wish_reminder_hours)
    rows = db.session.execute(
        db.select(Wish, WishClaim.id, Volunteer.user_id)
        .join(WishClaim, (WishClaim.wish_id == Wish.id) & (WishClaim.status == ClaimStatus.ACTIVE))
        .join(Volunteer, Volunteer.id == WishClaim.volunteer_id)
        .where(Wish.status == WishStatus.CLAIMED, Wish.needed_by > now,
               Wish.needed_by <= horizon)).all()
    reminded = 0
    for wish, claim_id, user_id in rows:
        message = notify(user_id, "wish_reminder", title=wish.title, ref=f"wish:{wish.id}",
                         when=wish.needed_by, note="请在截止时间前完成",
                         dedupe=f"wish_reminder:{wish.id}:{claim_id}", now=now)
        reminded += message is not None
    db.session.flush()
    return {"due": len(rows), "reminded": reminded}


def expire_overdue_wishes(actor: Actor, *, now: datetime | None = None) -> dict:
    """Wishes nobody claimed before their deadline expire; their owners are told."""
    system_only(actor)
    now = now or utcnow()
    expired = db.session.execute(
        update(Wish)
        .where(Wish.status.in_(UNCLAIMED), Wish.needed_by.is_not(None), Wish.needed_by <= now)
        .values(status=WishStatus.EXPIRED, closed_at=now, updated_at=now)
        .returning(Wish.id, Wish.owner_id, Wish.title)
        .execution_options(synchronize_session=False)).all()
    for wish_id, owner_id, title in expired:
        notify(owner_id, "wish_expired", title=title, ref=f"wish:{wish_id}",
               note="截止时间已过，心愿已关闭", dedupe=f"wish_expired:{wish_id}",
               now=now)
    db.session.flush()
    return {"expired": len(expired)}


def release_stale_claims(actor: Actor, *, now: datetime | None = None) -> dict:
    """A claim with no progress for WISH_NO_SHOW_DAYS ends as no_show; the wish is open again,
    and its owner and the volunteer are told. The clock starts at the LATEST of the claim's last
    progress, the wish's window start and — for a claim made by accepting a matching proposal —
    the proposal's scheduled start: nobody is a no-show before they were due (finding 17)."""
    system_only(actor)
    now = now or utcnow()
    days = settings().wish_no_show_days
    cutoff = now - timedelta(days=days)
    stale = db.session.execute(
        db.select(WishClaim.wish_id).join(Wish, Wish.id == WishClaim.wish_id)
        .where(WishClaim.status == ClaimStatus.ACTIVE, WishClaim.last_progress_at <= cutoff,
               Wish.window_start.is_(None) | (Wish.window_start <= cutoff),
               Wish.status == WishStatus.CLAIMED).order_by(WishClaim.id)).scalars().all()
    released = sum(_release_if_stale(wish_id, cutoff, days, now) for wish_id in stale)
    db.session.flush()
    return {"stale": len(stale), "released": released}


# When a claim made some other way was due to start: claim source → due(task_type, task_id,
# volunteer_id) → a moment or None. Matching sits above wishes, so the composition root fills
# this (server/wiring.py: "matching" → the accepted proposal's scheduled start).
DUE_BY_SOURCE: dict[str, Callable[[str, int, int], datetime | None]] = {}


def clock_start(wish: Wish, claim: WishClaim) -> datetime:
    """When the no-show clock of a claim starts: last progress, or later the time it was due."""
    if not DUE_BY_SOURCE:  # fail closed: nobody is a no-show before they were due
        raise RuntimeError("wishes.maintenance.DUE_BY_SOURCE is empty: build the app with "
                           "create_app")
    moments = [claim.last_progress_at, wish.window_start]
    due = DUE_BY_SOURCE.get(claim.source)
    if due is not None:
        moments.append(due("wish", wish.id, claim.volunteer_id))
    return max(m for m in moments if m is not None)


def _release_if_stale(wish_id: int, cutoff: datetime, days: int, now: datetime) -> bool:
    # Lock the wish, then look again: the volunteer may have fulfilled or released it meanwhile.
    wish = db.session.execute(db.select(Wish).where(Wish.id == wish_id).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one()
    claim = db.session.execute(db.select(WishClaim).filter_by(wish_id=wish_id, status=ClaimStatus.ACTIVE)
                               .execution_options(populate_existing=True)).scalar_one_or_none()
    if wish.status != WishStatus.CLAIMED or claim is None or clock_start(wish, claim) > cutoff:
        return False
    volunteer = db.session.get(Volunteer, claim.volunteer_id)
    reason = f"认领后{days}天无进展，已重新开放认领"
    reopen_claimed_wish(wish, ClaimStatus.NO_SHOW, reason, now)
    notify(volunteer.user_id, "wish_released", title=wish.title, ref=f"wish:{wish.id}",
           note=reason, dedupe=f"wish_released:{claim.id}:volunteer", now=now)
    return True
