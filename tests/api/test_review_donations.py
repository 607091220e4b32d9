"""A hostile review of donations, the love supermarket and aid cards against the four rules
(docs/security.md): scope on the whole requested scope, nobody on both sides, nothing public that
locates a home, access ending with the role; and no input gives a 5xx. The first tests document
holes that were fixed; the rest are probes that pass and guard the rule."""
import pytest

from server.donations.models import AidCard, StockItem
from server.donations.stock import ledger_balance
from server.extensions import db
from server.identity.models import Community, District, RoleGrant, Station, Street
from server.points.models import PointsEntry
from tests.donation_world import build_donations, make_card, make_donation, stock_in

API = "/api/v1"


def _redeem(client, headers, station_id, **body):
    return client.post(f"{API}/stations/{station_id}/redemptions", headers=headers, json=body)


# --- holes found and fixed ------------------------------------------------------------------------

def test_a_keeper_cannot_charge_the_card_of_a_household_of_another_community(client, world,
                                                                             login):
    """Card ids are small integers: a keeper of station A must not drain a card issued in
    community B (a household the keeper's grant does not reach) by passing its id."""
    w = build_donations(world)
    other = make_card(world, household="resident_b", tier=3, balance=5000)
    db.session.commit()
    out = _redeem(client, login("keeper"), w.stations["a"].id, card_id=other.id,
                  lines=[{"item_id": w.item.id, "quantity": 1}])
    assert out.status_code == 422, out.get_json()
    assert "card_id" in out.get_json()["errors"] and out.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(AidCard, other.id).balance_fen == 5000
    assert db.session.get(StockItem, w.item.id).quantity == 10


def test_a_keeper_cannot_spend_the_points_of_a_volunteer_of_another_community(client, world,
                                                                              login):
    """Volunteer ids are enumerable: a keeper of station A must not spend the points of a
    volunteer of community B."""
    w = build_donations(world)
    volunteer = w.volunteers["volunteer_b"]
    db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=volunteer.community_id,
                               delta=50, reason="wish_confirmed", ref_type="wish", ref_id=1))
    db.session.commit()
    out = _redeem(client, login("keeper"), w.stations["a"].id, volunteer_id=volunteer.id,
                  lines=[{"item_id": w.item.id, "quantity": 2}])
    assert out.status_code == 422, out.get_json()
    assert "volunteer_id" in out.get_json()["errors"]
    assert db.session.execute(db.select(db.func.sum(PointsEntry.delta)).where(
        PointsEntry.volunteer_id == volunteer.id)).scalar_one() == 50


def test_the_same_communitys_card_and_volunteer_still_redeem(client, world, login):
    """The fix keeps the desk working for its own community (a guard for the two above)."""
    w = build_donations(world)
    volunteer = w.volunteers["volunteer"]
    db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=volunteer.community_id,
                               delta=50, reason="wish_confirmed", ref_type="wish", ref_id=1))
    db.session.commit()
    keeper = login("keeper")
    # station a2 is a second station of the same community
    stock_in(w.stations["a2"], name="食用油", quantity=5, price_fen=100, price_points=1)
    db.session.commit()
    item2 = db.session.execute(db.select(StockItem).filter_by(
        station_id=w.stations["a2"].id)).scalar_one()
    db.session.add(RoleGrant(user_id=w.users["keeper"].id, role="station_keeper",
                             station_id=w.stations["a2"].id))
    db.session.commit()
    assert _redeem(client, keeper, w.stations["a"].id, card_id=w.card.id,
                   lines=[{"item_id": w.item.id, "quantity": 1}]).status_code == 201
    assert _redeem(client, keeper, w.stations["a2"].id, volunteer_id=volunteer.id,
                   lines=[{"item_id": item2.id, "quantity": 1}]).status_code == 201


def _far_station(world) -> Station:
    """A station in another district altogether."""
    district = District(name="别的区", city="杭州市")
    db.session.add(district)
    db.session.flush()
    street = Street(name="别的街道", district_id=district.id)
    db.session.add(street)
    db.session.flush()
    community = Community(name="别的社区", street_id=street.id, lat=30.5, lng=120.5)
    db.session.add(community)
    db.session.flush()
    station = Station(name="别区的捐助站", community_id=community.id, address="别处")
    db.session.add(station)
    db.session.commit()
    return station


def test_a_keeper_cannot_transfer_stock_out_of_the_district(client, world, login):
    """A transfer names a target station: one in another district is outside every scope the
    keeper's grant (and the drive that collected the goods) reaches."""
    w = build_donations(world)
    far = _far_station(world)
    out = client.post(f"{API}/stations/{w.stations['a'].id}/transfers", headers=login("keeper"),
                      json={"item_id": w.item.id, "to_station_id": far.id, "quantity": 4})
    assert out.status_code == 422, out.get_json()
    assert "to_station_id" in out.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(StockItem, w.item.id).quantity == 10 == ledger_balance(w.item.id)
    # inside the district it still works (station b is in the same street)
    ok = client.post(f"{API}/stations/{w.stations['a'].id}/transfers", headers=login("keeper"),
                     json={"item_id": w.item.id, "to_station_id": w.stations["b"].id,
                           "quantity": 4})
    assert ok.status_code == 201, ok.get_json()


def test_a_contact_card_shows_no_phone_once_the_other_side_withdraws_consent(client, world,
                                                                             login):
    """爱心联系卡 shares a phone only with both sides' consent: withdrawing it ends the sharing
    at once, even before anyone ends the card."""
    w = build_donations(world)
    donor = w.users["resident2"]
    donor.phone_verified_via = "wechat"
    household = w.users["resident"]
    household.phone_verified_via = "wechat"
    db.session.commit()
    mine = client.get(f"{API}/contact-cards/mine", headers=login("resident")).get_json()
    card = next(c for c in mine if c["id"] == w.contact.id)
    assert card["other_phone"] == donor.phone  # both consented: shown
    withdrawn = client.post(f"{API}/me/consents/contact_card/withdraw", headers=login("resident2"))
    assert withdrawn.status_code == 200, withdrawn.get_json()
    mine = client.get(f"{API}/contact-cards/mine", headers=login("resident")).get_json()
    card = next(c for c in mine if c["id"] == w.contact.id)
    assert card["other_phone"] is None
    theirs = client.get(f"{API}/contact-cards/mine", headers=login("resident2")).get_json()
    card = next(c for c in theirs if c["id"] == w.contact.id)
    assert card["other_phone"] is None  # the withdrawing side no longer sees the other's either


def test_a_price_times_a_quantity_beyond_any_card_is_a_4xx_not_a_5xx(client, world, login):
    """A price of ten million yuan times a few pieces overflowed the 32-bit totals of a
    redemption on PostgreSQL (a 500); the order is refused before anything is written."""
    w = build_donations(world)
    keeper, station = login("keeper"), w.stations["a"].id
    priced = client.patch(f"{API}/stations/{station}/stock/{w.item.id}", headers=keeper,
                          json={"price_fen": 10**9, "price_points": 10**6})
    assert priced.status_code == 200
    card = _redeem(client, keeper, station, card_id=w.card.id,
                   lines=[{"item_id": w.item.id, "quantity": 5}])
    assert card.status_code in (409, 422), card.get_json()
    volunteer = w.volunteers["volunteer"]
    db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=volunteer.community_id,
                               delta=10, reason="wish_confirmed", ref_type="wish", ref_id=1))
    db.session.commit()
    more = stock_in(w.stations["a"], quantity=5000)
    db.session.commit()
    points = _redeem(client, keeper, station, volunteer_id=volunteer.id,
                     lines=[{"item_id": more.id, "quantity": 3000}])
    assert points.status_code in (409, 422), points.get_json()
    db.session.expire_all()
    assert db.session.get(AidCard, w.card.id).balance_fen == 10000
    assert db.session.get(StockItem, w.item.id).quantity == 5010 == ledger_balance(w.item.id)


# --- probes that pass (they guard the rules) ------------------------------------------------------

def test_a_keeper_of_another_station_touches_nothing_here(client, world, login):
    w = build_donations(world)
    other = login("keeper_b")
    a = w.stations["a"].id
    assert client.post(f"{API}/donations/{w.received.id}/inspect", headers=other,
                       json={"decision": "accept"}).status_code == 404
    assert client.get(f"{API}/stations/{a}/stock", headers=other).status_code == 404
    assert client.get(f"{API}/stations/{a}/stock.xlsx", headers=other).status_code == 404
    assert client.post(f"{API}/stations/{a}/stock-adjustments", headers=other, json={
        "item_id": w.item.id, "delta": -1, "reason": "坏了"}).status_code == 404
    # and its own desk cannot name station A's item in a line, an adjustment or a price
    b = w.stations["b"].id
    assert _redeem(client, other, b, card_id=make_card(world, household="resident_b").id,
                   lines=[{"item_id": w.item.id, "quantity": 1}]).status_code in (404, 422)
    assert client.post(f"{API}/stations/{b}/stock-adjustments", headers=other, json={
        "item_id": w.item.id, "delta": -1, "reason": "坏了"}).status_code in (404, 422)
    assert client.patch(f"{API}/stations/{b}/stock/{w.item.id}", headers=other,
                        json={"price_fen": 1}).status_code in (404, 422)
    db.session.expire_all()
    assert db.session.get(StockItem, w.item.id).quantity == 10


def test_a_revoked_keeper_stops_at_once(client, world, login):
    w = build_donations(world)
    keeper = login("keeper")
    a = w.stations["a"].id
    assert client.get(f"{API}/stations/{a}/stock", headers=keeper).status_code == 200
    db.session.execute(db.delete(RoleGrant).where(RoleGrant.user_id == w.users["keeper"].id))
    db.session.commit()
    assert client.get(f"{API}/stations/{a}/stock", headers=keeper).status_code in (403, 404)
    assert client.post(f"{API}/donations/{w.received.id}/inspect", headers=keeper,
                       json={"decision": "accept"}).status_code in (403, 404)
    assert _redeem(client, keeper, a, card_id=w.card.id,
                   lines=[{"item_id": w.item.id, "quantity": 1}]).status_code in (403, 404)


def test_secretaries_read_cards_and_registers_only_in_scope(client, world, login):
    w = build_donations(world)
    b = login("secretary_b")
    a_id = w.communities[0].id
    assert client.get(f"{API}/aid-cards?community_id={a_id}", headers=b).status_code in (403,
                                                                                          404)
    assert client.get(f"{API}/redemptions.xlsx?community_id={a_id}",
                      headers=b).status_code in (403, 404)
    listed = client.get(f"{API}/aid-cards", headers=b).get_json()
    assert all(c["community_id"] != a_id for c in listed)
    assert client.get(f"{API}/redemptions/{w.redemption.id}", headers=b).status_code == 404
    assert client.get(f"{API}/stations/{w.stations['a'].id}/donations",
                      headers=b).status_code == 404
    assert client.post(f"{API}/aid-cards", headers=b, json={
        "household_id": w.users["resident"].id, "tier": 2, "year": 2026}).status_code == 404


def test_the_donor_cannot_inspect_a_walk_in_of_their_own_station_as_donor(client, world, login):
    """donor/inspector: a keeper's own gift, registered in the mini-program, cannot be inspected
    by them; another keeper of the station can."""
    w = build_donations(world)
    gift = make_donation(world, w.stations["a"], donor="keeper")
    db.session.commit()
    out = client.post(f"{API}/donations/{gift.id}/inspect", headers=login("keeper"),
                      json={"decision": "accept"})
    assert out.status_code == 403 and out.get_json()["message"]


def test_public_answers_carry_no_phone_address_or_full_name(client, world, login):
    w = build_donations(world)
    texts = [client.get(f"{API}/distributions").get_data(as_text=True),
             client.get(f"{API}/donation-drives/{w.drive.id}/figures").get_data(as_text=True),
             client.get(f"{API}/stations").get_data(as_text=True)]
    for text in texts:
        for secret in ("13811112222", "甲路1号", "王秀英", "need_tier", "tier"):
            assert secret not in text


@pytest.mark.parametrize("method,path,body", [
    ("post", "/stations/{a}/redemptions", {"card_id": 2**31, "lines": [{"item_id": 1,
                                                                      "quantity": 1}]}),
    ("post", "/stations/{a}/redemptions", {"card_id": 1, "lines": []}),
    ("post", "/stations/{a}/redemptions", {"card_id": 1, "lines": [{"item_id": "一",
                                                                   "quantity": -1}]}),
    ("post", "/stations/{a}/redemptions", {"volunteer_id": 10**30, "lines": [{"item_id": 1,
                                                                            "quantity": 1}]}),
    ("post", "/stations/{a}/stock-adjustments", {"item_id": 1, "delta": 10**20, "reason": "x"}),
    ("post", "/stations/{a}/stock-adjustments", {"item_id": 1, "delta": 0, "reason": "x"}),
    ("post", "/stations/{a}/transfers", {"item_id": 1, "to_station_id": -5, "quantity": 1}),
    ("post", "/stations/{a}/transfers", {"item_id": 1, "to_station_id": 2**40, "quantity": 1}),
    ("patch", "/stations/{a}/stock/{item}", {"price_fen": -1}),
    ("patch", "/stations/{a}/stock/{item}", {"price_points": "多"}),
    ("post", "/donations", {"station_id": 2**31 - 1, "category": "clothing", "item": "衣",
                            "quantity": 1, "unit": "件"}),
    ("post", "/donations", {"station_id": "{a}", "category": "clothing", "item": "😀" * 61,
                            "quantity": 1, "unit": "件"}),
    ("post", "/donations", {"station_id": "{a}", "category": "clothing", "item": "衣",
                            "quantity": 1, "unit": "件", "drive_id": 2**31 - 1,
                            "donor_unit_id": 2**31 - 1}),
    ("post", "/aid-cards", {"household_id": 2**31 - 1, "tier": 2, "year": 2026}),
    ("post", "/aid-cards", {"household_id": 1, "tier": 9, "year": 99999}),
    ("put", "/aid-cards/tiers/99999999999999999999", {"name": "x", "yearly_allowance_fen": 1}),
    ("post", "/contact-cards", {"donor_id": 2**31 - 1, "household_id": 1}),
    ("post", "/labels/%00%ff/ack", {"message": "谢谢"}),
    ("get", "/aid-cards/by-number/" + "9" * 500, None),
    ("get", "/distributions?community_id=99999999999999999999", None),
    ("get", "/stations/{a}/donations?status=nope", None),
    ("get", "/redemptions.xlsx?community_id=-1", None),
    ("get", "/donation-drives/99999999999999999999/figures", None),
])
def test_hostile_input_is_a_4xx_with_a_chinese_message(client, world, login, method, path, body):
    w = build_donations(world)
    fill = {"a": w.stations["a"].id, "item": w.item.id}
    path = path.format(**fill)
    if body and body.get("station_id") == "{a}":
        body = {**body, "station_id": fill["a"]}
    for who in ("keeper", "secretary", "admin"):
        resp = getattr(client, method)(f"{API}{path}", headers=login(who), json=body)
        assert 400 <= resp.status_code < 500, (who, resp.status_code, resp.get_data()[:300])
        assert resp.get_json() is not None and resp.get_json().get("message")


# --- the console's forms (the same rules; no input gives a 5xx) -----------------------------------

from tests.console.conftest import console  # noqa: E402,F401  (the signed-in console fixture)


@pytest.mark.parametrize("form", [
    {"qty-{item}": "²"},  # a superscript two: str.isdigit() says yes, int() says no
    {"qty-²": "1"},
    {"qty-{item}": "99999999999999999999"},
    {"qty-99999999999999999999": "1"},
    {"qty-{item}": "1", "station_id": "99999999999999999999"},
    {"qty-{item}": "1", "card_id": "99999999999999999999"},
    {"qty-{item}": "1", "card_id": "²"},
])
def test_the_desk_form_never_gives_a_5xx(console, world, form):  # noqa: F811
    w = build_donations(world)
    keeper = console("keeper")
    keeper.get(f"/console/desk?number={w.card.number}")
    body = {"station_id": str(w.stations["a"].id), "card_id": str(w.card.id),
            "number": w.card.number}
    body.update({k.format(item=w.item.id): v for k, v in form.items()})
    resp = keeper.post("/console/desk/redeem", body)
    assert resp.status_code < 500, resp.get_data(as_text=True)[:300]
    db.session.expire_all()
    assert db.session.get(StockItem, w.item.id).quantity == 10


@pytest.mark.parametrize("path,form", [
    ("/console/drive-figures?drive_id=99999999999999999999", None),
    ("/console/drive-figures?drive_id=²", None),
    ("/console/donations/inspect", {"ids": "²", "decision": "accept"}),
])
def test_console_pages_never_give_a_5xx(console, world, path, form):  # noqa: F811
    build_donations(world)
    keeper = console("keeper")
    keeper.get("/console/donations")
    resp = keeper.get(path) if form is None else keeper.post(path, form)
    assert resp.status_code < 500, resp.get_data(as_text=True)[:300]


def test_a_keeper_finds_only_cards_their_desk_may_redeem(client, world, login):
    """A card shows the household and its hardship tier: only the desks of the card's community
    (and managers covering it) find it by number; a keeper elsewhere gets 404."""
    w = build_donations(world)
    path = f"{API}/aid-cards/by-number/{w.card.number}"
    assert client.get(path, headers=login("keeper")).status_code == 200
    far = client.get(path, headers=login("keeper_b"))
    assert far.status_code == 404 and far.get_json()["message"]
    assert client.get(path, headers=login("secretary")).status_code == 200
    assert client.get(path, headers=login("secretary_b")).status_code == 404


def test_an_acknowledgement_carrying_a_phone_is_refused(client, world, login):
    """"Phones never cross": the recipient's thanks goes to the donor through the outbox, so a
    phone typed into it (with or without separators) is refused and nothing is relayed."""
    from server.notifications.models import OutboxMessage
    w = build_donations(world)
    code = w.accepted.label_code
    for message in ("谢谢！有事打我电话13811112222", "电话 138-1111-2222", "座机 0571 8888 1234"):
        resp = client.post(f"{API}/labels/{code}/ack", headers=login("resident"),
                           json={"message": message})
        assert resp.status_code == 422, resp.get_json()
        assert "message" in resp.get_json()["errors"]
    assert db.session.execute(db.select(db.func.count()).select_from(OutboxMessage).filter_by(
        kind="donation_ack")).scalar_one() == 0
    ok = client.post(f"{API}/labels/{code}/ack", headers=login("resident"),
                     json={"message": "大米收到了，谢谢您！10斤很实在"})
    assert ok.status_code == 200, ok.get_json()


def test_an_aid_card_stops_when_the_household_withdraws_hardship_consent_or_cancels(
        client, world, login):
    """Rule 4: a card is issued on the household's hardship consent; withdrawing it (or 注销)
    ends the card's use at once — no more goods on a consent that is gone."""
    w = build_donations(world)
    keeper, station = login("keeper"), w.stations["a"].id
    line = [{"item_id": w.item.id, "quantity": 1}]
    assert _redeem(client, keeper, station, card_id=w.card.id, lines=line).status_code == 201
    withdrawn = client.post(f"{API}/me/consents/hardship/withdraw", headers=login("resident"))
    assert withdrawn.status_code == 200, withdrawn.get_json()
    out = _redeem(client, keeper, station, card_id=w.card.id, lines=line)
    assert out.status_code == 409 and "撤回" in out.get_json()["message"], out.get_json()
    db.session.expire_all()
    assert db.session.get(StockItem, w.item.id).quantity == 9 == ledger_balance(w.item.id)
    # the household of community A's second card: cancelled account
    other = make_card(world, household="resident2", tier=3, balance=5000)
    db.session.commit()
    cancelled = client.post(f"{API}/me/cancel", headers=login("resident2"), json={"confirm": True})
    assert cancelled.status_code == 200, cancelled.get_json()
    out = _redeem(client, keeper, station, card_id=other.id, lines=line)
    assert out.status_code in (409, 422), out.get_json()
    db.session.expire_all()
    assert db.session.get(AidCard, other.id).balance_fen == 5000
