"""结对: a secretary pairs an active volunteer with a household of her community; the volunteer
logs visits; either ends it. Nobody stands on both sides (the volunteer is not the household,
the secretary pairs neither herself nor her own household). Reminders and overdue counts too."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..audit.services import record_audit
from ..database import add_once, rows_of
from ..errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import User
from ..notifications.services import notify
from ..policy.membership import end_tenures, lock_active_member, require_active_volunteer
from ..policy.parties import require_not_party, volunteer_user
from ..timeutil import utcnow
from ..volunteers.models import Volunteer
from ..wishes.content import check_private_text
from .models import PAIRING, Pairing, PairingStatus, PairingVisit
from .policies import manages_community

REMIND_AHEAD = timedelta(days=1)  # a reminder goes out a day before a visit falls due


def _household(actor: Actor, household_id: int) -> User:
    household = db.session.get(User, household_id)
    if (household is None or household.cancelled_at is not None or household.community_id is None
            or not manages_community(actor, household.community_id)):
        raise NotFound("住户不存在或不在您的管辖范围")
    return household


def _volunteer(actor: Actor, volunteer_id: int) -> Volunteer:
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or not manages_community(actor, volunteer.community_id):
        raise NotFound("志愿者不存在或不在您的管辖范围")
    if not lock_active_member(volunteer.id):  # also when they leave at this very moment
        raise Conflict("该志愿者不是在册志愿者，不能结对")
    return volunteer


def create_pairing(actor: Actor, data: dict, *, proposal_id: int | None = None,
                   now: datetime | None = None) -> Pairing:
    """A secretary in scope pairs an active volunteer with a household (409 when already paired)."""
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以安排结对")
    now = now or utcnow()
    household = _household(actor, data["household_id"])
    volunteer = _volunteer(actor, data["volunteer_id"])
    require_different_sides(actor, volunteer, household)
    pairing = Pairing(volunteer_id=volunteer.id, household_id=household.id,
                      community_id=household.community_id, kind=data["kind"],
                      visit_every_days=data["visit_every_days"], status=PairingStatus.ACTIVE,
                      created_by=actor.user_id, created_at=now, proposal_id=proposal_id,
                      next_visit_due=now + timedelta(days=data["visit_every_days"]))
    add_once(pairing, conflict="该志愿者已与这户结对")
    record_audit(actor, "pairing.create", "pairing", pairing.id,
                 scope=f"community:{pairing.community_id}",
                 detail={"volunteer_id": volunteer.id, "household_id": household.id})
    notify(volunteer.user_id, "pairing", title="您有新的结对帮扶对象", ref=f"pairing:{pairing.id}",
           dedupe=f"pairing:{pairing.id}", now=now)
    return pairing


def require_different_sides(actor: Actor, volunteer: Volunteer, household: User) -> None:
    """The volunteer is not the household; the secretary is neither of them."""
    require_different_people(volunteer.user_id, household.id)
    require_not_party(actor, volunteer.user_id, household.id, sides="assigner/assignee")


def require_different_people(volunteer_user_id: int, household_id: int) -> None:
    require_not_party(volunteer_user_id, household_id, sides="volunteer/household")


def get_pairing(actor: Actor, pairing_id: int, *, lock: bool = False) -> Pairing:
    """The pairing, to its volunteer and to staff in scope of the household's community."""
    query = db.select(Pairing).where(Pairing.id == pairing_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    pairing = db.session.execute(query).scalar_one_or_none()
    if pairing is None or not (is_volunteer(actor, pairing)
                               or manages_community(actor, pairing.community_id)):
        raise NotFound("结对不存在")
    return pairing


def is_volunteer(actor: Actor, pairing: Pairing) -> bool:
    return actor.volunteer_id is not None and pairing.volunteer_id == actor.volunteer_id


def end_pairing(actor: Actor, pairing_id: int, reason: str | None = None,
                *, now: datetime | None = None) -> Pairing:
    """A secretary in scope, or the volunteer, ends the pairing (409 when ended already)."""
    pairing = get_pairing(actor, pairing_id, lock=True)
    finish(actor, pairing, reason or "结对结束", now=now)
    record_audit(actor, "pairing.end", "pairing", pairing.id,
                 scope=f"community:{pairing.community_id}", detail={"reason": reason})
    return pairing


def finish(actor: Actor, pairing: Pairing, reason: str, *, now: datetime | None = None) -> None:
    PAIRING.move(pairing, PairingStatus.ENDED, error_message="该结对已结束")
    pairing.ended_at, pairing.ended_by = now or utcnow(), actor.user_id
    pairing.end_reason = reason[:200]
    db.session.flush()


def log_visit(actor: Actor, pairing_id: int, note: str, *, now: datetime | None = None):
    """The pairing's volunteer, active now, logs a visit; the next one falls due N days on."""
    now = now or utcnow()
    require_active_volunteer(actor, "只有在册志愿者可以登记走访")
    pairing = get_pairing(actor, pairing_id, lock=True)
    if not is_volunteer(actor, pairing):
        raise Forbidden("只有结对志愿者可以登记走访")
    if pairing.status != PairingStatus.ACTIVE:
        raise Conflict("该结对已结束，不能登记走访")
    user = db.session.get(User, actor.user_id)
    check_private_text(user.openid if user else None, note, "note")
    visit = PairingVisit(pairing_id=pairing.id, volunteer_id=pairing.volunteer_id, note=note,
                         visited_at=now, was_overdue=pairing.next_visit_due < now)
    db.session.add(visit)
    pairing.last_visit_at = now
    pairing.next_visit_due = now + timedelta(days=pairing.visit_every_days)
    db.session.flush()
    return visit


def end_pairings_of(actor, volunteer, reason: str, now: datetime) -> int:
    """policy.membership.end_volunteering: a leaver's pairings end with the membership."""
    return end_tenures(Pairing, finish, actor, volunteer, reason, now)


def remind_due_visits(actor: Actor, *, now: datetime | None = None) -> dict:
    """The jobs process: tell each volunteer once per due date that a visit falls due (within a
    day, or overdue). Running it again at once sends nothing more."""
    if not actor.is_system:
        raise Forbidden("只有系统任务可以发送走访提醒")
    now = now or utcnow()
    not_reminded = Pairing.reminded_due.is_(None) | (Pairing.reminded_due != Pairing.next_visit_due)
    due = rows_of(Pairing, Pairing.status == PairingStatus.ACTIVE,
                  Pairing.next_visit_due <= now + REMIND_AHEAD, not_reminded, lock=True)
    for pairing in due:
        user_id = volunteer_user(pairing.volunteer_id)
        if user_id is not None:
            notify(user_id, "pairing_visit_due", title="结对走访提醒", ref=f"pairing:{pairing.id}",
                   when=pairing.next_visit_due, note="请按时走访结对户",
                   dedupe=f"pairing-visit:{pairing.id}:{pairing.next_visit_due.isoformat()}",
                   now=now)
        pairing.reminded_due = pairing.next_visit_due
    db.session.flush()
    return {"reminded": len(due)}



@dataclass
class PairingView:
    """A pairing with the household's contact details where the reader may see them."""
    pairing: Pairing
    household_contact: dict | None

    def __getattr__(self, name):
        return getattr(self.pairing, name)


def can_see_contact(actor: Actor, pairing: Pairing) -> bool:
    """The household's phone and address: the pairing's volunteer while both the membership and
    the pairing are active now, and a secretary of the household's community — nobody else."""
    if actor.manages(pairing.community_id):
        return True
    return (is_volunteer(actor, pairing) and actor.is_active_volunteer
            and pairing.status == PairingStatus.ACTIVE)


def pairing_detail(actor: Actor, pairing_id: int) -> PairingView:
    """One pairing; the household's contact to those allowed, each read audited."""
    pairing = get_pairing(actor, pairing_id)
    if not can_see_contact(actor, pairing):
        return PairingView(pairing, None)
    household = pairing.household
    record_audit(actor, "pairing.contact_read", "pairing", pairing.id,
                 scope=f"community:{pairing.community_id}")
    return PairingView(pairing, {"name": household.name, "phone": household.contact_phone,
                                 "address": household.address})


def end_household_pairings(actor, household_id: int, reason: str, now: datetime) -> int:
    """Account cancellation (注销) of a household: its pairings end, each volunteer is told."""
    pairings = db.session.execute(db.select(Pairing).where(
        Pairing.household_id == household_id, Pairing.status == PairingStatus.ACTIVE)
        .order_by(Pairing.id).with_for_update()).scalars().all()
    for pairing in pairings:
        finish(actor, pairing, reason, now=now)
        user_id = volunteer_user(pairing.volunteer_id)
        if user_id is not None:
            notify(user_id, "pairing", title="结对户已注销账号，结对结束", ref=f"pairing:{pairing.id}",
                   dedupe=f"pairing-end:{pairing.id}", now=now)
    return len(pairings)
