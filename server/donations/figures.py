"""Openness (公开透明): a drive's public figures (counts only, no names), the public 公示 list of
distributions (masked names), and the registers as Excel (捐献登记表, 发放登记表, stock)."""
from datetime import datetime, time

from ..errors import Forbidden
from ..excel import Column, Kind, Sheet, as_date, workbook
from ..extensions import db
from ..identity.models import Community, Station, Unit, User
from ..policy.scope import Scope, ScopeKind, actor_covers, communities_in, covered_ids
from ..privacy import mask_name
from ..timeutil import LOCAL_TZ, as_utc
from .models import (
    CATEGORIES,
    STATUS_NAMES,
    AidCard,
    Donation,
    DonationDrive,
    DonationStatus,
    GoodsUnit,
    Redemption,
)
from .policies import MANAGERS, get_station, require_staff_of
from .services import get_drive
from .stock import list_stock


def _drive_stations(drive: DonationDrive) -> list[int]:
    """The stations under the drive's district, street or community."""
    scope = Scope(ScopeKind(drive.scope_kind), drive.scope_id)
    query = db.select(Station.id).where(Station.community_id.in_(communities_in(scope)))
    return sorted(db.session.execute(query).scalars())


def _start(drive: DonationDrive) -> datetime:
    return as_utc(datetime.combine(drive.starts_on, time.min, tzinfo=LOCAL_TZ))


def drive_figures(drive_id: int) -> dict:
    """Public: pieces per category, 斤 of grain and oil, value, donors, households helped and
    person-times — counts only, never a name."""
    drive = get_drive(drive_id)
    rows = db.session.execute(
        db.select(Donation.category, Donation.unit, db.func.sum(Donation.quantity),
                  db.func.sum(Donation.estimated_value_fen))
        .where(Donation.drive_id == drive.id, Donation.status == DonationStatus.ACCEPTED)
        .group_by(Donation.category, Donation.unit)).all()
    pieces = {code: 0 for code in CATEGORIES}
    jin, value = 0, 0
    for category, unit, quantity, fen in rows:
        value += int(fen or 0)
        if unit == GoodsUnit.JIN:
            jin += int(quantity or 0)
        else:
            pieces[category] += int(quantity or 0)
    donors = db.session.execute(db.select(db.func.count(db.distinct(Donation.donor_id)))
                                .where(Donation.drive_id == drive.id)).scalar_one()
    walk_ins = db.session.execute(db.select(db.func.count(db.distinct(Donation.donor_name)))
                                  .where(Donation.drive_id == drive.id,
                                         Donation.donor_id.is_(None))).scalar_one()
    by_status = dict(db.session.execute(
        db.select(Donation.status, db.func.count()).where(Donation.drive_id == drive.id)
        .group_by(Donation.status)).all())
    stations = _drive_stations(drive)
    handed = db.select(Redemption).where(Redemption.station_id.in_(stations),
                                         Redemption.created_at >= _start(drive)).subquery()
    households = db.session.execute(db.select(db.func.count(db.distinct(handed.c.recipient_id)))
                                    .where(handed.c.card_id.is_not(None))).scalar_one()
    times = db.session.execute(db.select(db.func.count()).select_from(handed)).scalar_one()
    return {"drive_id": drive.id, "name": drive.name, "starts_on": drive.starts_on,
            "ends_on": drive.ends_on,
            "pieces": [{"category": code, "name": c.name, "quantity": pieces[code]}
                       for code, c in CATEGORIES.items() if c.unit == GoodsUnit.PIECE],
            "pieces_total": sum(pieces.values()), "grain_oil_jin": jin, "value_fen": value,
            "donors": int(donors) + int(walk_ins),
            "donations": {str(s): int(by_status.get(s, 0)) for s in DonationStatus},
            "households_helped": int(households), "person_times": int(times),
            "stations": len(stations)}


def public_distributions(community_id: int | None = None):
    """公示: card distributions with the household's name masked (张*), never a tier or address."""
    query = (db.select(Redemption, User.name, Community.name, Station.name)
             .join(User, User.id == Redemption.recipient_id)
             .join(Community, Community.id == Redemption.community_id)
             .join(Station, Station.id == Redemption.station_id)
             .where(Redemption.card_id.is_not(None))
             .order_by(Redemption.id.desc()))
    if community_id is not None:
        query = query.where(Redemption.community_id == community_id)
    return query


def public_row(row) -> dict:
    redemption, name, community, station = row
    return {"id": redemption.id, "date": redemption.created_at.astimezone(LOCAL_TZ).date(),
            "household": mask_name(name), "community": community, "station": station,
            "pieces": redemption.pieces, "value_fen": redemption.total_fen}


def _require_manager(actor) -> frozenset[int]:
    if not (actor.is_system or any(role in actor.roles for role in MANAGERS)):
        raise Forbidden("只有社区书记或管理员可以导出登记表")
    return covered_ids(actor, MANAGERS)[ScopeKind.COMMUNITY]


def donation_register(actor, drive_id: int) -> bytes:
    """捐献登记表: the drive's donations in the caller's communities."""
    drive = get_drive(drive_id)
    communities = _require_manager(actor)
    rows = db.session.execute(
        db.select(Donation, Station.name, Community.name, User.name, Unit.name)
        .join(Station, Station.id == Donation.station_id)
        .join(Community, Community.id == Donation.community_id)
        .outerjoin(User, User.id == Donation.donor_id)
        .outerjoin(Unit, Unit.id == Donation.donor_unit_id)
        .where(Donation.drive_id == drive.id, Donation.community_id.in_(communities))
        .order_by(Donation.id)).all()
    columns = [Column("登记号", width=14), Column("日期", Kind.DATE), Column("捐助站", width=18),
               Column("社区", width=12), Column("捐献人", width=10), Column("单位", width=20),
               Column("类别"), Column("物品", width=16), Column("数量", Kind.INT, total=True),
               Column("计量单位"), Column("估值（元）", Kind.FEN, total=True), Column("状态")]
    body = [[d.label_code, as_date(d.created_at.astimezone(LOCAL_TZ)), station, community,
             donor or d.donor_name, unit or "", CATEGORIES[d.category].name, d.item, d.quantity,
             d.unit, d.estimated_value_fen, _status_name(d.status)]
            for d, station, community, donor, unit in rows]
    return workbook([Sheet("捐献登记表", f"{drive.name} 捐献登记表", columns, body,
                           note="仅供管辖范围内工作人员使用，不得外传")])


def _status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


def distribution_register(actor, community_id: int | None = None) -> bytes:
    """发放登记表: redemptions in the caller's communities (or one of them)."""
    communities = _require_manager(actor)
    if community_id is not None:
        if not actor_covers(actor, Scope(ScopeKind.COMMUNITY, community_id), roles=MANAGERS):
            raise Forbidden("超出您的管辖范围")
        communities = frozenset({community_id})
    rows = db.session.execute(
        db.select(Redemption, Station.name, Community.name, User.name, AidCard.number,
                  AidCard.tier)
        .join(Station, Station.id == Redemption.station_id)
        .join(Community, Community.id == Redemption.community_id)
        .join(User, User.id == Redemption.recipient_id)
        .outerjoin(AidCard, AidCard.id == Redemption.card_id)
        .where(Redemption.community_id.in_(communities)).order_by(Redemption.id)).all()
    columns = [Column("日期", Kind.DATE), Column("捐助站", width=18), Column("社区", width=12),
               Column("领取人", width=10), Column("救助卡号", width=14), Column("等级", Kind.INT),
               Column("件数", Kind.INT, total=True), Column("金额（元）", Kind.FEN, total=True),
               Column("积分", Kind.INT, total=True)]
    body = [[as_date(r.created_at.astimezone(LOCAL_TZ)), station, community, name, number or "",
             tier, r.pieces, r.total_fen, r.total_points]
            for r, station, community, name, number, tier in rows]
    return workbook([Sheet("发放登记表", "爱心超市发放登记表", columns, body,
                           note="含困难等级，仅供管辖范围内工作人员使用")])


def stock_workbook(actor, station_id: int) -> bytes:
    station = get_station(station_id)
    require_staff_of(actor, station)
    items = db.session.execute(list_stock(actor, station.id)).scalars().all()
    columns = [Column("类别"), Column("物品", width=18), Column("计量单位"),
               Column("库存", Kind.INT, total=True), Column("单价（元）", Kind.FEN),
               Column("积分价", Kind.INT)]
    body = [[CATEGORIES[i.category].name, i.name, i.unit, i.quantity, i.price_fen,
             i.price_points] for i in items]
    return workbook([Sheet("库存", f"{station.name} 库存", columns, body)])
