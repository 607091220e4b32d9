"""Aid cards (爱心救助卡) in three tiers, and redemptions at the love supermarket: goods leave the
stock and value leaves the card (or points leave the volunteer's ledger, 积分兑换) together or
not at all."""
import secrets
from datetime import datetime

from sqlalchemy import update

from ..audit.services import record_audit
from ..database import add_once
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Station, User
from ..identity.services import has_consent
from ..points.models import SPENDING, PointsEntry
from ..points.services import require_rules_scope
from ..policy import parties
from ..policy.scope import Scope, ScopeKind, actor_covers, covered_ids
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus
from .models import (
    TIER_DEFAULTS,
    AidCard,
    AidCardTier,
    MovementKind,
    Redemption,
    RedemptionLine,
    StockItem,
)
from .policies import (
    KEEPERS,
    MANAGERS,
    get_station,
    in_station_community,
    require_keeper_of,
    require_manager_of_community,
    station_scope,
)
from .stock import change_stock

POINTS_REASON = SPENDING  # the points ledger's reason for 积分兑换


def list_tiers() -> list[AidCardTier]:
    existing = {t.tier: t for t in db.session.execute(db.select(AidCardTier)).scalars()}
    return [existing.get(tier) or AidCardTier(tier=tier, name=name, yearly_allowance_fen=fen)
            for tier, (name, fen) in TIER_DEFAULTS.items()]


def tier_allowance(tier: int) -> int:
    return next(t.yearly_allowance_fen for t in list_tiers() if t.tier == tier)


def set_tier(actor, tier: int, data: dict, *, now: datetime | None = None) -> AidCardTier:
    """A district admin sets a tier's name and yearly allowance (cards issued later use it)."""
    require_rules_scope(actor)
    if tier not in TIER_DEFAULTS:
        raise NotFound("救助卡等级不存在")
    row = db.session.get(AidCardTier, tier)
    if row is None:
        row = AidCardTier(tier=tier)
        db.session.add(row)
    row.name, row.yearly_allowance_fen = data["name"], data["yearly_allowance_fen"]
    row.updated_by, row.updated_at = actor.user_id, now or utcnow()
    db.session.flush()
    record_audit(actor, "aid_card.tier", "aid_card_tier", tier, detail=dict(data))
    return row


def issue_card(actor, data: dict, *, now: datetime | None = None) -> AidCard:
    """A secretary in scope issues a household's card for a year; only with the resident's
    recorded hardship consent; one card per household and year (409)."""
    if not (actor.is_secretary or actor.is_system):
        raise Forbidden("只有社区书记可以发放救助卡")
    household = db.session.get(User, data["household_id"])
    if household is None or household.community_id is None or household.cancelled_at:
        raise NotFound("居民不存在")
    require_manager_of_community(actor, household.community_id)
    parties.require_not_party(actor, household.id, sides="household/assessor")
    if not has_consent(household.id, "hardship"):
        raise Conflict("该居民尚未同意登记困难信息，不能发放救助卡")
    _require_recorded_tier(household, data["tier"])
    allowance = tier_allowance(data["tier"])
    card = AidCard(number=f"AC{data['year']}{secrets.randbelow(10**8):08d}",
                   household_id=household.id, community_id=household.community_id,
                   tier=data["tier"], year=data["year"], allowance_fen=allowance,
                   balance_fen=allowance, issued_by=actor.user_id, created_at=now or utcnow())
    add_once(card, conflict="该家庭本年度已有救助卡")
    record_audit(actor, "aid_card.issue", "aid_card", card.id,
                 scope=str(Scope(ScopeKind.COMMUNITY, card.community_id)),
                 detail={"tier": card.tier, "year": card.year})
    return card


def _require_household_still_consents(card: AidCard) -> None:
    """A card stands on the household's hardship consent: once the household withdraws it or
    cancels its account (注销), the card is stopped (409) — what was redeemed stays on record."""
    household = db.session.get(User, card.household_id)
    if household is None or household.cancelled_at is not None:
        raise Conflict("该家庭已注销，救助卡已停用")
    if not has_consent(household.id, "hardship"):
        raise Conflict("该家庭已撤回困难信息登记同意，救助卡已停用")


def _require_recorded_tier(household: User, tier: int) -> None:
    """A card's tier is the household's recorded need tier (the pyramid: the goods go to those
    who need them most); any other tier is refused (409), as is a household with none."""
    if household.need_tier is None:
        raise Conflict("该家庭未登记困难等级，不能发放救助卡")
    if household.need_tier != tier:
        names = {t.tier: t.name for t in list_tiers()}
        recorded = names.get(household.need_tier, household.need_tier)
        raise Conflict(f"该家庭登记的困难等级为“{recorded}”，不能发放“{names.get(tier, tier)}”救助卡")


def find_card(actor, number: str) -> AidCard:
    """The redemption desk types a card number: a keeper of a station in the card's community
    (the only desks that may redeem it), or a manager covering that community, finds it; others
    get 404 (a card shows the household and its hardship tier)."""
    card = db.session.execute(db.select(AidCard).where(AidCard.number == number)).scalar_one_or_none()
    if card is None or not (actor_covers(actor, Scope(ScopeKind.COMMUNITY, card.community_id),
                                         roles=MANAGERS)
                            or _keeps_a_station_in(actor, card.community_id)):
        raise NotFound("救助卡不存在")
    return card


def _keeps_a_station_in(actor, community_id: int) -> bool:
    stations = covered_ids(actor, KEEPERS)[ScopeKind.STATION]
    return bool(stations) and db.session.execute(db.select(db.func.count()).where(
        Station.id.in_(stations), Station.community_id == community_id)).scalar_one() > 0


def list_cards(actor, community_id: int | None = None):
    """Cards of one community, or of every community the secretary's grant contains."""
    if community_id is not None:
        require_manager_of_community(actor, community_id)
        communities = frozenset({community_id})
    else:
        if not (actor.is_secretary or actor.is_system):
            raise Forbidden("只有社区书记或管理员可以查看救助卡")
        communities = covered_ids(actor, MANAGERS)[ScopeKind.COMMUNITY]
    return db.select(AidCard).where(AidCard.community_id.in_(communities)).order_by(AidCard.id)


def _lines(station_id: int, lines: list[dict]) -> list[tuple[StockItem, int]]:
    """The order's items (merged, in id order so concurrent redemptions lock alike)."""
    wanted: dict[int, int] = {}
    for line in lines:
        wanted[line["item_id"]] = wanted.get(line["item_id"], 0) + line["quantity"]
    items = []
    for item_id in sorted(wanted):
        item = db.session.get(StockItem, item_id)
        if item is None or item.station_id != station_id:
            raise Invalid(errors={"lines": [f"库存物品 {item_id} 不在本站"]})
        items.append((item, wanted[item_id]))
    return items


def _payer(actor, station, data: dict, now: datetime):
    """(card, volunteer, recipient user id) — exactly one of a card or a volunteer, of the
    station's own community (ids are small integers: a card or a volunteer of a community the
    keeper's station does not stand in is treated as unknown, 422)."""
    if (data.get("card_id") is None) == (data.get("volunteer_id") is None):
        raise Invalid(errors={"card_id": ["须且只须指定救助卡或志愿者之一"]})
    if data.get("card_id") is not None:
        card = db.session.get(AidCard, data["card_id"])
        if card is None or not in_station_community(station, card.community_id):
            raise Invalid(errors={"card_id": ["救助卡不存在或不属于本站所在社区"]})
        if card.year != now.astimezone(LOCAL_TZ).year:
            raise Conflict("该救助卡不是本年度的，不能使用")
        return card, None, card.household_id
    # Lock the volunteer first (FOR NO KEY UPDATE: the redemption's and the ledger's foreign keys
    # take KEY SHARE on this row, which must not deadlock with it), so two spenders queue here.
    locked = db.session.execute(db.select(Volunteer.id).where(
        Volunteer.id == data["volunteer_id"]).with_for_update(key_share=True)).scalar_one_or_none()
    volunteer = db.session.get(Volunteer, locked) if locked is not None else None
    if volunteer is None or not in_station_community(station, volunteer.community_id):
        raise Invalid(errors={"volunteer_id": ["志愿者不存在或不属于本站所在社区"]})
    if volunteer.status != VolunteerStatus.ACTIVE:
        raise Conflict("该志愿者身份未生效或已结束，不能兑换")
    return None, volunteer, volunteer.user_id


def redeem(actor, station_id: int, data: dict, *, now: datetime | None = None) -> Redemption:
    """A keeper hands out goods against a card's balance or a volunteer's points; stock and
    value go down together or not at all (409 when either is short)."""
    now = now or utcnow()
    station = get_station(station_id)
    require_keeper_of(actor, station)
    card, volunteer, recipient = _payer(actor, station, data, now)
    parties.require_not_party(actor, recipient, sides="recipient/keeper")
    if card is not None:
        _require_household_still_consents(card)
    items = _lines(station.id, data["lines"])
    price = "price_fen" if card is not None else "price_points"
    unpriced = [item.name for item, _ in items if getattr(item, price) <= 0]
    if unpriced:
        raise Conflict(f"尚未定价：{'、'.join(unpriced)}")
    total = sum(getattr(item, price) * qty for item, qty in items)
    # Refused before anything is written (a total beyond any balance would not even fit the
    # redemption's columns); the conditional UPDATEs below still guard a race.
    if card is not None and total > card.balance_fen:
        raise Conflict("救助卡余额不足")
    if volunteer is not None and total > _points_balance(volunteer.id):
        raise Conflict("积分不足")
    redemption = Redemption(station_id=station.id, community_id=station.community_id,
                            card_id=card.id if card else None,
                            volunteer_id=volunteer.id if volunteer else None,
                            recipient_id=recipient, total_fen=total if card else 0,
                            total_points=0 if card else total,
                            pieces=sum(qty for _, qty in items), served_by=actor.user_id,
                            created_at=now)
    db.session.add(redemption)
    db.session.flush()
    for item, qty in items:
        change_stock(item.id, -qty, MovementKind.REDEMPTION, actor, now=now, name=item.name,
                     ref=("redemption", redemption.id))
        db.session.add(RedemptionLine(redemption_id=redemption.id, stock_item_id=item.id,
                                      quantity=qty, price_fen=item.price_fen,
                                      price_points=item.price_points))
    if card is not None:
        _charge_card(card.id, total)
        db.session.refresh(card)
    else:
        _charge_points(volunteer, total, redemption.id, now)
    db.session.flush()
    record_audit(actor, "redemption.create", "redemption", redemption.id,
                 scope=str(station_scope(station.id)))
    return redemption


def _charge_card(card_id: int, total: int) -> None:
    moved = db.session.execute(
        update(AidCard).where(AidCard.id == card_id, AidCard.balance_fen >= total)
        .values(balance_fen=AidCard.balance_fen - total)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise Conflict("救助卡余额不足")


def _points_balance(volunteer_id: int) -> int:
    return int(db.session.execute(db.select(db.func.coalesce(db.func.sum(PointsEntry.delta), 0))
                                  .where(PointsEntry.volunteer_id == volunteer_id)).scalar_one())


def _charge_points(volunteer: Volunteer, total: int, redemption_id: int, now: datetime) -> None:
    """A negative entry in the append-only points ledger. The volunteer's row was locked in
    _payer and the balance checked after it (redeem), so two redemptions at once cannot both
    spend the same points."""
    db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=volunteer.community_id,
                               unit_id=volunteer.unit_id, delta=-total, reason=POINTS_REASON,
                               ref_type="redemption", ref_id=redemption_id, created_at=now))


def get_redemption(actor, redemption_id: int) -> Redemption:
    redemption = db.session.get(Redemption, redemption_id)
    if redemption is None or not (
            actor.user_id == redemption.recipient_id
            or actor_covers(actor, station_scope(redemption.station_id), roles=KEEPERS + MANAGERS)):
        raise NotFound("兑换记录不存在")
    return redemption


def lines_of(redemption_id: int) -> list[RedemptionLine]:
    return list(db.session.execute(db.select(RedemptionLine).where(
        RedemptionLine.redemption_id == redemption_id).order_by(RedemptionLine.id)).scalars())


def redemption_view(redemption: Redemption) -> dict:
    """The redemption with its lines and, for a card, the balance left."""
    card = db.session.get(AidCard, redemption.card_id) if redemption.card_id else None
    return {"id": redemption.id, "station_id": redemption.station_id,
            "card_id": redemption.card_id, "volunteer_id": redemption.volunteer_id,
            "total_fen": redemption.total_fen, "total_points": redemption.total_points,
            "pieces": redemption.pieces, "created_at": redemption.created_at,
            "card_balance_fen": card.balance_fen if card else None,
            "lines": lines_of(redemption.id)}
