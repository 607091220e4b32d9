"""Donation drives, stations, donations (register, inspect), label acknowledgements."""
import re
import secrets
from datetime import datetime

from sqlalchemy import update

from ..audit.services import record_audit
from ..database import get_or_404
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Community, Station, Unit
from ..notifications.services import notify
from ..policy import parties
from ..policy.scope import Scope, ScopeKind, actor_covers, scope_contains, scope_exists
from ..timeutil import utcnow
from ..wishes.content import check_private_text
from .models import (
    CATEGORIES,
    DECISION_TO,
    DONATION,
    STATUS_NAMES,
    Decision,
    Donation,
    DonationDrive,
    DonationStatus,
    DriveScopeKind,
    LabelAck,
    MovementKind,
    Redemption,
    RedemptionLine,
)
from .policies import (
    KEEPERS,
    MANAGERS,
    get_station,
    require_keeper_of,
    require_manager_of_community,
    require_staff_of,
    station_scope,
)
from .stock import change_stock, stock_item_for


def create_drive(actor, data: dict, *, now: datetime | None = None) -> DonationDrive:
    """An admin or secretary opens a drive over a scope their grant contains."""
    scope_data = data["scope"]
    scope = Scope(ScopeKind(DriveScopeKind(scope_data["kind"])), scope_data["id"])
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有管理员或社区书记可以发起捐献活动")
    if not scope_exists(scope):
        raise Invalid(errors={"scope": ["范围不存在"]})
    if not actor_covers(actor, scope, roles=MANAGERS):
        raise Forbidden("超出您的管辖范围")
    if data["ends_on"] < data["starts_on"]:
        raise Invalid(errors={"ends_on": ["结束日期不能早于开始日期"]})
    drive = DonationDrive(name=data["name"], starts_on=data["starts_on"], ends_on=data["ends_on"],
                          scope_kind=scope.kind, scope_id=scope.id, created_by=actor.user_id,
                          created_at=now or utcnow())
    db.session.add(drive)
    db.session.flush()
    record_audit(actor, "donation_drive.create", "donation_drive", drive.id, scope=str(scope))
    return drive


def list_drives():
    return db.select(DonationDrive).order_by(DonationDrive.starts_on.desc(), DonationDrive.id.desc())


def get_drive(drive_id: int) -> DonationDrive:
    drive = get_or_404(DonationDrive, drive_id, "捐献活动不存在")
    return drive


def drive_covers_station(drive: DonationDrive, station: Station) -> bool:
    return scope_contains(Scope(ScopeKind(drive.scope_kind), drive.scope_id),
                          station_scope(station.id))


def list_stations(community_id: int | None = None):
    query = db.select(Station).order_by(Station.community_id, Station.id)
    if community_id is not None:
        query = query.where(Station.community_id == community_id)
    return query


def create_station(actor, data: dict, *, now: datetime | None = None) -> Station:
    """A secretary or admin opens a station in a community their grant contains."""
    if db.session.get(Community, data["community_id"]) is None:
        raise Invalid(errors={"community_id": ["社区不存在"]})
    require_manager_of_community(actor, data["community_id"], not_found=False)
    station = Station(name=data["name"], community_id=data["community_id"],
                      address=data.get("address", ""), opening_hours=data.get("opening_hours", ""),
                      created_at=now or utcnow())
    db.session.add(station)
    db.session.flush()
    record_audit(actor, "station.create", "station", station.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, station.community_id)))
    return station


def _check_goods(data: dict) -> None:
    category = CATEGORIES[data["category"]]
    if data["unit"] != category.unit:
        raise Invalid(errors={"unit": [f"{category.name}的计量单位是“{category.unit}”"]})


def _donor_of(actor, data: dict, station: Station) -> tuple[int | None, str]:
    """A keeper registers a walk-in donor by name; anyone else registers their own gift."""
    if data.get("donor_name"):
        require_keeper_of(actor, station)
        return None, data["donor_name"]
    if actor.user_id is None:
        raise Invalid(errors={"donor_name": ["请填写捐献人"]})
    return actor.user_id, ""


def register_donation(actor, data: dict, *, now: datetime | None = None) -> Donation:
    """Register a gift at a station (status received): the donor's own, or a walk-in's."""
    station = get_station(data["station_id"], field="station_id")
    _check_goods(data)
    drive_id = data.get("drive_id")
    if drive_id is not None:
        drive = db.session.get(DonationDrive, drive_id)
        if drive is None or not drive_covers_station(drive, station):
            raise Invalid(errors={"drive_id": ["捐献活动不存在或不包括该捐助站"]})
    unit_id = data.get("donor_unit_id")
    if unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise Invalid(errors={"donor_unit_id": ["单位不存在"]})
    donor_id, donor_name = _donor_of(actor, data, station)
    donation = Donation(
        station_id=station.id, community_id=station.community_id, drive_id=drive_id,
        donor_id=donor_id, donor_name=donor_name, donor_unit_id=unit_id,
        registered_by=actor.user_id, category=data["category"], item=data["item"],
        quantity=data["quantity"], unit=data["unit"],
        estimated_value_fen=data.get("estimated_value_fen") or 0,
        show_phone=bool(donor_id and data.get("show_phone")), label_code=_new_code(),
        created_at=now or utcnow())
    DONATION.move(donation, DonationStatus.RECEIVED)
    db.session.add(donation)
    db.session.flush()
    return donation


# a phone (or any long run of digits) in an acknowledgement would cross to the donor
_PHONE_LIKE = re.compile(r"\d{7,}")


def _new_code() -> str:
    return "LX" + secrets.token_hex(5).upper()


def get_donation(actor, donation_id: int) -> Donation:
    """The donor, or staff of its station, see a donation; others get 404."""
    donation = db.session.get(Donation, donation_id)
    if donation is None or not can_see(actor, donation):
        raise NotFound("捐献记录不存在")
    return donation


def can_see(actor, donation: Donation) -> bool:
    if actor.user_id is not None and donation.donor_id == actor.user_id:
        return True
    return actor_covers(actor, station_scope(donation.station_id), roles=KEEPERS + MANAGERS)


def inspect_donation(actor, donation_id: int, decision: str, reason: str | None,
                     *, now: datetime | None = None) -> Donation:
    """A keeper of the station accepts (into stock) or rejects a received gift; never the
    donor themself. Two keepers at once: one wins, the other gets 409."""
    now = now or utcnow()
    donation = get_or_404(Donation, donation_id, "捐献记录不存在")
    station = get_station(donation.station_id)
    require_keeper_of(actor, station)
    parties.require_not_party(actor, donation.donor_id, sides="donor/inspector")
    to = DECISION_TO[Decision(decision)]
    if to == DonationStatus.REJECTED and not reason:
        raise Invalid(errors={"reason": ["不通过时请说明原因"]})
    DONATION.check(donation.status, to,
                   error_message=f"该捐献{STATUS_NAMES.get(donation.status, '')}，不能再查验")
    moved = db.session.execute(
        update(Donation).where(Donation.id == donation.id,
                               Donation.status == DonationStatus.RECEIVED)
        .values(status=to, reason=reason, inspected_by=actor.user_id, inspected_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise Conflict("该捐献已被查验")
    db.session.refresh(donation)
    if to == DonationStatus.ACCEPTED:
        item = stock_item_for(station.id, donation.category, donation.item, donation.unit)
        donation.stock_item_id = item.id
        change_stock(item.id, donation.quantity, MovementKind.DONATION, actor, now=now,
                     ref=("donation", donation.id))
    db.session.flush()
    record_audit(actor, f"donation.{decision}", "donation", donation.id,
                 scope=str(station_scope(station.id)))
    return donation


def station_donations(actor, station_id: int, status: str | None = None):
    """The inspection queue (keepers and managers of the station)."""
    require_staff_of(actor, get_station(station_id))
    query = db.select(Donation).where(Donation.station_id == station_id).order_by(Donation.id)
    if status:
        query = query.where(Donation.status == status)
    return query


def my_donations(actor):
    return db.select(Donation).where(Donation.donor_id == actor.user_id).order_by(
        Donation.id.desc())


def acknowledge_label(actor, code: str, message: str | None, *,
                      now: datetime | None = None) -> LabelAck:
    """The recipient of the labelled goods says they arrived; the donor is told through the
    outbox (no name, no phone crosses)."""
    donation = db.session.execute(db.select(Donation).where(
        Donation.label_code == code)).scalar_one_or_none()
    if donation is None:
        raise NotFound("捐献贴不存在")
    parties.require_not_party(actor, donation.donor_id, sides="donor/recipient")
    if donation.status != DonationStatus.ACCEPTED or donation.stock_item_id is None:
        raise Conflict("该物品尚未入库，不能确认收到")
    received = db.session.execute(
        db.select(Redemption.id).join(RedemptionLine, RedemptionLine.redemption_id == Redemption.id)
        .where(Redemption.recipient_id == actor.user_id,
               RedemptionLine.stock_item_id == donation.stock_item_id).limit(1)).first()
    if received is None:
        raise Forbidden("只有领到该物品的居民可以确认收到")
    check_private_text(None, message, "message")
    if message and _PHONE_LIKE.search(re.sub(r"[\s\-－—()（）+]", "", message)):
        raise Invalid("留言中不能包含电话号码（双方都不会看到对方的电话）",
                      errors={"message": ["不能包含电话号码"]})
    ack = db.session.execute(db.select(LabelAck).filter_by(
        donation_id=donation.id, recipient_id=actor.user_id)).scalar_one_or_none()
    if ack is None:
        ack = LabelAck(donation_id=donation.id, recipient_id=actor.user_id,
                       message=message or "", created_at=now or utcnow())
        db.session.add(ack)
        db.session.flush()
        if donation.donor_id is not None:
            notify(donation.donor_id, "donation_ack", title=donation.item[:20],
                   ref=f"donation:{donation.id}", note=(message or "您捐献的物品已送达")[:20],
                   dedupe=f"donation_ack:{ack.id}", now=now)
    return ack
