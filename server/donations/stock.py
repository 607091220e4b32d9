"""The stock of a station as a ledger of movements (in by donation, out by redemption, transfer,
adjustment): rows are only inserted; each item's `quantity` is their running total, changed by
one conditional UPDATE (`quantity + delta >= 0`) in the same transaction as the movement, so two
redemptions racing for the last item cannot both take it."""
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..audit.services import record_audit
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..timeutil import utcnow
from .models import MovementKind, StockItem, StockMovement
from .policies import (
    get_station,
    require_keeper_of,
    require_staff_of,
    same_district,
    station_scope,
)


def stock_item_for(station_id: int, category: str, name: str, unit: str) -> StockItem:
    """The station's item of this kind, made on first use (a concurrent twin loses the insert)."""
    query = db.select(StockItem).filter_by(station_id=station_id, category=category, name=name,
                                           unit=unit)
    item = db.session.execute(query).scalar_one_or_none()
    if item is None:
        try:
            with db.session.begin_nested():
                item = StockItem(station_id=station_id, category=category, name=name, unit=unit,
                                 quantity=0, price_fen=0, price_points=0)
                db.session.add(item)
        except IntegrityError:
            item = db.session.execute(query).scalar_one()
    return item


def change_stock(item_id: int, delta: int, kind: MovementKind, actor, *, reason: str = "",
                 ref: tuple[str, int | None] = ("", None), now: datetime | None = None,
                 name: str = "") -> StockMovement:
    """Append one movement and move the running total with it; 409 when it would go below 0."""
    moved = db.session.execute(
        update(StockItem).where(StockItem.id == item_id, StockItem.quantity + delta >= 0)
        .values(quantity=StockItem.quantity + delta)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise Conflict(f"库存不足：{name}" if name else "库存不足")
    item = db.session.get(StockItem, item_id)
    movement = StockMovement(stock_item_id=item_id, station_id=item.station_id, kind=kind,
                             delta=delta, reason=reason, ref_type=ref[0], ref_id=ref[1],
                             actor_id=getattr(actor, "user_id", None), created_at=now or utcnow())
    db.session.add(movement)
    db.session.flush()
    db.session.refresh(item)
    return movement


def _item_of(station_id: int, item_id: int) -> StockItem:
    item = db.session.get(StockItem, item_id)
    if item is None or item.station_id != station_id:
        raise NotFound("库存物品不存在")
    return item


def list_stock(actor, station_id: int):
    """Stock per item, for the station's keepers and the managers covering it."""
    require_staff_of(actor, get_station(station_id))
    return db.select(StockItem).where(StockItem.station_id == station_id).order_by(
        StockItem.category, StockItem.name)


def list_movements(actor, station_id: int):
    require_staff_of(actor, get_station(station_id))
    return db.select(StockMovement).where(StockMovement.station_id == station_id).order_by(
        StockMovement.id.desc())


def adjust_stock(actor, station_id: int, item_id: int, delta: int, reason: str,
                 *, now: datetime | None = None) -> StockItem:
    """A keeper corrects the stock with a reason (spoiled, miscounted); never below zero."""
    station = get_station(station_id)
    require_keeper_of(actor, station)
    item = _item_of(station.id, item_id)
    if delta == 0:
        raise Invalid(errors={"delta": ["调整数量不能为 0"]})
    change_stock(item.id, delta, MovementKind.ADJUSTMENT, actor, reason=reason, now=now,
                 name=item.name)
    record_audit(actor, "stock.adjust", "stock_item", item.id, scope=str(station_scope(station.id)),
                 detail={"delta": delta, "reason": reason})
    return item


def transfer_stock(actor, station_id: int, data: dict, *, now: datetime | None = None) -> StockItem:
    """A keeper sends goods to another station: out here and in there, together."""
    station = get_station(station_id)
    require_keeper_of(actor, station)
    item = _item_of(station.id, data["item_id"])
    target = get_station(data["to_station_id"], field="to_station_id")
    if target.id == station.id:
        raise Invalid(errors={"to_station_id": ["不能调拨到本站"]})
    if not same_district(station, target):
        raise Invalid(errors={"to_station_id": ["只能调拨到本区的捐助站"]})
    quantity = data["quantity"]
    out = change_stock(item.id, -quantity, MovementKind.TRANSFER_OUT, actor, now=now,
                       ref=("station", target.id), name=item.name)
    there = stock_item_for(target.id, item.category, item.name, item.unit)
    change_stock(there.id, quantity, MovementKind.TRANSFER_IN, actor, now=now,
                 ref=("movement", out.id))
    record_audit(actor, "stock.transfer", "stock_item", item.id,
                 scope=str(station_scope(station.id)),
                 detail={"to_station_id": target.id, "quantity": quantity})
    return there


def set_price(actor, station_id: int, item_id: int, data: dict) -> StockItem:
    """A keeper prices an item in fen (aid cards) and in points (积分兑换)."""
    station = get_station(station_id)
    require_keeper_of(actor, station)
    item = _item_of(station.id, item_id)
    if "price_fen" in data:
        item.price_fen = data["price_fen"]
    if "price_points" in data:
        item.price_points = data["price_points"]
    db.session.flush()
    return item


def ledger_balance(item_id: int) -> int:
    """The balance derived from the ledger (equals StockItem.quantity; tests check both)."""
    return int(db.session.execute(db.select(db.func.coalesce(db.func.sum(StockMovement.delta), 0))
                                  .where(StockMovement.stock_item_id == item_id)).scalar_one())
