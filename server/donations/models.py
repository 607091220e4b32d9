"""Donations and the love supermarket (党员一日捐献, 爱心捐助站, 爱心超市, 爱心救助卡): tables,
state machines and the five categories. Stations themselves are a scope of the org tree
(server/identity/models.py Station)."""
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Authored, Created, InCommunity, Keyed, Updated
from ..extensions import db
from ..statemachine import Machine
from ..timeutil import UTCDateTime


class GoodsUnit(StrEnum):  # the unit of measure of goods
    PIECE = "件"
    JIN = "斤"


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    unit: GoodsUnit
    quality_rule: str


CATEGORIES = {c.code: c for c in (
    Category("clothing", "衣物鞋帽", GoodsUnit.PIECE, "干净整洁、无破损，内衣袜子须全新"),
    Category("study", "学习用品", GoodsUnit.PIECE, "完好可用，书籍无缺页、内容健康"),
    Category("kitchen", "厨房日用", GoodsUnit.PIECE, "干净完好，可正常使用"),
    Category("appliance", "家用电器", GoodsUnit.PIECE, "能正常使用，无安全隐患（电线、插头完好）"),
    Category("grain_oil", "米面粮油", GoodsUnit.JIN, "质量有保障：包装完好、在保质期内"),
)}


class DriveScopeKind(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"


class DonationStatus(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


DONATION = Machine("捐献", {None: {DonationStatus.RECEIVED},  # a new registration
                           DonationStatus.RECEIVED: {DonationStatus.ACCEPTED,
                                                     DonationStatus.REJECTED}})
STATUS_NAMES = {DonationStatus.RECEIVED: "待查验", DonationStatus.ACCEPTED: "已入库",
                DonationStatus.REJECTED: "未通过查验"}


class Decision(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"


DECISION_TO = {Decision.ACCEPT: DonationStatus.ACCEPTED, Decision.REJECT: DonationStatus.REJECTED}


class MovementKind(StrEnum):
    DONATION = "donation"  # in: an accepted donation
    REDEMPTION = "redemption"  # out: goods handed out against a card or points
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    ADJUSTMENT = "adjustment"  # with a reason (spoiled, miscounted ...)


class ContactCardStatus(StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


CONTACT_CARD = Machine("爱心联系卡", {None: {ContactCardStatus.ACTIVE},
                                    ContactCardStatus.ACTIVE: {ContactCardStatus.ENDED}})

TIER_DEFAULTS = {1: ("三无家庭", 200000), 2: ("特困、下岗失业家庭", 120000), 3: ("社区困难户", 60000)}


class DonationDrive(Keyed, Authored, db.Model):
    __tablename__ = "donation_drives"
    name: Mapped[str] = mapped_column(String(80))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    scope_kind: Mapped[str] = mapped_column(String(12))
    scope_id: Mapped[int]


class Donation(Keyed, InCommunity, Created, db.Model):
    __tablename__ = "donations"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),
                      Index("ix_donations_station_status", "station_id", "status"))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"))
    drive_id: Mapped[int | None] = mapped_column(ForeignKey("donation_drives.id"), index=True)
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    donor_name: Mapped[str] = mapped_column(String(40), default="")  # a walk-in donor's name
    donor_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    registered_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    category: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(60))
    quantity: Mapped[int]
    unit: Mapped[str] = mapped_column(String(4))
    estimated_value_fen: Mapped[int] = mapped_column(default=0)
    show_phone: Mapped[bool] = mapped_column(default=False)  # the donor's own consent
    status: Mapped[str] = mapped_column(String(12), default=DonationStatus.RECEIVED)
    reason: Mapped[str | None] = mapped_column(String(200))
    inspected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    inspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stock_item_id: Mapped[int | None] = mapped_column(ForeignKey("stock_items.id"))
    label_code: Mapped[str] = mapped_column(String(24), unique=True)


class StockItem(Keyed, db.Model):
    """One kind of goods at one station. `quantity` is the running total of its movements, kept
    by conditional UPDATEs in the same transaction as each movement, never below zero."""
    __tablename__ = "stock_items"
    __table_args__ = (UniqueConstraint("station_id", "category", "name", "unit",
                                       name="uq_stock_items_kind"),
                      CheckConstraint("quantity >= 0", name="quantity_not_negative"),
                      CheckConstraint("price_fen >= 0 AND price_points >= 0", name="price_ok"))
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(4))
    quantity: Mapped[int] = mapped_column(default=0)
    price_fen: Mapped[int] = mapped_column(default=0)
    price_points: Mapped[int] = mapped_column(default=0)


class StockMovement(Keyed, Created, db.Model):
    """The stock ledger: rows are only inserted (in, out, transfer, adjustment)."""
    __tablename__ = "stock_movements"
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"), index=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    delta: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200), default="")
    ref_type: Mapped[str] = mapped_column(String(20), default="")
    ref_id: Mapped[int | None]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AidCardTier(Updated, db.Model):
    __tablename__ = "aid_card_tiers"
    __table_args__ = (CheckConstraint("tier BETWEEN 1 AND 3", name="tier_known"),)
    tier: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(40))
    yearly_allowance_fen: Mapped[int]
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AidCard(Keyed, InCommunity, Created, db.Model):
    __tablename__ = "aid_cards"
    __table_args__ = (UniqueConstraint("household_id", "year", name="uq_aid_cards_household_year"),
                      CheckConstraint("balance_fen >= 0", name="balance_not_negative"))
    number: Mapped[str] = mapped_column(String(20), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    tier: Mapped[int]
    year: Mapped[int]
    allowance_fen: Mapped[int]
    balance_fen: Mapped[int]
    issued_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Redemption(Keyed, InCommunity, Created, db.Model):
    """Goods handed out at a station, paid from an aid card or with points (积分兑换)."""
    __tablename__ = "redemptions"
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id"), index=True)
    card_id: Mapped[int | None] = mapped_column(ForeignKey("aid_cards.id"), index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    total_fen: Mapped[int] = mapped_column(default=0)
    total_points: Mapped[int] = mapped_column(default=0)
    pieces: Mapped[int] = mapped_column(default=0)
    served_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class RedemptionLine(Keyed, db.Model):
    __tablename__ = "redemption_lines"
    redemption_id: Mapped[int] = mapped_column(ForeignKey("redemptions.id"), index=True)
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_items.id"))
    quantity: Mapped[int]
    price_fen: Mapped[int]
    price_points: Mapped[int]


class LabelAck(Keyed, Created, db.Model):
    """A recipient's 'it arrived' for a donation's label; relayed to the donor via the outbox."""
    __tablename__ = "label_acks"
    __table_args__ = (UniqueConstraint("donation_id", "recipient_id", name="uq_label_acks_once"),)
    donation_id: Mapped[int] = mapped_column(ForeignKey("donations.id"), index=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(200), default="")


class ContactCard(Keyed, Authored, db.Model):
    """爱心联系卡: a donor and a household linked, with both sides' consent; either may end it."""
    __tablename__ = "contact_cards"
    donor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    status: Mapped[str] = mapped_column(String(10), default=ContactCardStatus.ACTIVE)
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


Index("uq_contact_cards_live", ContactCard.donor_id, ContactCard.household_id, unique=True,
      sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'"))
