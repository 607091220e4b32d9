"""Check-ins (报到): an active volunteer reports at a venue of a service day — on the day, in its
hours, within the venue's radius — once per day; check-out records the hours and credits
points by rule. The volunteer's position is compared with the venue's and then forgotten."""
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from matching.geo import metres_between  # the one geography (docs/architecture.md)

from ..database import locked
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Role
from ..points.services import credit_points
from ..policy.membership import lock_active_member, require_active_volunteer
from ..policy.scope import communities_covered
from ..service_days.models import ServiceDay, ServiceDayVenue, Venue
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer
from .models import CHECK_IN, CheckIn, CheckInStatus

STAFF = (Role.SECRETARY, Role.ADMIN)
MIN_MINUTES_FOR_POINTS = 30  # a check-out after less than this earns hours but no points


def day_window(day: ServiceDay) -> tuple[datetime, datetime]:
    """The day's check-in hours as aware datetimes (Asia/Shanghai)."""
    return (datetime.combine(day.day, day.opens_at, tzinfo=LOCAL_TZ),
            datetime.combine(day.day, day.closes_at, tzinfo=LOCAL_TZ))


def _day_venue(day_id: int, venue_id: int, volunteer_id: int):
    """The day, its venue and the volunteer's reporting community, in one round trip (the
    benchmark's hot path)."""
    community = (db.select(Volunteer.community_id).where(Volunteer.id == volunteer_id)
                 .scalar_subquery())
    row = db.session.execute(
        db.select(ServiceDay, ServiceDayVenue, Venue, community)
        .outerjoin(ServiceDayVenue, (ServiceDayVenue.service_day_id == ServiceDay.id)
                   & (ServiceDayVenue.venue_id == venue_id))
        .outerjoin(Venue, Venue.id == ServiceDayVenue.venue_id)
        .where(ServiceDay.id == day_id)).first()
    if row is None:
        raise NotFound("奉献日不存在")
    if row[1] is None:
        raise Invalid(errors={"venue_id": ["该场地不在这个奉献日"]})
    return row


def _insert_once(values: dict) -> CheckIn | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: the unique (day, volunteer) decides a race in
    one statement; None when the member had already checked in."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (insert(CheckIn).values(**values).on_conflict_do_nothing(
        index_elements=[CheckIn.service_day_id, CheckIn.volunteer_id]).returning(CheckIn))
    return db.session.execute(statement).scalar_one_or_none()


def check_in(actor: Actor, day_id: int, data: dict, *, now: datetime | None = None) -> CheckIn:
    """报到: 201 on the day, in its hours and within the venue's radius; 409 outside the hours
    or a second time that day; 422 outside the radius."""
    now = now or utcnow()
    require_active_volunteer(actor, "只有在册的志愿者可以报到")
    day, day_venue, venue, community_id = _day_venue(day_id, data["venue_id"],
                                                     actor.volunteer_id)
    opens, closes = day_window(day)
    if not opens <= now < closes:
        raise Conflict(f"不在报到时间内（{day.day.isoformat()} {day.opens_at:%H:%M}–"
                       f"{day.closes_at:%H:%M}）")
    if metres_between(data["lat"], data["lng"], venue.lat, venue.lng) > day_venue.radius_m:
        raise Invalid(f"请在场地 {day_venue.radius_m} 米范围内报到",
                      {"lat": [f"距离场地超过 {day_venue.radius_m} 米"]})
    _require_no_open_check_in_elsewhere(actor.volunteer_id, day)
    CHECK_IN.check(None, CheckInStatus.CHECKED_IN)  # a new row's first state, as the table says
    checkin = _insert_once({"service_day_id": day.id, "venue_id": venue.id,
                            "volunteer_id": actor.volunteer_id, "community_id": community_id,
                            "checked_in_at": now, "status": CheckInStatus.CHECKED_IN})
    if checkin is None:
        raise Conflict("您今天已经报到过了")
    return checkin


def _require_no_open_check_in_elsewhere(volunteer_id: int, day: ServiceDay) -> None:
    """One presence at a time: a member still checked in at another service day of the same date
    (two streets' days, or a morning and an afternoon event) checks out there first, so no
    minute is counted twice (hours and points). The member's row is locked, serialising their
    check-ins, so two racing check-ins at two days cannot both pass."""
    if not lock_active_member(volunteer_id):  # left at this very moment
        raise Conflict("您的志愿者身份已结束，不能报到")
    open_elsewhere = db.session.execute(
        db.select(CheckIn.id).join(ServiceDay, ServiceDay.id == CheckIn.service_day_id)
        .where(CheckIn.volunteer_id == volunteer_id, CheckIn.status == CheckInStatus.CHECKED_IN,
               ServiceDay.day == day.day, ServiceDay.id != day.id).limit(1)).first()
    if open_elsewhere is not None:
        raise Conflict("您在另一场奉献日的报到还未签退，请先签退再报到")


def _own(actor: Actor, checkin_id: int) -> CheckIn:
    """The caller's own check-in, locked and re-read (two check-outs at once: one, then 409)."""
    checkin = locked(CheckIn, checkin_id)
    if checkin is None or actor.volunteer_id is None or checkin.volunteer_id != actor.volunteer_id:
        raise NotFound("报到记录不存在")
    return checkin


def check_out(actor: Actor, checkin_id: int, *, now: datetime | None = None) -> CheckIn:
    """签退: the hours from check-in to now (at most to the day's closing); points by rule."""
    now = now or utcnow()
    checkin = _own(actor, checkin_id)
    require_active_volunteer(actor, "您的志愿者身份已结束，不能签退")
    CHECK_IN.move(checkin, CheckInStatus.CHECKED_OUT, error_message="已经签退过了")
    _, closes = day_window(db.session.get(ServiceDay, checkin.service_day_id))
    end = min(now, closes)
    checkin.checked_out_at = now
    checkin.minutes = max(0, min(1440, int((end - checkin.checked_in_at).total_seconds() // 60)))
    db.session.flush()
    if checkin.minutes >= MIN_MINUTES_FOR_POINTS:
        credit_points(checkin.volunteer_id, "service_day_checkout", "checkin", checkin.id, now=now)
    return checkin


def my_checkins_query(actor: Actor):
    if actor.volunteer_id is None:
        raise Forbidden("您还不是志愿者")
    return (db.select(CheckIn).where(CheckIn.volunteer_id == actor.volunteer_id)
            .order_by(CheckIn.id.desc()))


def day_checkins_query(actor: Actor, day_id: int, venue_id: int | None = None):
    """The day's check-ins, newest first, as far as the caller's grants reach: members who
    report to a community in scope, or check-ins at a venue in scope."""
    if db.session.get(ServiceDay, day_id) is None:
        raise NotFound("奉献日不存在")
    covered = communities_covered(actor, STAFF)
    if not covered:
        raise Forbidden("只有管辖范围内的书记可以查看报到情况")
    query = (db.select(CheckIn).join(Venue, Venue.id == CheckIn.venue_id)
             .where(CheckIn.service_day_id == day_id,
                    db.or_(CheckIn.community_id.in_(covered), Venue.community_id.in_(covered)))
             .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc()))
    if venue_id is not None:
        query = query.where(CheckIn.venue_id == venue_id)
    return query
