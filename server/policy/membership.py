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

Each package releases its own (wishes/services.py, orders/leavers.py, matching_runs/services.py),
listed in RELEASES by server/wiring.py.

A wish already reported `fulfilled` stays for its owner to confirm (the help was given), but the
leaver no longer sees its contact details, and confirming it credits them nothing: points are only
credited to a volunteer who is active at the moment of crediting (server/points credit_points).
Refusing the leave instead would let a volunteer keep a resident's address simply by never leaving
cleanly, and account cancellation (PIPL art. 47) may not be refused; so releasing is the rule.
"""
from collections.abc import Callable
from datetime import datetime

from ..database import rows_of
from ..enums import CURRENT_VOLUNTEER as CURRENT
from ..enums import VOLUNTEER, VolunteerStatus
from ..errors import Forbidden
from ..extensions import db
from ..statemachine import Tenure
from ..timeutil import utcnow

# What a leaver holds, released by the package that owns it: kind → release(actor, volunteer,
# reason, now) → how many (end_volunteering returns {kind: how many}). Those packages sit above
# policy, so they are not imported here: the composition root fills this (server/wiring.py, from
# create_app), as matching's SOURCES names the task sources. A capability whose volunteers hold
# something adds its release there.
RELEASES: dict[str, Callable[..., int]] = {}


def is_active_member(volunteer_id: int | None) -> bool:
    """True when the volunteer profile exists and is active right now (read from the database)."""
    return _status_is_active(volunteer_id, lock=False)


def lock_active_member(volunteer_id: int | None) -> bool:
    """Lock the volunteer's row (FOR UPDATE; the status re-read) and say whether it is active
    now. A step that gives a volunteer something to hold (a claim, a seat, a pairing) takes it
    before writing: leaving updates the same row first, so the two serialise — the step sees the
    leaver as gone, or the leave sees (and releases) what the step gave."""
    return _status_is_active(volunteer_id, lock=True)


def _status_is_active(volunteer_id: int | None, *, lock: bool) -> bool:
    if volunteer_id is None:
        return False
    from ..volunteers.models import Volunteer  # policy sits below the capabilities
    query = db.select(Volunteer.status).where(Volunteer.id == volunteer_id)
    status = db.session.execute(query.with_for_update() if lock else query).scalar_one_or_none()
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
    if not RELEASES:  # fail closed: a leaver must never keep what they hold
        raise RuntimeError("policy.membership.RELEASES is empty: build the app with create_app")
    now = now or utcnow()
    status = status or VolunteerStatus.LEFT
    if volunteer.status in CURRENT:
        VOLUNTEER.move(volunteer, status)
        if status == VolunteerStatus.LEFT:
            volunteer.left_at = now
    released = {kind: release(actor, volunteer, reason, now) for kind, release in RELEASES.items()}
    db.session.flush()
    return released


def release_each(model, release: Callable, *where) -> int:
    """What a leaver holds, released one row at a time: the rows of `model` matching `where`,
    locked, in id order, each given to `release(row)`; how many (a RELEASES entry's answer)."""
    rows = rows_of(model, *where, lock=True)
    for row in rows:
        release(row)
    return len(rows)


def end_tenures(model, end: Callable, actor, volunteer, reason: str, now: datetime) -> int:
    """A leaver's tenures of `model` (a pairing, a post's seat: `volunteer_id`, and `status`
    active → ended, server/statemachine.py Tenure), each ended by `end(actor, row, note, now=)`."""
    return release_each(model, lambda row: end(actor, row, leaving_note(reason), now=now),
                        model.volunteer_id == volunteer.id, model.status == Tenure.ACTIVE)


def leaving_note(reason: str) -> str:
    """What the people a leaver's tasks concern are told (≤ 200 characters)."""
    return f"志愿者已退出：{reason}"[:200]
