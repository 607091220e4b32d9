"""The love supermarket's console pages through the test client (issue 14): each page shows only
the stations the caller keeps or covers, refuses other roles, and its actions keep the both-sides
rule (a keeper cannot inspect their own gift, nor redeem their own card)."""
from server.donations.models import Donation, DonationStatus
from server.extensions import db
from tests.donation_world import build_donations, make_card, make_donation


def test_pages_open_to_their_roles_only(console, world):
    build_donations(world)
    keeper = console("keeper")
    for path in ("/console/donations", "/console/desk", "/console/stock", "/console/drive-figures"):
        assert keeper.get(path).status_code == 200, path
    secretary = console("secretary")
    assert secretary.get("/console/donations").status_code == 403  # keepers inspect
    assert secretary.get("/console/stock").status_code == 200


def test_each_keeper_sees_only_their_station(console, world):
    w = build_donations(world)
    mine = console("keeper").get("/console/donations").get_data(as_text=True)
    theirs = console("keeper_b").get("/console/donations").get_data(as_text=True)
    assert f'data-donation="{w.received.id}"' in mine
    assert f'data-donation="{w.received.id}"' not in theirs
    stock_b = console("secretary_b").get("/console/stock").get_data(as_text=True)
    assert f'data-station="{w.stations["a"].id}"' not in stock_b
    assert console("secretary_b").get(
        f"/console/stock/{w.stations['a'].id}.xlsx").status_code == 404


def test_console_actions_keep_both_sides_apart(console, world):
    w = build_donations(world)
    own = make_donation(world, w.stations["a"], donor="keeper")
    card = make_card(world, household="keeper")
    db.session.commit()
    keeper = console("keeper")
    keeper.get("/console/donations")
    refused = keeper.post("/console/donations/inspect", {"ids": own.id, "decision": "accept"})
    assert refused.status_code == 403 and "本人捐献" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Donation, own.id).status == DonationStatus.RECEIVED
    keeper.get(f"/console/desk?number={card.number}")
    refused = keeper.post("/console/desk/redeem", {"station_id": w.stations["a"].id,
                                                   "card_id": card.id, "number": card.number,
                                                   f"qty-{w.item.id}": "1"})
    assert refused.status_code == 403
    bad = keeper.post("/console/desk/redeem", {"station_id": "x", "card_id": card.id,
                                               f"qty-{w.item.id}": "abc"})
    assert bad.status_code == 422
