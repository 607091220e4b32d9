"""代办 (issue 12): grid workers and secretaries register residents who have no WeChat and post,
confirm and rate for them, in scope and never for help they gave themselves; the CLI grants every
role of part 2 with the scope kind it takes."""
import pytest

from server.audit.models import AuditEntry
from server.extensions import db
from server.identity.models import Consent, Grid, RoleGrant, User
from server.notifications.models import OutboxMessage
from server.orders.models import ServiceOrder
from server.points.models import PointsEntry
from server.policy.parties import SIDES
from server.wishes.models import Wish
from tests.factories import make_volunteer
from tests.order_world import make_offering, make_order, soon

API = "/api/v1"
CONSENT = {"method": "verbal", "witnessed_by": "楼长王阿姨"}


@pytest.fixture
def grids(world):
    """A grid in community A with its grid worker, and a grid worker of community B."""
    a, b = world.communities[0], world.communities[1]
    grid = Grid(name="甲一网格", community_id=a.id)
    db.session.add(grid)
    db.session.flush()
    for key, community, scope in (("grid_worker", a, {"grid_id": grid.id}),
                                  ("grid_worker_b", b, {"community_id": b.id})):
        world.users[key] = user = User(openid=key, name="网格员", community_id=community.id)
        db.session.add(user)
        db.session.flush()
        db.session.add(RoleGrant(user_id=user.id, role="grid_worker", **scope))
    db.session.commit()
    return grid


def register(client, headers, grid=None, community=None, phone="13000002222", **extra):
    body = {"name": "孙大爷", "phone": phone, "address": "甲路9号", "lat": 30.2968,
            "lng": 120.1523, "consent": CONSENT, **extra}
    if grid is not None:
        body["grid_id"] = grid.id
    if community is not None:
        body["community_id"] = community.id
    return client.post(f"{API}/residents", headers=headers, json=body)


def _wish_body(resident_id):
    return {"title": "想请人修收音机", "description": "老人的收音机坏了", "category": "repair",
            "on_behalf_of": resident_id}


def test_register_wish_claim_fulfil_confirm_by_the_grid_worker(client, world, login, grids):
    gw = login("grid_worker")
    resp = register(client, gw, grid=grids)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["phone_verified_via"] == "staff" and body["has_wechat"] is False
    resident = db.session.get(User, body["id"])
    assert resident.openid.startswith("import:") and resident.grid_id == grids.id
    consent = db.session.execute(db.select(Consent).filter_by(user_id=resident.id)).scalar_one()
    assert (consent.purpose, consent.method, consent.witnessed_by) == (
        "privacy_policy", "verbal", "楼长王阿姨")
    assert consent.recorded_by == world.users["grid_worker"].id

    posted = client.post(f"{API}/wishes", headers=gw, json=_wish_body(resident.id))
    assert posted.status_code == 201, posted.get_json()
    wish_id = posted.get_json()["id"]
    wish = db.session.get(Wish, wish_id)
    assert wish.owner_id == resident.id and wish.posted_by == world.users["grid_worker"].id
    assert client.get(f"{API}/wishes/{wish_id}", headers=gw).status_code == 200

    assert client.post(f"{API}/wishes/{wish_id}/review", headers=login("secretary"),
                       json={"decision": "approve"}).status_code == 200
    vol = login("volunteer")
    assert client.post(f"{API}/wishes/{wish_id}/claim", headers=vol, json={}).status_code == 200
    assert client.post(f"{API}/wishes/{wish_id}/fulfil", headers=vol,
                       json={"note": "已修好"}).status_code == 200
    confirmed = client.post(f"{API}/wishes/{wish_id}/confirm", headers=gw, json={"rating": 5})
    assert confirmed.status_code == 200, confirmed.get_json()
    points = db.session.execute(db.select(PointsEntry).filter_by(
        volunteer_id=world.volunteers["volunteer"].id, ref_type="wish", ref_id=wish_id)).scalars()
    assert {p.reason for p in points} == {"wish_confirmed", "rating_bonus"}
    actions = set(db.session.execute(db.select(AuditEntry.action).where(
        AuditEntry.actor_id == world.users["grid_worker"].id)).scalars())
    assert {"resident.register", "wish.post_on_behalf", "wish.confirm_for_owner"} <= actions


def test_order_on_behalf_and_rated_by_the_grid_worker(client, world, login, grids):
    gw = login("grid_worker")
    resident_id = register(client, gw, grid=grids).get_json()["id"]
    resp = client.post(f"{API}/orders", headers=gw, json={
        "category": "repair", "window_start": soon(3, 9), "window_end": soon(3, 12),
        "note": "冰箱不制冷", "on_behalf_of": resident_id})
    assert resp.status_code == 201, resp.get_json()
    order = db.session.get(ServiceOrder, resp.get_json()["id"])
    assert order.resident_id == resident_id
    assert order.posted_by == world.users["grid_worker"].id
    world.users["daiban"] = db.session.get(User, resident_id)
    done = make_order(world, make_offering(world).slots[0], resident="daiban", status="done")
    db.session.commit()
    rated = client.post(f"{API}/orders/{done.id}/rate", headers=gw, json={"rating": 4})
    assert rated.status_code == 200, rated.get_json()
    assert db.session.execute(db.select(AuditEntry).filter_by(
        action="order.post_on_behalf", object_id=str(order.id))).first() is not None


def test_a_grid_worker_acts_only_in_scope(client, world, login, grids):
    resident_id = register(client, login("grid_worker"), grid=grids).get_json()["id"]
    other = login("grid_worker_b")
    assert register(client, other, grid=grids, phone="13000003333").status_code == 403
    assert register(client, other, community=world.communities[0],
                    phone="13000003333").status_code == 403
    assert client.post(f"{API}/wishes", headers=other,
                       json=_wish_body(resident_id)).status_code == 404
    # nor for a resident who has WeChat: they post for themselves
    assert client.post(f"{API}/wishes", headers=login("grid_worker"),
                       json=_wish_body(world.users["resident"].id)).status_code == 404
    # a plain resident or volunteer cannot post for anybody
    for who in ("resident2", "volunteer"):
        assert client.post(f"{API}/wishes", headers=login(who),
                           json=_wish_body(resident_id)).status_code == 404
    # a community secretary covers her community's grids
    posted = client.post(f"{API}/wishes", headers=login("secretary"), json=_wish_body(resident_id))
    assert posted.status_code == 201
    # the other community's grid worker cannot confirm it either
    wish = db.session.get(Wish, posted.get_json()["id"])
    wish.status, wish.claimed_by = "fulfilled", world.volunteers["volunteer"].id
    db.session.commit()
    assert client.post(f"{API}/wishes/{wish.id}/confirm", headers=other,
                       json={"rating": 5}).status_code in (403, 404)


def test_register_refuses_bad_input(client, world, login, grids):
    gw = login("grid_worker")
    assert register(client, gw).status_code == 422  # neither grid nor community
    assert register(client, gw, grid=grids, consent={"method": "email",
                                                     "witnessed_by": "x"}).status_code == 422
    assert register(client, gw, grid=grids, community=world.communities[1]).status_code == 422
    assert register(client, gw, grid=grids, phone="12").status_code == 422
    assert register(client, gw, grid=grids).status_code == 201
    assert register(client, gw, grid=grids).status_code == 409  # the same phone twice


def test_grid_worker_who_served_cannot_confirm(client, world, login, grids):
    gw_user = world.users["grid_worker"]
    world.volunteers["grid_worker"] = make_volunteer(gw_user, world.communities[0])
    db.session.commit()
    gw = login("grid_worker")
    resident_id = register(client, gw, grid=grids).get_json()["id"]
    wish_id = client.post(f"{API}/wishes", headers=gw, json=_wish_body(resident_id)).get_json()["id"]
    assert client.post(f"{API}/wishes/{wish_id}/review", headers=login("secretary"),
                       json={"decision": "approve"}).status_code == 200
    assert client.post(f"{API}/wishes/{wish_id}/claim", headers=gw, json={}).status_code == 200
    assert client.post(f"{API}/wishes/{wish_id}/fulfil", headers=gw,
                       json={"note": "已修好"}).status_code == 200
    resp = client.post(f"{API}/wishes/{wish_id}/confirm", headers=gw, json={"rating": 5})
    assert resp.status_code in (403, 409)
    assert resp.get_json()["message"] in set(SIDES.values())
    assert db.session.execute(db.select(PointsEntry).filter_by(ref_id=wish_id)).first() is None


@pytest.mark.parametrize("role, option", [("grid_worker", "--grid"),
                                          ("grid_worker", "--community"),
                                          ("unit_secretary", "--unit"),
                                          ("fund_officer", "--street"),
                                          ("leading_group", "--district"),
                                          ("secretary", "--community")])
def test_cli_grants_every_role_in_its_scope_kind(app, world, grids, role, option):
    ids = {"--grid": grids.id, "--community": world.communities[0].id,
           "--unit": world.units[0].id, "--street": world.streets[0].id,
           "--district": world.district.id}
    result = app.test_cli_runner().invoke(args=["users", "grant", "--openid", "cli-new",
                                                "--role", role, option, str(ids[option])])
    assert result.exit_code == 0 and f"granted {role}" in result.output, result.output
    db.session.remove()
    grant = db.session.execute(db.select(RoleGrant).join(User, User.id == RoleGrant.user_id)
                               .where(User.openid == "cli-new")).scalar_one()
    assert grant.role == role and getattr(grant, option[2:] + "_id") == ids[option]


@pytest.mark.parametrize("role, option", [("grid_worker", "--street"),
                                          ("unit_secretary", "--community"),
                                          ("fund_officer", "--grid")])
def test_cli_refuses_a_scope_kind_the_role_does_not_take(app, world, grids, role, option):
    result = app.test_cli_runner().invoke(args=["users", "grant", "--openid", "cli-new",
                                                "--role", role, option, "1"])
    assert result.exit_code != 0 and "范围" in result.output


@pytest.mark.parametrize("role, scope", [("grid_worker", "grid_id"),
                                         ("grid_worker", "community_id"),
                                         ("fund_officer", "street_id"),
                                         ("leading_group", "district_id")])
def test_admin_grants_the_new_roles(client, world, login, grids, role, scope):
    ids = {"grid_id": grids.id, "community_id": world.communities[0].id,
           "unit_id": world.units[0].id, "street_id": world.streets[0].id,
           "district_id": world.district.id}
    resp = client.post(f"{API}/admin/roles", headers=login("admin"),
                       json={"openid": "api-new", "role": role, scope: ids[scope]})
    assert resp.status_code == 201, resp.get_json()


def test_a_unit_stands_under_its_linked_community_for_unit_secretary_grants(
        client, world, login):
    """A unit is placed in the org tree under the community it is linked to (共驻共建,
    policy.scope.parent_of): an admin whose scope contains that community grants its
    unit_secretary; a unit linked to no community is in no admin's tree (only the CLI grants)."""
    linked, unlinked = world.units[0], world.units[1]
    linked.community_id, unlinked.community_id = world.communities[0].id, None
    db.session.commit()
    resp = client.post(f"{API}/admin/roles", headers=login("admin"),
                       json={"openid": "api-new", "role": "unit_secretary", "unit_id": linked.id})
    assert resp.status_code == 201, resp.get_json()
    resp = client.post(f"{API}/admin/roles", headers=login("admin"),
                       json={"openid": "api-new-2", "role": "unit_secretary",
                             "unit_id": unlinked.id})
    assert resp.status_code == 403


def test_the_resident_claims_the_record_by_verified_phone(client, world, login, grids):
    gw, gw_id, grid_id = login("grid_worker"), world.users["grid_worker"].id, grids.id
    placeholder_id = register(client, gw, grid=grids).get_json()["id"]
    wish_id = client.post(f"{API}/wishes", headers=gw,
                          json=_wish_body(placeholder_id)).get_json()["id"]
    assert client.post(f"{API}/wishes/{wish_id}/review", headers=login("secretary"),
                       json={"decision": "approve"}).status_code == 200  # queues a message
    assert db.session.execute(db.select(OutboxMessage).filter_by(
        user_id=placeholder_id)).first() is not None
    me = login("wx-sun")
    # a phone typed into the profile claims nothing (it is not verified)
    assert client.patch(f"{API}/me", headers=me, json={"phone": "13000002222"}).status_code == 200
    assert client.get(f"{API}/wishes/mine", headers=me).get_json() == []
    resp = client.post(f"{API}/me/phone", headers=me, json={"code": "fake-phone:13000002222"})
    assert resp.status_code == 200, resp.get_json()
    db.session.remove()
    user = db.session.execute(db.select(User).filter_by(openid="wx-sun")).scalar_one()
    mine = client.get(f"{API}/wishes/mine", headers=me).get_json()
    assert [w["id"] for w in mine] == [wish_id]
    wish = db.session.get(Wish, wish_id)
    assert wish.owner_id == user.id and wish.posted_by == gw_id
    assert user.grid_id == grid_id and user.address == "甲路9号"
    consent = db.session.execute(db.select(Consent).filter_by(user_id=user.id)).scalar_one()
    assert consent.method == "verbal"
    old = db.session.get(User, placeholder_id)
    assert old.cancelled_at is not None and old.phone is None and old.name == ""
    assert db.session.execute(db.select(AuditEntry).filter_by(
        action="resident.claim", object_id=str(user.id))).first() is not None
    assert db.session.execute(db.select(OutboxMessage).filter_by(
        user_id=placeholder_id)).first() is None
    # the grid worker no longer acts for someone who has WeChat
    assert client.post(f"{API}/wishes", headers=gw,
                       json=_wish_body(user.id)).status_code == 404


def test_a_grid_worker_of_one_grid_does_not_act_in_another_grid(client, world, login, grids):
    other_grid = Grid(name="甲二网格", community_id=world.communities[0].id)
    db.session.add(other_grid)
    db.session.commit()
    gw = login("grid_worker")
    assert register(client, gw, grid=other_grid).status_code == 403
    assert register(client, gw, community=world.communities[0]).status_code == 403  # whole community
    resident_id = register(client, login("secretary"), grid=other_grid).get_json()["id"]
    assert client.post(f"{API}/wishes", headers=gw,
                       json=_wish_body(resident_id)).status_code == 404


def test_grid_worker_who_provided_cannot_rate(client, world, login, grids):
    world.volunteers["grid_worker"] = make_volunteer(world.users["grid_worker"],
                                                     world.communities[0])
    db.session.commit()
    gw = login("grid_worker")
    world.users["daiban"] = db.session.get(User, register(client, gw, grid=grids).get_json()["id"])
    done = make_order(world, make_offering(world, provider="grid_worker").slots[0],
                      resident="daiban", status="done")
    db.session.commit()
    resp = client.post(f"{API}/orders/{done.id}/rate", headers=gw, json={"rating": 5})
    assert resp.status_code in (403, 409)
    assert resp.get_json()["message"] in set(SIDES.values())
    assert db.session.execute(db.select(PointsEntry).filter_by(ref_type="order",
                                                               ref_id=done.id)).first() is None
