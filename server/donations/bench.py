"""`flask --app server donations bench`: a donation day through the HTTP layer (the Flask test
client: routing, auth, schemas, services, one transaction per request), on the configured
database. Defaults: 3,000 donors registering 15,000 items (five pieces each), every gift
inspected and stocked by keepers, then 2,000 redemptions against aid cards. Prints requests/s
and p50/p99 per phase. Run it against a scratch database (it adds a district of its own)."""
import random
import statistics
import time
from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import update

from ..database import unit_of_work
from ..extensions import db
from ..identity.models import Community, Consent, District, Role, RoleGrant, Station, Street, User
from ..identity.tokens import issue_token
from ..timeutil import LOCAL_TZ, utcnow
from .models import CATEGORIES, AidCard, StockItem

donations_cli = AppGroup("donations", help="Donations and the love supermarket.")
GOODS = [("clothing", "棉衣"), ("clothing", "运动鞋"), ("study", "书包"), ("study", "文具盒"),
         ("kitchen", "保温杯"), ("appliance", "台灯"), ("grain_oil", "大米"), ("grain_oil", "食用油")]
API = "/api/v1"


def _world(tag: str, donors: int, households: int, stations: int) -> dict:
    """A district of its own: one community, stations with a keeper each, donors, households
    with consent and a card."""
    district = District(name=f"基准区{tag}", city="基准市")
    db.session.add(district)
    db.session.flush()
    street = Street(name=f"基准街道{tag}", district_id=district.id)
    db.session.add(street)
    db.session.flush()
    community = Community(name=f"基准社区{tag}", street_id=street.id, lat=30.3, lng=120.15)
    db.session.add(community)
    db.session.flush()
    station_rows, keepers = [], []
    for i in range(stations):
        station = Station(name=f"基准捐助站{tag}-{i}", community_id=community.id)
        keeper = User(openid=f"bench-{tag}-keeper-{i}", name="站长", community_id=community.id)
        db.session.add_all([station, keeper])
        db.session.flush()
        db.session.add(RoleGrant(user_id=keeper.id, role=Role.STATION_KEEPER,
                                 station_id=station.id))
        station_rows.append(station.id)
        keepers.append(keeper.id)
    people = [User(openid=f"bench-{tag}-u{i}", name=f"捐献人{i}", community_id=community.id)
              for i in range(max(donors, households))]
    db.session.add_all(people)
    db.session.flush()
    year = utcnow().astimezone(LOCAL_TZ).year
    for i, person in enumerate(people[:households]):
        db.session.add(Consent(user_id=person.id, purpose="hardship", policy_version="bench"))
        db.session.add(AidCard(number=f"B{tag}{i:07d}", household_id=person.id,
                               community_id=community.id, tier=1 + i % 3, year=year,
                               allowance_fen=10**7, balance_fen=10**7))
    db.session.flush()
    cards = db.session.execute(db.select(AidCard.id).where(
        AidCard.community_id == community.id).order_by(AidCard.id)).scalars().all()
    return {"stations": station_rows, "keepers": keepers,
            "donors": [p.id for p in people[:donors]], "cards": cards}


class Timer:
    def __init__(self):
        self.phases: list[tuple[str, int, float, list[float]]] = []

    def run(self, name: str, calls, client) -> list:
        latencies, answers, errors = [], [], 0
        start = time.perf_counter()
        for method, path, headers, body, expected in calls:
            t0 = time.perf_counter()
            resp = client.open(path, method=method, headers=headers, json=body)
            latencies.append(time.perf_counter() - t0)
            errors += resp.status_code != expected
            answers.append(resp.get_json())
        self.phases.append((name, errors, time.perf_counter() - start, latencies))
        return answers

    def report(self, echo) -> None:
        every = [x for *_, lat in self.phases for x in lat]
        total = sum(p[2] for p in self.phases)
        for name, errors, seconds, lat in self.phases + [("all", sum(p[1] for p in self.phases),
                                                          total, every)]:
            ordered = sorted(lat)
            p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0
            echo(f"{name:<12} {len(lat):>6} requests {seconds:8.1f} s "
                 f"{len(lat) / seconds if seconds else 0:8.1f} req/s  "
                 f"p50 {statistics.median(lat) * 1000 if lat else 0:6.1f} ms  "
                 f"p99 {p99 * 1000:6.1f} ms  errors {errors}")


def _headers(user_id: int) -> dict:
    token = issue_token(user_id, current_app.config["SECRET_KEY"], 3600)
    return {"Authorization": f"Bearer {token}"}


def run_bench(donors: int, pieces: int, redemptions: int, stations: int, seed: int, echo) -> Timer:
    rng, tag = random.Random(seed), f"{int(time.time())}{seed}"
    with unit_of_work():
        world = _world(tag, donors, redemptions, stations)
    client, timer = current_app.test_client(), Timer()
    keepers = [_headers(k) for k in world["keepers"]]
    calls = []
    for n, donor in enumerate(world["donors"]):
        category, item = GOODS[n % len(GOODS)]
        calls.append(("POST", f"{API}/donations", _headers(donor), {
            "station_id": world["stations"][n % stations], "category": category, "item": item,
            "quantity": pieces, "unit": CATEGORIES[category].unit,
            "estimated_value_fen": 1000 * pieces}, 201))
    made = timer.run("register", calls, client)
    timer.run("inspect", [("POST", f"{API}/donations/{gift['id']}/inspect", keepers[n % stations],
                           {"decision": "accept"}, 200) for n, gift in enumerate(made)], client)
    with unit_of_work():
        db.session.execute(update(StockItem).where(StockItem.station_id.in_(world["stations"]))
                           .values(price_fen=100, price_points=1))
        shelves = {s: db.session.execute(db.select(StockItem.id).where(
            StockItem.station_id == s)).scalars().all() for s in world["stations"]}
    calls = []
    for n, card in enumerate(world["cards"][:redemptions]):
        station = world["stations"][n % stations]
        items = rng.sample(shelves[station], min(2, len(shelves[station])))
        calls.append(("POST", f"{API}/stations/{station}/redemptions", keepers[n % stations],
                      {"card_id": card, "lines": [{"item_id": i, "quantity": 1} for i in items]},
                      201))
    timer.run("redeem", calls, client)
    timer.report(echo)
    return timer


@donations_cli.command("bench")
@click.option("--donors", default=3000, show_default=True)
@click.option("--pieces", default=5, show_default=True, help="Pieces per gift (items = donors × pieces).")
@click.option("--redemptions", default=2000, show_default=True)
@click.option("--stations", default=8, show_default=True)
@click.option("--seed", default=14, show_default=True)
def bench(donors, pieces, redemptions, stations, seed):
    """A donation day through the HTTP layer; prints requests/s and p99 per phase."""
    click.echo(f"{date.today()} {db.engine.dialect.name}: {donors} donors, {donors * pieces} "
               f"items, {redemptions} redemptions, {stations} stations")
    run_bench(donors, pieces, redemptions, stations, seed, click.echo)
