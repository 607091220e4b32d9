"""Donations end to end through the API (issue 14): a drive, a gift registered and inspected into
stock, prices, a redemption against an aid card and one against points, the acknowledgement
relayed to the donor, contact cards, and every illegal move a 409."""
from server.donations.models import AidCard, StockItem
from server.donations.stock import ledger_balance
from server.extensions import db
from server.notifications.models import OutboxMessage
from server.points.models import PointsEntry
from tests.donation_world import build_donations, consent, make_card, make_donation, soon_year

API = "/api/v1"


def _donate(client, headers, station, **extra):
    body = {"station_id": station, "category": "grain_oil", "item": "面粉", "quantity": 20,
            "unit": "斤", "estimated_value_fen": 6000, **extra}
    return client.post(f"{API}/donations", headers=headers, json=body)


def test_a_gift_goes_from_received_to_stock_to_a_household(client, world, login):
    w = build_donations(world)
    station = w.stations["a"].id
    made = _donate(client, login("resident2"), station, drive_id=w.drive.id)
    assert made.status_code == 201 and made.get_json()["status"] == "received"
    assert made.get_json()["label_code"] is None  # no label before inspection
    keeper = login("keeper")
    queue = client.get(f"{API}/stations/{station}/donations?status=received", headers=keeper)
    assert made.get_json()["id"] in [d["id"] for d in queue.get_json()]
    done = client.post(f"{API}/donations/{made.get_json()['id']}/inspect", headers=keeper,
                       json={"decision": "accept"})
    assert done.status_code == 200 and done.get_json()["status"] == "accepted"
    stock = client.get(f"{API}/stations/{station}/stock", headers=keeper).get_json()
    flour = next(i for i in stock if i["name"] == "面粉")
    assert (flour["quantity"], flour["unit"], flour["category"]) == (20, "斤", "grain_oil")
    priced = client.patch(f"{API}/stations/{station}/stock/{flour['item_id']}", headers=keeper,
                          json={"price_fen": 300, "price_points": 3})
    assert priced.get_json()["price_fen"] == 300
    card = db.session.get(AidCard, w.card.id)
    out = client.post(f"{API}/stations/{station}/redemptions", headers=keeper, json={
        "card_id": card.id, "lines": [{"item_id": flour["item_id"], "quantity": 5}]})
    assert out.status_code == 201, out.get_json()
    assert out.get_json()["total_fen"] == 1500
    assert out.get_json()["card_balance_fen"] == 10000 - 1500
    db.session.expire_all()
    assert db.session.get(StockItem, flour["item_id"]).quantity == 15 == ledger_balance(
        flour["item_id"])
    # the household scans the label and says it arrived; the donor hears, with no phone
    code = client.get(f"{API}/donations/{made.get_json()['id']}",
                      headers=keeper).get_json()["label_code"]
    ack = client.post(f"{API}/labels/{code}/ack", headers=login("resident"),
                      json={"message": "面粉收到了，谢谢"})
    assert ack.status_code == 200, ack.get_json()
    message = db.session.execute(db.select(OutboxMessage).filter_by(
        user_id=w.users["resident2"].id, kind="donation_ack")).scalar_one()
    assert "1381" not in str(message.data) and "王秀英" not in str(message.data)
    again = client.post(f"{API}/labels/{code}/ack", headers=login("resident"), json={})
    assert again.status_code == 200  # once per recipient; no second message
    assert db.session.execute(db.select(db.func.count()).select_from(OutboxMessage).filter_by(
        kind="donation_ack")).scalar_one() == 1


def test_every_inspection_move_and_its_illegal_repeat(client, world, login):
    w = build_donations(world)
    keeper = login("keeper")
    for decision, status in (("accept", "accepted"), ("reject", "rejected")):
        made = _donate(client, login("resident"), w.stations["a"].id).get_json()
        body = {"decision": decision, "reason": "包装破损"}
        first = client.post(f"{API}/donations/{made['id']}/inspect", headers=keeper, json=body)
        assert first.get_json()["status"] == status
        for retry in ("accept", "reject"):
            resp = client.post(f"{API}/donations/{made['id']}/inspect", headers=keeper,
                               json={"decision": retry, "reason": "再查"})
            assert resp.status_code == 409 and "不能再查验" in resp.get_json()["message"]
    made = _donate(client, login("resident"), w.stations["a"].id).get_json()
    no_reason = client.post(f"{API}/donations/{made['id']}/inspect", headers=keeper,
                            json={"decision": "reject"})
    assert no_reason.status_code == 422


def test_walk_in_donor_is_registered_by_a_keeper_only(client, world, login):
    w = build_donations(world)
    body = {"donor_name": "李大爷", "category": "clothing", "item": "毛衣", "quantity": 2,
            "unit": "件"}
    assert _donate(client, login("resident"), w.stations["a"].id, **body).status_code == 403
    assert _donate(client, login("keeper_b"), w.stations["a"].id, **body).status_code == 404
    made = _donate(client, login("keeper"), w.stations["a"].id, **body)
    assert made.status_code == 201
    # the keeper who registered a walk-in may inspect it: the donor is someone else
    done = client.post(f"{API}/donations/{made.get_json()['id']}/inspect",
                       headers=login("keeper"), json={"decision": "accept"})
    assert done.status_code == 200


def test_units_follow_the_category_and_bad_input_is_4xx(client, world, login):
    w = build_donations(world)
    headers = login("resident")
    wrong_unit = _donate(client, headers, w.stations["a"].id, unit="件")
    assert wrong_unit.status_code == 422 and "unit" in wrong_unit.get_json()["errors"]
    for bad in ({"category": "cash"}, {"quantity": 0}, {"quantity": -3}, {"station_id": 999},
                {"drive_id": 999}, {"donor_unit_id": 999}, {"item": ""}, {"quantity": "many"},
                {"estimated_value_fen": 10**12}):
        resp = _donate(client, headers, w.stations["a"].id, **bad)
        assert resp.status_code == 422, (bad, resp.get_json())
    cats = client.get(f"{API}/donations/categories").get_json()
    assert {c["code"]: c["unit"] for c in cats} == {
        "clothing": "件", "study": "件", "kitchen": "件", "appliance": "件", "grain_oil": "斤"}
    assert all(c["quality_rule"] for c in cats)


def test_stock_never_goes_below_zero_by_adjustment_or_transfer(client, world, login):
    w = build_donations(world)
    keeper, station = login("keeper"), w.stations["a"].id
    url = f"{API}/stations/{station}"
    short = client.post(f"{url}/stock-adjustments", headers=keeper,
                        json={"item_id": w.item.id, "delta": -11, "reason": "盘点"})
    assert short.status_code == 409
    moved = client.post(f"{url}/transfers", headers=keeper, json={
        "item_id": w.item.id, "to_station_id": w.stations["a2"].id, "quantity": 4})
    assert moved.status_code == 201 and moved.get_json()["quantity"] == 4
    over = client.post(f"{url}/transfers", headers=keeper, json={
        "item_id": w.item.id, "to_station_id": w.stations["a2"].id, "quantity": 7})
    assert over.status_code == 409
    kinds = [m["kind"] for m in client.get(f"{url}/stock/movements", headers=keeper).get_json()]
    assert kinds[:1] == ["transfer_out"] and "donation" in kinds
    db.session.expire_all()
    assert db.session.get(StockItem, w.item.id).quantity == 6 == ledger_balance(w.item.id)


def test_redemption_is_all_or_nothing_and_idempotent(client, world, login):
    w = build_donations(world)
    keeper, url = login("keeper"), f"{API}/stations/{w.stations['a'].id}/redemptions"
    poor = make_card(world, household="resident2", balance=900)
    db.session.commit()
    short_card = client.post(url, headers=keeper, json={
        "card_id": poor.id, "lines": [{"item_id": w.item.id, "quantity": 2}]})
    assert short_card.status_code == 409 and "余额" in short_card.get_json()["message"]
    short_stock = client.post(url, headers=keeper, json={
        "card_id": w.card.id, "lines": [{"item_id": w.item.id, "quantity": 11}]})
    assert short_stock.status_code == 409 and "库存" in short_stock.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(StockItem, w.item.id).quantity == 10  # nothing moved
    assert db.session.get(AidCard, poor.id).balance_fen == 900
    body = {"card_id": w.card.id, "lines": [{"item_id": w.item.id, "quantity": 2}]}
    key = {**keeper, "Idempotency-Key": "desk-1"}
    first, second = (client.post(url, headers=key, json=body) for _ in range(2))
    assert first.status_code == second.status_code == 201
    assert first.get_json()["id"] == second.get_json()["id"]
    db.session.expire_all()
    assert db.session.get(StockItem, w.item.id).quantity == 8
    both = client.post(url, headers=keeper, json={**body, "volunteer_id": 1})
    assert both.status_code == 422


def test_points_redemption_is_a_negative_ledger_entry(client, world, login):
    w = build_donations(world)
    volunteer = w.volunteers["volunteer"]
    db.session.add(PointsEntry(volunteer_id=volunteer.id, community_id=volunteer.community_id,
                               delta=12, reason="wish_confirmed", ref_type="wish", ref_id=1))
    db.session.commit()
    url = f"{API}/stations/{w.stations['a'].id}/redemptions"
    body = {"volunteer_id": volunteer.id, "lines": [{"item_id": w.item.id, "quantity": 2}]}
    ok = client.post(url, headers=login("keeper"), json=body)
    assert ok.status_code == 201 and ok.get_json()["total_points"] == 10
    assert client.get(f"{API}/points/me", headers=login("volunteer")).get_json()["balance"] == 2
    again = client.post(url, headers=login("keeper"), json=body)
    assert again.status_code == 409 and again.get_json()["message"] == "积分不足"


def test_aid_cards_need_consent_and_are_one_per_household_and_year(client, world, login):
    w = build_donations(world)
    secretary = login("secretary")
    body = {"household_id": w.users["resident2"].id, "tier": 1, "year": soon_year()}
    no_consent = client.post(f"{API}/aid-cards", headers=secretary, json=body)
    assert no_consent.status_code == 409 and "同意" in no_consent.get_json()["message"]
    consent(w.users["resident2"], "hardship")
    w.users["resident2"].need_tier = 1  # the card's tier is the recorded one (test_aid_card_tiers)
    db.session.commit()
    tier = client.put(f"{API}/aid-cards/tiers/1", headers=login("admin"),
                      json={"name": "三无家庭", "yearly_allowance_fen": 250000})
    assert tier.status_code == 200
    made = client.post(f"{API}/aid-cards", headers=secretary, json=body)
    assert made.status_code == 201 and made.get_json()["balance_fen"] == 250000
    assert client.post(f"{API}/aid-cards", headers=secretary, json=body).status_code == 409
    found = client.get(f"{API}/aid-cards/by-number/{made.get_json()['number']}",
                       headers=login("keeper"))
    assert found.get_json()["id"] == made.get_json()["id"]
    tiers = client.get(f"{API}/aid-cards/tiers").get_json()
    assert [t["tier"] for t in tiers] == [1, 2, 3]


def test_contact_card_needs_both_consents_and_either_side_ends_it(client, world, login):
    w = build_donations(world)
    secretary = login("secretary")
    body = {"donor_id": w.users["volunteer"].id, "household_id": w.users["resident2"].id}
    missing = client.post(f"{API}/contact-cards", headers=secretary, json=body)
    assert missing.status_code == 409 and "捐赠人" in missing.get_json()["message"]
    consent(w.users["volunteer"], "contact_card")
    db.session.commit()
    made = client.post(f"{API}/contact-cards", headers=secretary, json=body)
    assert made.status_code == 201 and made.get_json()["status"] == "active"
    assert client.post(f"{API}/contact-cards", headers=secretary, json=body).status_code == 409
    ended = client.post(f"{API}/contact-cards/{made.get_json()['id']}/end",
                        headers=login("resident2"))
    assert ended.get_json()["status"] == "ended"
    again = client.post(f"{API}/contact-cards/{made.get_json()['id']}/end",
                        headers=login("volunteer"))
    assert again.status_code == 409


def test_a_secretary_covering_the_community_covers_its_station(client, world, login):
    w = build_donations(world)
    station = w.stations["a"].id
    for who, status in (("secretary", 200), ("street_secretary", 200), ("admin", 200),
                        ("secretary_b", 404), ("keeper_b", 404)):
        resp = client.get(f"{API}/stations/{station}/stock", headers=login(who))
        assert resp.status_code == status, who
    grant = client.post(f"{API}/admin/roles", headers=login("admin"), json={
        "openid": "new_keeper", "role": "station_keeper", "station_id": w.stations["b"].id})
    assert grant.status_code == 201 and grant.get_json()["station_id"] == w.stations["b"].id
    wrong = client.post(f"{API}/admin/roles", headers=login("admin"), json={
        "openid": "new_keeper", "role": "station_keeper", "community_id": 1})
    assert wrong.status_code == 422
    make_donation(world, w.stations["b"], donor="resident_b")
    db.session.commit()
    queue = client.get(f"{API}/stations/{w.stations['b'].id}/donations",
                       headers=login("new_keeper"))
    assert queue.status_code == 200 and len(queue.get_json()) == 1


def test_my_export_holds_my_gifts_cards_and_contact_cards(client, world, login):
    w = build_donations(world)
    data = client.get(f"{API}/me/export", headers=login("resident")).get_json()
    assert [c["number"] for c in data["aid_cards"]] == [w.card.number]
    assert [d["id"] for d in data["donations"]] == [w.received.id]
    assert [r["id"] for r in data["redemptions_received"]] == [w.redemption.id]
    assert [c["id"] for c in data["contact_cards"]] == [w.contact.id]


def test_cancelling_the_account_ends_contact_cards_and_keeps_gifts_anonymous(client, world, login):
    w = build_donations(world)
    headers = login("resident2")
    assert client.post(f"{API}/me/cancel", headers=headers, json={"confirm": True}).status_code == 200
    cards = client.get(f"{API}/contact-cards/mine", headers=login("resident")).get_json()
    assert [c["status"] for c in cards] == ["ended"]
    figures = client.get(f"{API}/donation-drives/{w.drive.id}/figures").get_json()
    assert figures["donations"]["accepted"] == 1  # the gift stays, counted, without a name
