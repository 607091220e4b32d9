"""Builders for donation test data on top of tests/factories.World: stations in communities A
and B with a keeper each, a drive over street 1, donations received and accepted, priced stock,
an aid card for a consenting household, a redemption (real rows, like tests/order_world.py)."""
from datetime import date

from server.donations.models import (
    AidCard,
    ContactCard,
    Donation,
    DonationDrive,
    MovementKind,
    Redemption,
    RedemptionLine,
    StockItem,
    StockMovement,
)
from server.extensions import db
from server.identity.models import Consent, RoleGrant, Station
from server.identity.services import has_consent
from server.timeutil import LOCAL_TZ, utcnow
from tests.factories import make_user


def consent(user, purpose: str) -> None:
    db.session.add(Consent(user_id=user.id, purpose=purpose, policy_version="2026-11"))
    db.session.flush()


def make_station(world, community, name: str) -> Station:
    station = Station(name=name, community_id=community.id, address="服务中心一楼")
    db.session.add(station)
    db.session.flush()
    return station


def make_keeper(world, key: str, station) -> None:
    community = next(c for c in world.communities if c.id == station.community_id)
    world.users[key] = make_user(key, community, "周站长", phone="13600001111")
    db.session.add(RoleGrant(user_id=world.users[key].id, role="station_keeper",
                             station_id=station.id))
    db.session.flush()


def make_donation(world, station, donor="resident", status="received", quantity=3,
                  category="clothing", item="羽绒服", unit="件", code=None, **extra) -> Donation:
    donor_user = world.users[donor] if donor else None
    donation = Donation(station_id=station.id, community_id=station.community_id,
                        donor_id=donor_user.id if donor_user else None,
                        donor_name="" if donor_user else "现场捐献人",
                        registered_by=(donor_user or world.users["keeper"]).id,
                        category=category, item=item, quantity=quantity, unit=unit,
                        estimated_value_fen=extra.pop("estimated_value_fen", 30000),
                        status=status, label_code=code or f"LXTEST{len(world.donations):04d}",
                        **extra)
    db.session.add(donation)
    db.session.flush()
    world.donations[f"{status}_{len(world.donations)}"] = donation
    return donation


def stock_in(station, name="大米", category="grain_oil", unit="斤", quantity=10, price_fen=500,
             price_points=5, donation=None) -> StockItem:
    item = db.session.execute(db.select(StockItem).filter_by(
        station_id=station.id, category=category, name=name, unit=unit)).scalar_one_or_none()
    if item is None:
        item = StockItem(station_id=station.id, category=category, name=name, unit=unit,
                         quantity=0, price_fen=price_fen, price_points=price_points)
        db.session.add(item)
        db.session.flush()
    item.quantity += quantity
    db.session.add(StockMovement(stock_item_id=item.id, station_id=station.id,
                                 kind=MovementKind.DONATION, delta=quantity,
                                 ref_type="donation", ref_id=donation.id if donation else None))
    if donation is not None:
        donation.stock_item_id = item.id
    db.session.flush()
    return item


def make_card(world, household="resident", tier=2, balance=10000, year=None) -> AidCard:
    user = world.users[household]
    year = year or utcnow().astimezone(LOCAL_TZ).year
    if not has_consent(user.id, "hardship"):  # a card stands on it (cards.issue_card)
        consent(user, "hardship")
    card = AidCard(number=f"AC{year}{user.id:08d}", household_id=user.id,
                   community_id=user.community_id, tier=tier, year=year, allowance_fen=balance,
                   balance_fen=balance)
    db.session.add(card)
    db.session.flush()
    return card


def build_donations(world):
    """Everything the matrix and the flows act on; idempotent per world."""
    if getattr(world, "stations", None):
        return world
    world.donations = {}
    a, b = world.communities[0], world.communities[1]
    world.stations = {"a": make_station(world, a, "甲社区爱心捐助站"),
                      "a2": make_station(world, a, "甲社区爱心超市二站"),
                      "b": make_station(world, b, "乙社区爱心捐助站")}
    make_keeper(world, "keeper", world.stations["a"])
    make_keeper(world, "keeper_b", world.stations["b"])
    world.drive = DonationDrive(name="2026年党员一日捐献", starts_on=date(2026, 1, 1),
                                ends_on=date(2026, 12, 31), scope_kind="street",
                                scope_id=world.streets[0].id)
    db.session.add(world.drive)
    db.session.flush()
    world.received = make_donation(world, world.stations["a"], drive_id=world.drive.id)
    world.accepted = make_donation(world, world.stations["a"], status="accepted",
                                   category="grain_oil", item="大米", unit="斤", quantity=10,
                                   drive_id=world.drive.id, donor="resident2")
    world.item = stock_in(world.stations["a"], donation=world.accepted)
    consent(world.users["resident"], "hardship")
    world.card = make_card(world)
    world.redemption = Redemption(station_id=world.stations["a"].id, community_id=a.id,
                                  card_id=world.card.id, recipient_id=world.users["resident"].id,
                                  total_fen=500, pieces=1)
    db.session.add(world.redemption)
    db.session.flush()
    db.session.add(RedemptionLine(redemption_id=world.redemption.id, stock_item_id=world.item.id,
                                  quantity=1, price_fen=500, price_points=5))
    for key in ("resident", "resident2", "resident_b"):
        consent(world.users[key], "contact_card")
    consent(world.users["resident_b"], "hardship")
    world.users["resident"].need_tier, world.users["resident_b"].need_tier = 2, 3  # card tiers
    world.contact = ContactCard(donor_id=world.users["resident2"].id,
                                household_id=world.users["resident"].id, community_id=a.id,
                                status="active")
    db.session.add(world.contact)
    db.session.commit()
    return world


def donation_placeholders(world, template: str) -> dict:
    build_donations(world)
    return {"drive_id": world.drive.id, "station_id": world.stations["a"].id,
            "donation_id": world.received.id if template.endswith("inspect")
            else world.accepted.id,
            "item_id": world.item.id, "tier": 2, "number": world.card.number,
            "redemption_id": world.redemption.id, "code": world.accepted.label_code,
            "card_id": world.contact.id}


DONATION_PATHS = ("/donation", "/stations", "/labels", "/aid-cards", "/redemptions",
                  "/contact-cards", "/distributions")


def soon_year() -> int:
    return utcnow().astimezone(LOCAL_TZ).year
