"""Issue 10, findings 1, 8, 10, 12: scope containment (server/policy/scope.py), duplicate grants,
list vs detail, unverified phones — each test replays the review's attack."""
import pytest

from server.errors import Forbidden
from server.extensions import db
from server.identity.models import Grid, RoleGrant, Street, User
from server.policy.scope import (
    Scope,
    ScopeKind,
    actor_covers,
    communities_covered,
    require_covers,
    scope_contains,
)
from tests.concurrency import race
from tests.order_world import add_orders

from .matrix import BODIES, fill_path

API = "/api/v1"


def _grant(world, key, role, **scope):
    db.session.add(RoleGrant(user_id=world.users[key].id, role=role, **scope))
    db.session.commit()


@pytest.fixture
def community_admin(world, login):
    """The review's attacker: an admin whose grant covers community A only."""
    from tests.factories import make_user
    a = world.communities[0]
    world.users["admin_a"] = make_user("admin_a", a, "周管理")
    _grant(world, "admin_a", "admin", community_id=a.id)
    return login("admin_a")


def _grants_of(user_id):
    return db.session.execute(db.select(RoleGrant).filter_by(user_id=user_id, revoked_at=None)
                              .order_by(RoleGrant.id)).scalars().all()


# --- the policy itself -----------------------------------------------------------------------

def test_containment_is_read_from_the_org_tree(world):
    a, b, c = world.communities
    s1, s2 = world.streets
    grid = Grid(name="一网格", community_id=a.id)
    empty = Street(name="新街道", district_id=world.district.id)
    db.session.add_all([grid, empty])
    db.session.flush()
    d = Scope(ScopeKind.DISTRICT, world.district.id)
    assert scope_contains(d, Scope(ScopeKind.GRID, grid.id))
    assert scope_contains(d, Scope(ScopeKind.STREET, empty.id))
    assert scope_contains(Scope(ScopeKind.STREET, s1.id), Scope(ScopeKind.COMMUNITY, b.id))
    assert not scope_contains(Scope(ScopeKind.STREET, s1.id), Scope(ScopeKind.COMMUNITY, c.id))
    assert not scope_contains(Scope(ScopeKind.COMMUNITY, a.id), Scope(ScopeKind.STREET, s1.id))
    # A street with no community is not "covered" by holding every community (there are none).
    assert not scope_contains(Scope(ScopeKind.COMMUNITY, a.id), Scope(ScopeKind.STREET, empty.id))


def test_actor_covers_by_role(world):
    from server.identity.services import load_actor
    street_secretary = load_actor(world.users["street_secretary"].id)
    s1 = Scope(ScopeKind.STREET, world.streets[0].id)
    assert actor_covers(street_secretary, s1, roles=("secretary",))
    assert not actor_covers(street_secretary, s1)  # not an admin
    with pytest.raises(Forbidden):
        require_covers(street_secretary, s1)
    assert communities_covered(street_secretary, ("secretary",)) == {
        world.communities[0].id, world.communities[1].id}
    assert communities_covered(street_secretary, ("admin",)) == frozenset()


# --- finding 1: scope escalation -------------------------------------------------------------

@pytest.mark.parametrize("extra", ["district_id", "street_id"])
def test_community_admin_cannot_grant_herself_a_wider_scope(client, world, community_admin, extra):
    a = world.communities[0]
    wider = {"district_id": world.district.id, "street_id": world.streets[0].id}[extra]
    # The review's request: her own community plus a wider scope in one grant.
    both = client.post(f"{API}/admin/roles", headers=community_admin,
                       json={"openid": "admin_a", "role": "admin", "community_id": a.id,
                             extra: wider})
    assert both.status_code == 422
    alone = client.post(f"{API}/admin/roles", headers=community_admin,
                        json={"openid": "admin_a", "role": "admin", extra: wider})
    assert alone.status_code == 403
    assert [(g.community_id, g.street_id, g.district_id)
            for g in _grants_of(world.users["admin_a"].id)] == [(a.id, None, None)]


def test_grant_names_one_scope_of_the_roles_kind(client, world, login):
    admin = login("admin")
    a = world.communities[0]
    for body in ({"role": "secretary", "district_id": world.district.id},  # wrong kind
                 {"role": "admin"},  # no scope
                 {"role": "secretary", "community_id": a.id, "street_id": world.streets[0].id},
                 {"role": "station_keeper", "community_id": a.id},
                 {"role": "secretary", "community_id": 999999}):
        resp = client.post(f"{API}/admin/roles", headers=admin, json={"openid": "x", **body})
        assert resp.status_code == 422, (body, resp.get_json())
    grid = Grid(name="一网格", community_id=a.id)
    db.session.add(grid)
    db.session.commit()
    ok = client.post(f"{API}/admin/roles", headers=admin,
                     json={"openid": "gw", "role": "grid_worker", "grid_id": grid.id})
    assert ok.status_code == 201 and ok.get_json()["grid_id"] == grid.id


def test_community_admin_cannot_act_in_other_communities(client, world, community_admin):
    b, c = world.communities[1], world.communities[2]
    for community in (b, c):
        resp = client.post(f"{API}/admin/roles", headers=community_admin,
                           json={"openid": "new-sec", "role": "secretary",
                                 "community_id": community.id})
        assert resp.status_code == 403
    # ... nor read other communities' volunteers (with their phones)
    assert client.get(f"{API}/volunteers", headers=community_admin,
                      query_string={"community_id": b.id}).status_code == 404
    listed = client.get(f"{API}/volunteers", headers=community_admin).get_json()
    assert listed and {v["community_id"] for v in listed} == {world.communities[0].id}
    vb = world.volunteers["volunteer_b"].id
    assert client.get(f"{API}/volunteers/{vb}", headers=community_admin).status_code == 404


def test_revoking_others_grants_out_of_scope_is_404(client, world, community_admin, login):
    for key in ("secretary_b", "street_secretary", "admin"):
        grant = _grants_of(world.users[key].id)[0]
        resp = client.post(f"{API}/admin/roles/{grant.id}/revoke", headers=community_admin)
        assert resp.status_code == 404, key
        assert _grants_of(world.users[key].id)
    own = _grants_of(world.users["secretary"].id)[0]  # community A: hers
    assert client.post(f"{API}/admin/roles/{own.id}/revoke",
                       headers=community_admin).status_code == 200


def test_only_a_district_admin_changes_point_rules(client, world, community_admin, login):
    _grant(world, "street_secretary", "admin", street_id=world.streets[0].id)
    for headers in (community_admin, login("street_secretary")):
        resp = client.put(f"{API}/points/rules/wish_confirmed", headers=headers,
                          json={"points": 999})
        assert resp.status_code == 403
    rules = {r["code"]: r["points"] for r in client.get(f"{API}/points/rules").get_json()}
    assert rules["wish_confirmed"] == 10
    assert client.put(f"{API}/points/rules/wish_confirmed", headers=login("admin"),
                      json={"points": 12}).status_code == 200


def test_grant_list_is_limited_to_the_admins_scope(client, world, community_admin, login):
    a = world.communities[0]
    rows = client.get(f"{API}/admin/roles", headers=community_admin).get_json()
    assert rows and all(r["community_id"] == a.id for r in rows)
    holders = {r["user_id"] for r in rows}
    assert world.users["secretary_b"].id not in holders
    assert world.users["admin"].id not in holders  # a district grant is wider than hers
    everything = client.get(f"{API}/admin/roles", headers=login("admin")).get_json()
    assert len(everything) == len(db.session.execute(db.select(RoleGrant)).all())


def test_volunteer_grant_cannot_take_another_communitys_applicant(client, world, community_admin):
    a = world.communities[0]
    applicant_b = world.volunteers["applicant_b"]
    resp = client.post(f"{API}/admin/roles", headers=community_admin,
                       json={"openid": "applicant_b", "role": "volunteer", "community_id": a.id})
    assert resp.status_code == 403
    db.session.refresh(applicant_b)
    assert (applicant_b.status, applicant_b.community_id) == ("pending", world.communities[1].id)
    own = client.post(f"{API}/admin/roles", headers=community_admin,
                      json={"openid": "applicant", "role": "volunteer", "community_id": a.id})
    assert own.status_code == 201


# --- finding 8: duplicate grants ---------------------------------------------------------------

def test_the_same_grant_twice_is_409(client, world, login):
    admin = login("admin")
    body = {"openid": "dup", "role": "secretary", "community_id": world.communities[1].id}
    assert client.post(f"{API}/admin/roles", headers=admin, json=body).status_code == 201
    again = client.post(f"{API}/admin/roles", headers=admin, json=body)
    assert again.status_code == 409 and again.get_json()["code"] == 409
    user = db.session.execute(db.select(User).filter_by(openid="dup")).scalar_one()
    grants = _grants_of(user.id)
    assert len(grants) == 1
    assert client.post(f"{API}/admin/roles/{grants[0].id}/revoke", headers=admin).status_code == 200
    assert client.get(f"{API}/volunteers", headers=_login_after(client, "dup")).status_code == 403


def _login_after(client, openid):
    import itertools
    code = f"fake:{openid}:after-{next(itertools.count())}"
    token = client.post(f"{API}/auth/wechat-login", json={"code": code}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_database_refuses_a_second_live_grant(world):
    from sqlalchemy.exc import IntegrityError
    b = world.communities[1]
    _grant(world, "resident", "secretary", community_id=b.id)
    with pytest.raises(IntegrityError):
        _grant(world, "resident", "secretary", community_id=b.id)
    db.session.rollback()


def test_ten_concurrent_grants_make_one_row(app, client, world, login):
    admin = login("admin")
    body = {"openid": "racer", "role": "secretary", "community_id": world.communities[2].id}
    results = race(app, [("POST", f"{API}/admin/roles", admin, body)] * 10)
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1 and set(statuses) <= {201, 409}, results
    db.session.rollback()  # a fresh snapshot: the racers committed in other connections
    user = db.session.execute(db.select(User).filter_by(openid="racer")).scalar_one()
    assert len(_grants_of(user.id)) == 1


# --- finding 10: lists and details agree -------------------------------------------------------

def test_matching_runs_list_and_detail_agree(client, world, login):
    from server.matching_runs.models import MatchingRun
    street_run = MatchingRun(street_id=world.streets[0].id, status="done", stats={})
    db.session.add(street_run)
    db.session.commit()
    for who in ("secretary", "secretary_b", "street_secretary", "admin"):
        headers = login(who)
        listed = {r["id"] for r in client.get(f"{API}/matching/runs", headers=headers).get_json()}
        for run_id in (world.run.id, street_run.id):
            status = client.get(f"{API}/matching/runs/{run_id}", headers=headers).status_code
            assert (status == 200) == (run_id in listed), (who, run_id, status)
    sec = {r["id"] for r in client.get(f"{API}/matching/runs", headers=login("secretary")).get_json()}
    assert street_run.id not in sec


def _listed_ids(client, path, headers):
    return {row["id"] for row in client.get(API + path, headers=headers,
                                            query_string={"page_size": 100}).get_json()}


@pytest.mark.parametrize("who", ["secretary", "secretary_b", "street_secretary", "admin"])
def test_volunteer_and_order_lists_agree_with_details(client, world, login, who):
    from server.orders.models import ServiceOrder
    from server.volunteers.models import Volunteer

    add_orders(world)
    db.session.commit()
    headers = login(who)
    for path, model in (("/volunteers", Volunteer), ("/orders", ServiceOrder)):
        listed = _listed_ids(client, path, headers)
        for row_id in db.session.execute(db.select(model.id)).scalars():
            status = client.get(f"{API}{path}/{row_id}", headers=headers).status_code
            assert (status == 200) == (row_id in listed), (who, path, row_id, status)


# --- finding 12: unverified phones ------------------------------------------------------------

def test_a_typed_in_phone_is_not_shown_to_others(client, world, login):
    owner = login("resident")
    me = client.patch(f"{API}/me", headers=owner, json={"phone": "13900009999"}).get_json()
    assert me["phone"] == "13900009999" and me["phone_verified_via"] is None
    wish = world.wishes["claimed"]
    for who in ("volunteer", "secretary"):  # the active claimer and the community's secretary
        contact = client.get(f"{API}/wishes/{wish.id}", headers=login(who)).get_json()["contact"]
        assert contact["phone"] is None and contact["phone_verified_via"] is None, who
    mine = client.get(f"{API}/wishes/{wish.id}", headers=owner).get_json()["contact"]
    assert mine["phone"] == "13900009999"
    # Verified through WeChat's getPhoneNumber, it is shown again, marked as such.
    client.post(f"{API}/me/phone", headers=owner, json={"code": "fake-phone:13900008888:z"})
    contact = client.get(f"{API}/wishes/{wish.id}", headers=login("volunteer")).get_json()["contact"]
    assert contact["phone"] == "13900008888" and contact["phone_verified_via"] == "wechat"


def test_unverified_phone_hidden_in_orders_volunteers_and_residents(client, world, login):
    from server.orders.models import ServiceOrder
    add_orders(world)
    resident = db.session.get(User, world.users["resident"].id)
    resident.phone, resident.phone_verified_via = "13900007777", None
    db.session.get(User, world.users["volunteer"].id).phone_verified_via = None
    db.session.commit()
    sec = login("secretary")
    order_ids = db.session.execute(db.select(ServiceOrder.id).filter_by(
        resident_id=resident.id)).scalars().all()
    rows = [r for r in client.get(f"{API}/orders", headers=sec).get_json() if r["id"] in order_ids]
    assert rows and all(r["resident_phone"] is None for r in rows)
    for order_id in order_ids:
        body = client.get(f"{API}/orders/{order_id}", headers=sec).get_json()
        assert body["contact"]["phone"] is None and body["resident_phone"] is None
    own = client.get(f"{API}/orders/{order_ids[0]}", headers=login("resident")).get_json()
    assert own["contact"]["phone"] == "13900007777"
    vol = client.get(f"{API}/volunteers/{world.volunteers['volunteer'].id}", headers=sec).get_json()
    assert vol["phone"] is None and vol["phone_verified_via"] is None
    other = client.get(f"{API}/volunteers/{world.volunteers['volunteer2'].id}",
                       headers=sec).get_json()
    assert other["phone"] and other["phone_verified_via"] == "wechat"


def test_staff_entered_phone_counts_as_verified(world):
    from server.errors import NotFound
    from server.identity.roles import set_phone_by_staff
    from server.identity.services import load_actor
    secretary = load_actor(world.users["secretary"].id)
    user = set_phone_by_staff(secretary, world.users["resident"].id, "13900006666")
    assert user.contact_phone == "13900006666" and user.phone_verified_via == "staff"
    with pytest.raises(NotFound):
        set_phone_by_staff(secretary, world.users["resident_b"].id, "13900005555")


# --- the sweep: every endpoint that takes a scope refuses one outside the caller's -----------

SCOPE_PARAMS = ("community_id", "street_id", "district_id", "grid_id", "unit_id")
# Endpoints naming their scope as ?scope=<kind>&id=<id> (the reports, issue 13): each kind is
# swept with the same outside values as its *_id parameter.
SCOPE_KINDS_OF_PAIR = {"community_id": "community", "street_id": "street",
                       "district_id": "district"}
# Public endpoints (no login; a scope there is only a filter of public data) are left out by
# the app's own list of them. Beyond those, endpoints whose scope parameter is not a scope of
# authority; everything else taking a scope must refuse one outside the caller's.
NOT_AUTHORITY = {
    "PATCH /me",  # the resident's own home community
    "POST /wishes",  # a resident's own wish, reviewed by that community's secretary
    "POST /volunteers/apply",  # the community the applicant reports to
    "POST /services",  # an active volunteer publishes in her community; scope checked there
}


def _scope_endpoints(client):
    from .test_auth_matrix import _served_endpoints
    served = set(_served_endpoints(client.application))
    spec = client.get(f"{API}/openapi.json").get_json()
    found = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            if ref:
                schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                names |= set(schema.get("properties", {}))
            pair = {"scope", "id"} <= names and method == "get"  # issue 13: ?scope=&id=
            names &= set(SCOPE_PARAMS)
            key = f"{method.upper()} {path[len('/api/v1'):] if path.startswith('/api/v1') else path}"
            if pair and key in served:
                found[key] = (set(SCOPE_KINDS_OF_PAIR), "scope-id")
            elif names and key in served:
                found[key] = (names, "query" if method == "get" else "json")
    return found


def test_scope_endpoints_are_found(client, world):
    found = _scope_endpoints(client)
    for key in ("POST /admin/roles", "POST /matching/runs", "GET /matching/runs",
                "GET /volunteers", "GET /orders", "POST /venues", "POST /service-days",
                "GET /reports/figures", "GET /reports/figures.xlsx", "GET /reports/communities",
                "GET /reports/volunteer-ledger", "GET /reports/volunteer-ledger.xlsx"):
        assert key in found, sorted(found)


def _outside_values(world):
    empty = Street(name="无社区的新街道", district_id=world.district.id)
    db.session.add(empty)
    db.session.commit()
    return {"community_id": [world.communities[1].id, world.communities[2].id],
            "street_id": [world.streets[0].id, world.streets[1].id, empty.id],
            "district_id": [world.district.id], "grid_id": [], "unit_id": []}


def test_sweep_no_endpoint_accepts_a_scope_outside_the_callers(client, world, login,
                                                              community_admin):

    add_orders(world)
    outside = _outside_values(world)
    callers = {"secretary": login("secretary"), "admin_a": community_admin}
    checked = 0
    for key, (names, where) in sorted(_scope_endpoints(client).items()):
        if key in NOT_AUTHORITY:
            continue
        method, template = key.split(" ", 1)
        path = API + fill_path(template, world, key)
        for name in sorted(names):
            for value in outside[name]:
                base = {k: v for k, v in BODIES.get(key, {}).items() if k not in SCOPE_PARAMS}
                if key == "POST /admin/roles":
                    base["role"] = "admin"  # takes every kind the sweep sends
                for who, headers in callers.items():
                    kwargs = ({"query_string": {name: value}} if where == "query"
                              else {"query_string": {"scope": SCOPE_KINDS_OF_PAIR[name],
                                                     "id": value}} if where == "scope-id"
                              else {"json": {**base, name: value}})
                    resp = client.open(path, method=method, headers=headers, **kwargs)
                    assert resp.status_code in (403, 404), (key, name, value, who,
                                                            resp.status_code, resp.get_json())
                    checked += 1
    assert checked >= 20
