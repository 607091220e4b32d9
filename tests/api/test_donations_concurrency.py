"""Races at the love supermarket (run on SQLite and on PostgreSQL): two keepers' desks take the
last item at once, spend the last of a card at once, or the last of a volunteer's points at once —
exactly one wins, the other gets 409, and the stock, the card and the ledger never go below zero.
Also: two keepers inspecting one gift at once."""
from server.donations.models import AidCard, Donation, StockItem
from server.donations.stock import ledger_balance
from server.extensions import db
from server.identity.models import RoleGrant
from server.points.models import PointsEntry
from tests.concurrency import race
from tests.donation_world import build_donations, make_card, make_donation, stock_in
from tests.factories import make_user

API = "/api/v1"
DESKS = 6


def _desks(world, login):
    """Several keepers of station A, each at their own desk."""
    station = world.stations["a"]
    for i in range(DESKS):
        user = make_user(f"desk{i}", world.communities[0], "值班员", phone=None)
        db.session.add(RoleGrant(user_id=user.id, role="station_keeper", station_id=station.id))
    db.session.commit()
    return [login(f"desk{i}") for i in range(DESKS)]


def _fresh():
    db.session.rollback()  # a fresh snapshot: the racers committed in other connections
    db.session.expire_all()


def test_two_redemptions_race_for_the_last_item(app, client, world, login):
    w = build_donations(world)
    last = stock_in(w.stations["a"], name="电饭煲", category="appliance", unit="件",
                    quantity=1, price_fen=100)
    cards = [make_card(world, household=h, balance=10000) for h in ("resident2", "applicant")]
    cards += [make_card(world, household=f"volunteer{s}", balance=10000) for s in ("", "2")]
    db.session.commit()
    heads = _desks(world, login)
    url = f"{API}/stations/{w.stations['a'].id}/redemptions"
    results = race(app, [("POST", url, heads[i], {"card_id": cards[i % len(cards)].id,
                                                  "lines": [{"item_id": last.id, "quantity": 1}]})
                         for i in range(DESKS)])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == DESKS - 1, results
    _fresh()
    assert db.session.get(StockItem, last.id).quantity == 0 == ledger_balance(last.id)
    spent = sum(10000 - db.session.get(AidCard, c.id).balance_fen for c in cards)
    assert spent == 100  # only the winner's card paid


def test_redemptions_race_for_the_last_of_a_card(app, client, world, login):
    w = build_donations(world)
    rice = stock_in(w.stations["a"], name="食用油", quantity=100, price_fen=1000)
    card = make_card(world, household="resident2", balance=1000)
    db.session.commit()
    heads = _desks(world, login)
    url = f"{API}/stations/{w.stations['a'].id}/redemptions"
    results = race(app, [("POST", url, h, {"card_id": card.id,
                                           "lines": [{"item_id": rice.id, "quantity": 1}]})
                         for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == DESKS - 1, results
    _fresh()
    assert db.session.get(AidCard, card.id).balance_fen == 0
    assert db.session.get(StockItem, rice.id).quantity == 99 == ledger_balance(rice.id)


def test_points_redemptions_race_for_the_last_points(app, client, world, login):
    w = build_donations(world)
    volunteer = w.volunteers["volunteer2"]
    db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=volunteer.community_id,
                               delta=5, reason="wish_confirmed", ref_type="wish", ref_id=7))
    db.session.commit()
    heads = _desks(world, login)
    url = f"{API}/stations/{w.stations['a'].id}/redemptions"
    results = race(app, [("POST", url, h, {"volunteer_id": volunteer.id,
                                           "lines": [{"item_id": w.item.id, "quantity": 1}]})
                         for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(409) == DESKS - 1, results
    _fresh()
    balance = db.session.execute(db.select(db.func.sum(PointsEntry.delta)).filter_by(
        volunteer_id=volunteer.id)).scalar_one()
    assert balance == 0
    assert db.session.get(StockItem, w.item.id).quantity == 9 == ledger_balance(w.item.id)


def test_two_keepers_inspect_one_gift_at_once(app, client, world, login):
    w = build_donations(world)
    gift = make_donation(world, w.stations["a"], donor="resident_b", quantity=4)
    db.session.commit()
    heads = _desks(world, login)
    results = race(app, [("POST", f"{API}/donations/{gift.id}/inspect", h,
                          {"decision": "accept"}) for h in heads])
    codes = sorted(code for code, _ in results)
    assert codes.count(200) == 1 and codes.count(409) == DESKS - 1, results
    _fresh()
    donation = db.session.get(Donation, gift.id)
    assert ledger_balance(donation.stock_item_id) == 4  # stocked once
