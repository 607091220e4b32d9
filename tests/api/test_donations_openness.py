"""Openness (公开透明): public drive figures are counts only; the 公示 list masks names and shows
no tier, address or phone; the registers (捐献登记表, 发放登记表) and the stock come out as Excel
in the house style and read back; staff exports stay inside the caller's scope."""
import json

from server.excel import read_sheet
from server.extensions import db
from tests.donation_world import build_donations, make_card, make_donation, stock_in

API = "/api/v1"


def _day(client, world, login):
    """Accepted gifts in two categories, a rejected one, one redemption on top of the world's."""
    w = build_donations(world)
    make_donation(world, w.stations["a"], donor="resident", status="accepted", quantity=4,
                  drive_id=w.drive.id, estimated_value_fen=20000)
    make_donation(world, w.stations["b"], donor="resident_b", status="rejected", quantity=1,
                  drive_id=w.drive.id, reason="破损")
    make_donation(world, w.stations["b"], donor=None, status="accepted", quantity=2,
                  category="study", item="书包", drive_id=w.drive.id)
    card = make_card(world, household="resident_b", balance=5000)
    db.session.commit()
    item = stock_in(w.stations["b"], name="书包", category="study", unit="件", quantity=2,
                    price_fen=1000)
    db.session.commit()
    resp = client.post(f"{API}/stations/{w.stations['b'].id}/redemptions",
                       headers=login("keeper_b"),
                       json={"card_id": card.id, "lines": [{"item_id": item.id, "quantity": 1}]})
    assert resp.status_code == 201, resp.get_json()
    return w


def test_drive_figures_are_public_counts_without_names(client, world, login):
    w = _day(client, world, login)
    resp = client.get(f"{API}/donation-drives/{w.drive.id}/figures")
    assert resp.status_code == 200
    figures = resp.get_json()
    pieces = {p["category"]: p["quantity"] for p in figures["pieces"]}
    assert pieces["clothing"] == 4 and pieces["study"] == 2 and "grain_oil" not in pieces
    assert figures["grain_oil_jin"] == 10
    assert figures["donations"] == {"received": 1, "accepted": 3, "rejected": 1}
    assert figures["donors"] == 4  # resident, resident2, resident_b and one walk-in
    assert figures["households_helped"] == 2 and figures["person_times"] == 2
    text = json.dumps(figures, ensure_ascii=False)
    for user in w.users.values():
        assert user.name not in text and (user.phone or "-") not in text


def test_public_distribution_list_masks_names(client, world, login):
    w = _day(client, world, login)
    rows = client.get(f"{API}/distributions").get_json()
    assert len(rows) == 2
    names = {w.users["resident"].name, w.users["resident_b"].name}
    text = json.dumps(rows, ensure_ascii=False)
    assert not any(name in text for name in names)
    assert {r["household"] for r in rows} == {n[0] + "*" * (len(n) - 1) for n in names}
    assert all(set(r) == {"id", "date", "household", "community", "station", "pieces",
                          "value_fen"} for r in rows)
    only_b = client.get(f"{API}/distributions?community_id={w.communities[1].id}").get_json()
    assert [r["community"] for r in only_b] == [w.communities[1].name]


def test_registers_read_back_and_stay_in_scope(client, world, login):
    w = _day(client, world, login)
    resp = client.get(f"{API}/donation-drives/{w.drive.id}/register.xlsx",
                      headers=login("street_secretary"))
    assert resp.status_code == 200
    title, headers, rows = read_sheet(resp.data)
    assert "捐献登记表" in title and headers[0] == "登记号" and headers[-1] == "状态"
    body, totals = rows[:-3], rows[-3]
    assert len(body) == 5 and totals[0] == "合计"
    assert totals[headers.index("数量")] == sum(r[headers.index("数量")] for r in body)
    assert "现场捐献人" in [r[headers.index("捐献人")] for r in body]
    mine = read_sheet(client.get(f"{API}/donation-drives/{w.drive.id}/register.xlsx",
                                 headers=login("secretary_b")).data)[2]
    assert len(mine) - 3 == 2  # community B's two gifts only (+ totals, blank, note)
    out = client.get(f"{API}/redemptions.xlsx", headers=login("secretary"))
    title, headers, rows = read_sheet(out.data)
    assert "发放登记表" in title and len(rows) - 3 == 1
    assert rows[0][headers.index("金额（元）")] == 5.0  # fen shown as yuan
    other = client.get(f"{API}/redemptions.xlsx?community_id={w.communities[1].id}",
                       headers=login("secretary"))
    assert other.status_code == 403
    stock = client.get(f"{API}/stations/{w.stations['a'].id}/stock.xlsx",
                       headers=login("keeper"))
    title, headers, rows = read_sheet(stock.data)
    assert rows[0][headers.index("物品")] == "大米" and rows[0][headers.index("库存")] == 10


def test_bad_input_never_gives_a_5xx(client, world, login):
    w = build_donations(world)
    keeper, secretary = login("keeper"), login("secretary")
    station = w.stations["a"].id
    attempts = [
        ("POST", "/donation-drives", secretary, {"name": "x", "starts_on": "2026-02-30",
                                                 "ends_on": "2026-03-01",
                                                 "scope": {"kind": "street", "id": 1}}),
        ("POST", "/donation-drives", secretary, {"name": "x", "starts_on": "2026-03-02",
                                                 "ends_on": "2026-03-01",
                                                 "scope": {"kind": "planet", "id": 1}}),
        ("POST", "/donation-drives", login("street_secretary"),
         {"name": "x", "starts_on": "2026-03-02", "ends_on": "2026-03-01",
          "scope": {"kind": "street", "id": 1}}),
        ("POST", "/stations", secretary, {"name": "站", "community_id": 99999}),
        ("POST", f"/stations/{station}/redemptions", keeper, {"lines": []}),
        ("POST", f"/stations/{station}/redemptions", keeper,
         {"card_id": 99999, "lines": [{"item_id": 1, "quantity": 1}]}),
        ("POST", f"/stations/{station}/redemptions", keeper,
         {"card_id": w.card.id, "lines": [{"item_id": 99999, "quantity": 1}]}),
        ("POST", f"/stations/{station}/redemptions", keeper,
         {"card_id": w.card.id, "lines": [{"item_id": w.item.id, "quantity": 10**9}]}),
        ("POST", f"/stations/{station}/stock-adjustments", keeper,
         {"item_id": w.item.id, "delta": 0, "reason": "x"}),
        ("POST", f"/stations/{station}/transfers", keeper,
         {"item_id": w.item.id, "to_station_id": station, "quantity": 1}),
        ("POST", f"/stations/{station}/transfers", keeper,
         {"item_id": w.item.id, "to_station_id": 99999, "quantity": 1}),
        ("PATCH", f"/stations/{station}/stock/{w.item.id}", keeper, {"price_fen": -1}),
        ("PUT", "/aid-cards/tiers/7", login("admin"), {"name": "x", "yearly_allowance_fen": 1}),
        ("POST", "/aid-cards", secretary, {"household_id": 99999, "tier": 1, "year": 2026}),
        ("POST", "/aid-cards", secretary, {"household_id": 1, "tier": 4, "year": 2026}),
        ("POST", "/contact-cards", secretary, {"donor_id": 1, "household_id": 1}),
        ("POST", "/contact-cards", secretary, {"donor_id": 99999, "household_id": 1}),
        ("POST", "/labels/%00%ff/ack", login("resident"), {}),
        ("POST", "/labels/" + "x" * 500 + "/ack", login("resident"), {"message": "谢谢"}),
        ("GET", "/aid-cards/by-number/" + "9" * 300, keeper, None),
        ("GET", f"/stations/{station}/donations?status=lost", keeper, None),
        ("GET", "/donation-drives/99999/figures", None, None),
        ("GET", "/stations?community_id=abc", None, None),
    ]
    for method, path, headers, body in attempts:
        resp = client.open(API + path, method=method, headers=headers or {}, json=body)
        assert 400 <= resp.status_code < 500, (method, path, resp.status_code, resp.get_json())
