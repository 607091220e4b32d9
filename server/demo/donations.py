"""The demo donation day (党员一日捐献) across the demo district: a station per community with a
keeper, gifts in every state (received, accepted, rejected) registered by donors and walk-ins and
inspected into stock, prices, aid cards in all three tiers, redemptions against cards and points,
a transfer, an adjustment, acknowledgements relayed to donors, and a contact card. Everything goes
through the services, as the API would."""
from datetime import timedelta

from ..donations import cards, contacts, services, stock
from ..donations.models import CATEGORIES, Donation, DonationStatus, StockItem
from ..extensions import db
from ..identity.actor import SYSTEM
from ..identity.models import Consent, Role, RoleGrant, Station, Unit, User
from ..identity.services import load_actor
from ..points.models import PointsEntry
from ..timeutil import LOCAL_TZ, utcnow
from ..volunteers.models import Volunteer, VolunteerStatus

GOODS = [("clothing", "羽绒服", 3, 15000), ("clothing", "儿童棉衣", 2, 8000),
         ("study", "书包", 2, 6000), ("study", "文具套装", 5, 2500),
         ("kitchen", "电饭煲", 1, 12000), ("kitchen", "保温杯", 4, 3000),
         ("appliance", "电风扇", 1, 9000), ("grain_oil", "大米", 20, 6000),
         ("grain_oil", "食用油", 10, 8000), ("grain_oil", "面粉", 10, 3000)]
PRICES = {"clothing": (3000, 30), "study": (1500, 15), "kitchen": (2500, 25),
          "appliance": (6000, 60), "grain_oil": (300, 3)}


def _stations(communities) -> list[Station]:
    """A station per community, each with a keeper (demo-keeper keeps the first)."""
    stations = []
    for index, community in enumerate(communities):
        station = Station(name=f"{community.name}爱心捐助站", community_id=community.id,
                          address=f"{community.name}党群服务中心一楼", opening_hours="周一至周六 9:00-17:00")
        db.session.add(station)
        db.session.flush()
        openid = "demo-keeper" if index == 0 else f"demo-keeper-{index:02d}"
        keeper = User(openid=openid, name="周站长" if index == 0 else f"站长{index:02d}",
                      community_id=community.id, lat=community.lat, lng=community.lng)
        db.session.add(keeper)
        db.session.flush()
        db.session.add(RoleGrant(user_id=keeper.id, role=Role.STATION_KEEPER,
                                 station_id=station.id))
        stations.append(station)
    db.session.flush()
    return stations


def _donors(rng, count: int) -> list[User]:
    users = db.session.execute(db.select(User).where(User.openid.like("demo-vol-%"))
                               .order_by(User.id)).scalars().all()
    return rng.sample(users, min(count, len(users)))


def _donation_day(rng, stations, drive, units) -> list[Donation]:
    """Gifts at every station: most accepted into stock, some waiting, some refused."""
    gifts = []
    for s_index, station in enumerate(stations):
        keeper = _keeper(station)
        donors = _donors(rng, 6)
        for d_index, donor in enumerate(donors + [None]):
            category, item, quantity, value = GOODS[(s_index + d_index) % len(GOODS)]
            body = {"station_id": station.id, "drive_id": drive.id, "category": category,
                    "item": item, "quantity": quantity, "unit": CATEGORIES[category].unit,
                    "estimated_value_fen": value, "donor_unit_id": rng.choice(units),
                    "show_phone": d_index == 1}
            actor = load_actor(donor.id) if donor else keeper
            if donor is None:
                body["donor_name"] = "现场爱心人士"
            gifts.append(services.register_donation(actor, body))
        # grain for every station's supermarket shelf
        grain = services.register_donation(keeper, {
            "station_id": station.id, "drive_id": drive.id, "category": "grain_oil",
            "item": "大米", "quantity": 50, "unit": "斤", "estimated_value_fen": 15000,
            "donor_name": "区粮油公司"})
        gifts.append(grain)
        for index, gift in enumerate(gifts[-len(donors) - 2:]):
            if index % 7 == 5:
                continue  # left waiting in the inspection queue (received)
            decision = "reject" if index % 7 == 3 else "accept"
            services.inspect_donation(keeper, gift.id, decision,
                                      "包装破损，不符合质量要求" if decision == "reject" else None)
    return gifts


def _keeper(station):
    grant = db.session.execute(db.select(RoleGrant.user_id).where(
        RoleGrant.station_id == station.id)).scalar_one()
    return load_actor(grant)


def _price_everything(stations) -> None:
    for station in stations:
        keeper = _keeper(station)
        items = db.session.execute(db.select(StockItem).where(
            StockItem.station_id == station.id)).scalars().all()
        for item in items:
            fen, points = PRICES[item.category]
            stock.set_price(keeper, station.id, item.id, {"price_fen": fen, "price_points": points})


def _cards(rng, year: int):
    """Cards for households with a recorded need tier (all three tiers), demo-resident too."""
    resident = db.session.execute(db.select(User).filter_by(openid="demo-resident")).scalar_one()
    db.session.add(Consent(user_id=resident.id, purpose="hardship", policy_version="demo"))
    resident.need_tier = 2  # a card's tier is the household's recorded need tier
    db.session.flush()
    households = db.session.execute(db.select(User).where(
        User.need_tier.is_not(None), User.id != resident.id).order_by(User.id)).scalars().all()
    issued = [cards.issue_card(SYSTEM, {"household_id": resident.id, "tier": 2, "year": year})]
    for index, user in enumerate(households):
        if index <= 2:  # all three tiers, whatever the draw: recorded as such (with consent)
            user.need_tier = index + 1
        issued.append(cards.issue_card(SYSTEM, {"household_id": user.id, "tier": user.need_tier,
                                                "year": year}))
    return issued


def _shelf(station_id: int) -> list[StockItem]:
    return db.session.execute(db.select(StockItem).where(
        StockItem.station_id == station_id, StockItem.quantity > 0).order_by(StockItem.id)
    ).scalars().all()


def _redemptions(rng, stations, issued) -> list:
    by_community = {s.community_id: s for s in stations}
    made = []
    for card in issued:
        station = by_community.get(card.community_id)
        shelf = _shelf(station.id) if station else []
        if not shelf:
            continue
        lines = [{"item_id": item.id, "quantity": 1} for item in rng.sample(shelf, min(2, len(shelf)))]
        made.append(cards.redeem(_keeper(station), station.id, {"card_id": card.id,
                                                                "lines": lines}))
    return made


def _points_redemptions(stations) -> int:
    """积分兑换 for volunteers who have earned enough points."""
    rows = db.session.execute(
        db.select(PointsEntry.volunteer_id, db.func.sum(PointsEntry.delta))
        .join(Volunteer, Volunteer.id == PointsEntry.volunteer_id)
        .where(Volunteer.status == VolunteerStatus.ACTIVE)
        .group_by(PointsEntry.volunteer_id).order_by(PointsEntry.volunteer_id)).all()
    by_community, done = {s.community_id: s for s in stations}, 0
    for volunteer_id, balance in rows:
        volunteer = db.session.get(Volunteer, volunteer_id)
        station = by_community.get(volunteer.community_id)
        shelf = [i for i in _shelf(station.id) if 0 < i.price_points <= balance] if station else []
        if shelf and done < 6:
            cards.redeem(_keeper(station), station.id, {
                "volunteer_id": volunteer_id, "lines": [{"item_id": shelf[0].id, "quantity": 1}]})
            done += 1
    return done


def _acknowledge(redemptions) -> int:
    """Some recipients scan a label of what they took and thank the donor."""
    acks = 0
    for redemption in redemptions[::2]:
        for line in cards.lines_of(redemption.id):
            gift = db.session.execute(db.select(Donation).where(
                Donation.stock_item_id == line.stock_item_id,
                Donation.status == DonationStatus.ACCEPTED,
                Donation.donor_id.is_not(None)).limit(1)).scalar_one_or_none()
            if gift is not None and gift.donor_id != redemption.recipient_id:
                services.acknowledge_label(load_actor(redemption.recipient_id), gift.label_code,
                                           "东西收到了，谢谢您的爱心！")
                acks += 1
                break
    return acks


def _moves(stations) -> None:
    """One transfer between the first two stations and one adjustment with a reason."""
    first, second = stations[0], stations[1]
    shelf = _shelf(first.id)
    keeper = _keeper(first)
    stock.transfer_stock(keeper, first.id, {"item_id": shelf[0].id, "to_station_id": second.id,
                                            "quantity": 1})
    stock.adjust_stock(keeper, first.id, shelf[-1].id, -1, "盘点时发现一件受潮，报损")


def _contact_card(gifts) -> None:
    resident = db.session.execute(db.select(User).filter_by(openid="demo-resident")).scalar_one()
    donor_id = next(g.donor_id for g in gifts if g.donor_id and g.community_id == resident.community_id)
    for user_id in (resident.id, donor_id):
        db.session.add(Consent(user_id=user_id, purpose="contact_card", policy_version="demo"))
    db.session.flush()
    contacts.create_contact_card(SYSTEM, {"donor_id": donor_id, "household_id": resident.id})


def load_demo_donations(rng, communities, streets) -> str:
    today = utcnow().astimezone(LOCAL_TZ).date()
    stations = _stations(communities)
    drive = services.create_drive(SYSTEM, {
        "name": f"{today.year}年党员一日捐献", "starts_on": today - timedelta(days=1),
        "ends_on": today + timedelta(days=1), "scope": {"kind": "district", "id": streets[0].district_id}})
    units = db.session.execute(db.select(Unit.id).order_by(Unit.id)).scalars().all()
    gifts = _donation_day(rng, stations, drive, units)
    _price_everything(stations)
    issued = _cards(rng, today.year)
    redemptions = _redemptions(rng, stations, issued)
    points = _points_redemptions(stations)
    acks = _acknowledge(redemptions)
    _moves(stations)
    _contact_card(gifts)
    return (f"donations: {len(stations)} stations, {len(gifts)} gifts, {len(issued)} aid cards, "
            f"{len(redemptions)} card and {points} points redemptions, {acks} acknowledgements")
