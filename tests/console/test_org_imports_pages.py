"""组织架构 and 批量导入 in the console (issue 13): the services of /admin/{kind} and
/admin/imports with their policies — admins only, each in their own scope; forms need their CSRF
token; an upload is all or nothing, audited, and limited in size."""
import io
import re

from openpyxl import load_workbook

from server.audit.models import AuditEntry
from server.extensions import db
from server.identity.models import Community, Grid, RoleGrant, Unit
from server.org.imports.templates import workbook_from_rows
from server.org.models import ImportRun
from tests.api.imports_helpers import scoped_admin


def _communities(html: str) -> set[int]:
    return {int(x) for x in re.findall(r'data-community="(\d+)"', html)}


def _upload(browser, kind, rows=None, *, data=None, dry_run=False, csrf=True, name="f.xlsx"):
    body = data if data is not None else workbook_from_rows(kind, rows)
    form = {"kind": kind, "file": (io.BytesIO(body), name)}
    if dry_run:
        form["dry_run"] = "1"
    return browser.post("/console/imports", form, csrf=csrf, content_type="multipart/form-data")


def test_a_district_admin_sees_the_whole_tree_with_counts(console, world):
    html = console("admin").get("/console/org").get_data(as_text=True)
    assert _communities(html) == {c.id for c in world.communities}
    assert "测试街道1" in html and "测试街道2" in html and "测试区" in html
    row = re.search(rf'data-community="{world.communities[0].id}".*?</tr>', html, re.S).group(0)
    # 甲社区: resident, resident2, volunteer, volunteer2, applicant, secretary, street secretary,
    # admin are registered there; volunteer and volunteer2 are active
    counts = dict(re.findall(r'data-count="(\w+)"[^>]*>(\d+)<', row))
    assert counts == {"users": "8", "volunteers": "2", "members": "2"}
    assert 'id="new-street"' in html  # district-wide: may create streets


def test_a_street_admin_sees_and_changes_only_their_street(console, world):
    a, b, c = world.communities
    scoped_admin(world, "admin_s2", street_id=world.streets[1].id)
    admin = console("admin_s2")
    html = admin.get("/console/org").get_data(as_text=True)
    assert _communities(html) == {c.id}
    assert "甲社区" not in html and "乙社区" not in html and 'id="new-street"' not in html
    assert admin.post(f"/console/org/communities/{a.id}/rename",
                      {"name": "被改"}).status_code == 404
    assert admin.post(f"/console/org/communities/{a.id}/retire", {"retired": "1"}).status_code == 404
    assert admin.post("/console/org/communities/new", {
        "name": "越界社区", "street_id": world.streets[0].id, "lat": "30.3",
        "lng": "120.1"}).status_code == 403
    assert admin.post("/console/org/grids/new", {"name": "越界网格",
                                                 "community_id": a.id}).status_code == 403
    assert admin.post(f"/console/org/communities/{c.id}/rename",
                      {"name": "丙社区（新）"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Community, a.id).name == "甲社区"
    assert db.session.get(Community, a.id).retired_at is None
    assert db.session.get(Community, c.id).name == "丙社区（新）"
    assert not db.session.execute(db.select(Community).filter_by(name="越界社区")).first()


def test_an_admin_creates_renames_and_retires_through_the_services(console, world):
    admin = console("admin")
    admin.get("/console/org")
    resp = admin.post("/console/org/communities/new", {
        "name": "丁社区", "street_id": world.streets[1].id, "lat": "30.31", "lng": "120.17"})
    assert resp.status_code == 303
    created = db.session.execute(db.select(Community).filter_by(name="丁社区")).scalar_one()
    assert admin.post("/console/org/grids/new", {"name": "丁社区第1网格",
                                                 "community_id": created.id}).status_code == 303
    assert admin.post("/console/org/units/new", {"name": "区税务局党支部", "kind": "机关",
                                                 "community_id": created.id}).status_code == 303
    unit = db.session.execute(db.select(Unit).filter_by(name="区税务局党支部")).scalar_one()
    assert admin.post(f"/console/org/units/{unit.id}/rename",
                      {"name": "区税务局机关党支部"}).status_code == 303
    assert admin.post(f"/console/org/communities/{created.id}/retire",
                      {"retired": "1"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).name == "区税务局机关党支部"
    assert db.session.get(Community, created.id).retired_at is not None
    assert db.session.execute(db.select(Grid).filter_by(community_id=created.id)).scalar_one()
    actions = set(db.session.execute(db.select(AuditEntry.action).where(
        AuditEntry.action.like("org.%"))).scalars())
    assert {"org.community.create", "org.grid.create", "org.unit.create", "org.unit.update",
            "org.community.update"} <= actions
    html = admin.get("/console/org").get_data(as_text=True)
    assert "区税务局机关党支部" in html and "已停用" in html


def test_org_forms_refuse_bad_input_duplicates_and_missing_csrf(console, world):
    admin = console("admin")
    admin.get("/console/org")
    street = world.streets[0].id
    assert admin.post("/console/org/communities/new", {"name": "", "street_id": street,
                                                       "lat": "30", "lng": "120"}).status_code == 422
    assert admin.post("/console/org/communities/new", {"name": "x", "street_id": street,
                                                       "lat": "nan", "lng": "120"}).status_code == 422
    assert admin.post("/console/org/communities/new", {"name": "x", "street_id": "abc",
                                                       "lat": "30", "lng": "120"}).status_code == 422
    assert admin.post("/console/org/communities/new", {"name": "乙社区", "street_id": street,
                                                       "lat": "30", "lng": "120"}).status_code == 409
    assert admin.post("/console/org/skills/new", {"name": "x"}).status_code == 404
    assert admin.post(f"/console/org/communities/{world.communities[0].id}/rename",
                      {"name": "无校验码"}, csrf=False).status_code == 400
    assert admin.post("/console/org/communities/new", {"name": "无校验码", "street_id": street,
                                                       "lat": "30", "lng": "120"},
                      csrf=False).status_code == 400
    db.session.expire_all()
    assert db.session.get(Community, world.communities[0].id).name == "甲社区"
    assert not db.session.execute(db.select(Community).filter_by(name="无校验码")).first()


def test_secretaries_get_the_refusal_page_for_org_and_imports(console, world):
    secretary = console("street_secretary")
    for path in ("/console/org", "/console/imports", "/console/imports/templates/units.xlsx"):
        resp = secretary.get(path)
        assert resp.status_code == 403, path
        text = resp.get_data(as_text=True)
        assert "您的角色不能打开这个页面" in text or "仅管理员可以执行此操作" in text
    assert _upload(secretary, "units", [{"name": "秘书的单位"}]).status_code == 403
    assert secretary.post(f"/console/org/communities/{world.communities[0].id}/rename",
                          {"name": "x"}).status_code == 403
    db.session.expire_all()
    assert not db.session.execute(db.select(Unit).filter_by(name="秘书的单位")).first()
    assert not db.session.execute(db.select(ImportRun)).first()


def test_an_import_dry_run_with_a_bad_row_then_for_real(console, world):
    admin = console("admin")
    admin.get("/console/imports")
    rows = [{"name": "区税务局党支部", "kind": "机关", "street": "测试街道1", "community": "甲社区"},
            {"name": "区医保局党支部", "kind": "机关", "street": "测试街道1", "community": "不存在社区"}]
    resp = _upload(admin, "units", rows, dry_run=True)
    assert resp.status_code == 303
    page = admin.get(resp.headers["Location"]).get_data(as_text=True)
    assert "有错误，未写入" in page and 'id="import-errors"' in page
    errors = re.search(r'<table id="import-errors">.*?</table>', page, re.S).group(0)
    assert "<td class=\"num\">3</td>" in errors  # the bad row is the sheet's third
    assert not db.session.execute(db.select(Unit).filter_by(name="区税务局党支部")).first()
    good = _upload(admin, "units", rows[:1])
    page = admin.get(good.headers["Location"]).get_data(as_text=True)
    assert "已导入" in page and 'data-figure="created">1<' in page
    db.session.expire_all()
    assert db.session.execute(db.select(Unit).filter_by(name="区税务局党支部")).scalar_one()
    audits = db.session.execute(db.select(AuditEntry).filter_by(action="org.import")).scalars().all()
    assert len(audits) == 2 and {a.detail["status"] for a in audits} == {"failed", "done"}
    recent = admin.get("/console/imports").get_data(as_text=True)
    assert len(re.findall(r'data-import="\d+"', recent)) == 2


def test_uploads_need_csrf_a_kind_a_workbook_and_a_size_limit(console, world, app, monkeypatch):
    admin = console("admin")
    admin.get("/console/imports")
    assert _upload(admin, "units", [{"name": "无校验码单位"}], csrf=False).status_code == 400
    assert _upload(admin, "nonsense", [{"name": "x"}], data=b"x").status_code == 422
    not_a_book = _upload(admin, "units", data=b"not a workbook")
    assert not_a_book.status_code == 303
    page = admin.get(not_a_book.headers["Location"]).get_data(as_text=True)
    assert "有错误，未写入" in page
    monkeypatch.setitem(app.config, "IMPORT_MAX_BYTES", 20_000)
    assert _upload(admin, "units", data=b"x" * 20_001).status_code == 413  # the file itself
    assert _upload(admin, "units", data=b"x" * 200_000).status_code == 413  # the whole body
    db.session.expire_all()
    assert not db.session.execute(db.select(Unit).filter_by(name="无校验码单位")).first()


def test_templates_are_the_apis_workbooks(console, world, client, login):
    admin = console("admin")
    for kind in ("communities", "units", "volunteers", "residents"):
        resp = admin.client.get(f"/console/imports/templates/{kind}.xlsx")
        assert resp.status_code == 200
        api = client.get(f"/api/v1/admin/imports/templates/{kind}.xlsx", headers=login("admin"))
        sheet = load_workbook(io.BytesIO(resp.data)).active
        api_sheet = load_workbook(io.BytesIO(api.data)).active
        assert [c.value for c in sheet[1]] == [c.value for c in api_sheet[1]]
    assert admin.client.get("/console/imports/templates/nope.xlsx").status_code == 404


def test_a_narrow_admin_sees_only_their_own_imports(console, world):
    admin = console("admin")
    admin.get("/console/imports")
    first = _upload(admin, "units", [{"name": "区税务局党支部"}], dry_run=True)
    run_id = int(first.headers["Location"].rsplit("/", 1)[1])
    scoped_admin(world, "admin_a", community_id=world.communities[0].id)
    narrow = console("admin_a")
    assert 'data-import="' not in narrow.get("/console/imports").get_data(as_text=True)
    assert narrow.get(f"/console/imports/{run_id}").status_code == 404


# role × route: every console route of the org tree and imports, as each kind of staff member
# (the district admin, an admin of the other street, a community and a street secretary) and as
# a browser with no session. Expected status per column; the POSTs carry their CSRF token.
def _routes(world, who=""):
    a, _, c = world.communities
    return [  # (method, path, form, district admin, street-2 admin, secretary, street secretary)
        ("GET", "/console/org", None, 200, 200, 403, 403),
        ("GET", "/console/imports", None, 200, 200, 403, 403),
        ("GET", "/console/imports/templates/residents.xlsx", None, 200, 200, 403, 403),
        ("GET", "/console/imports/999999", None, 404, 404, 403, 403),
        ("POST", "/console/org/communities/new",
         {"name": f"矩阵社区{who}", "street_id": world.streets[0].id, "lat": "30.3", "lng": "120.1"},
         303, 403, 403, 403),
        ("POST", "/console/org/grids/new", {"name": f"矩阵网格{who}", "community_id": c.id},
         303, 303, 403, 403),
        ("POST", f"/console/org/communities/{a.id}/rename", {"name": "甲社区"},
         303, 404, 403, 403),
        ("POST", f"/console/org/communities/{c.id}/retire", {"retired": "0"},
         303, 303, 403, 403),
        ("POST", "/console/imports", {"kind": "units"}, 422, 422, 403, 403),
        ("POST", f"/console/org/communities/{a.id}/delete", {}, 409, 404, 403, 403),
        # 角色授予 (the services of /admin/roles: a non-admin's revoke is a 404 there too)
        ("GET", "/console/roles", None, 200, 200, 403, 403),
        ("POST", "/console/roles/grant", {"openid": f"m-{who}", "role": "grid_worker",
                                          "scope": f"community_id:{c.id}"}, 303, 303, 403, 403),
        ("POST", f"/console/roles/{world.matrix_grant}/revoke", {}, 303, 404, 404, 404),
    ]


def _matrix_world(world):
    """The other street's admin, and a grant in 甲社区 for the revoke row."""
    scoped_admin(world, "admin_s2", street_id=world.streets[1].id)
    grant = RoleGrant(user_id=world.users["resident2"].id, role="grid_worker",
                      community_id=world.communities[0].id)
    db.session.add(grant)
    db.session.commit()
    world.matrix_grant = grant.id


def test_the_routes_matrix(console, world, app):
    _matrix_world(world)
    users = {"admin": 3, "admin_s2": 4, "secretary": 5, "street_secretary": 6}
    for openid, column in users.items():
        browser = console(openid)
        for method, path, form, *expected in _routes(world, openid):
            if method == "GET":
                status = browser.client.get(path).status_code
            else:
                status = browser.post(path, form).status_code
            assert status == expected[column - 3], (openid, method, path, status)
    anonymous = app.test_client()
    for method, path, form, *_ in _routes(world):
        resp = anonymous.open(path, method=method, data=form)
        # no session: GETs go to the login page; POSTs have no CSRF token to match
        assert resp.status_code == (302 if method == "GET" else 400), (method, path)


def test_bad_org_and_import_input_is_a_4xx_page_never_a_5xx(console, world):
    admin = console("admin")
    admin.get("/console/org")
    for path, data in (("/console/org/communities/new", {}),
                       ("/console/org/communities/new", {"name": "x" * 51, "street_id": "1",
                                                         "lat": "1", "lng": "1"}),
                       ("/console/org/communities/new", {"name": "x", "street_id": "99999999999",
                                                         "lat": "1", "lng": "1"}),
                       ("/console/org/communities/new", {"name": "x", "street_id": "999999",
                                                         "lat": "1", "lng": "1"}),
                       ("/console/org/communities/new", {"name": "x", "street_id": "1",
                                                         "lat": "inf", "lng": "1"}),
                       ("/console/org/units/new", {"name": "x", "kind": "k" * 21}),
                       ("/console/org/units/new", {"name": "x", "community_id": "-3"}),
                       ("/console/org/grids/new", {"name": "x"}),
                       ("/console/org/streets/new", {"name": "x", "district_id": "999999"}),
                       ("/console/org/units/999999/rename", {"name": "x"}),
                       ("/console/org/communities/999999/retire", {"retired": "1"}),
                       ("/console/imports", {"kind": "residents"}),
                       ("/console/imports", {})):
        resp = admin.post(path, data)
        assert 400 <= resp.status_code < 500, (path, data, resp.status_code)
        assert "<h1>" in resp.get_data(as_text=True)


def test_every_org_and_import_route_is_in_the_matrix(app, world):
    _matrix_world(world)
    ours = {"console." + name for name in ("org", "org_create", "org_rename", "org_retire",
                                           "org_delete",
                                           "imports", "import_template", "import_upload",
                                           "import_result", "roles", "roles_grant",
                                           "roles_revoke")}
    served = {(method, rule.endpoint) for rule in app.url_map.iter_rules()
              if rule.endpoint in ours for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert {e for _, e in served} == ours
    covered = set()
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for method, path, *_ in _routes(world):
            covered.add((method, adapter.match(path, method=method)[0]))
    assert served == covered, served - covered


def test_a_running_import_shows_its_progress_and_refreshes(console, world):
    from server.org.models import ImportStatus
    run = ImportRun(kind="residents", status=ImportStatus.RUNNING, filename="大文件.xlsx",
                    actor_id=world.users["admin"].id, processed=2000)
    db.session.add(run)
    db.session.commit()
    html = console("admin").get(f"/console/imports/{run.id}").get_data(as_text=True)
    assert "导入中" in html and "已读 2000 行" in html
    assert '<meta http-equiv="refresh" content="2">' in html
    run.status = ImportStatus.DONE
    db.session.commit()
    html = console("admin").get(f"/console/imports/{run.id}").get_data(as_text=True)
    assert "已导入" in html and 'http-equiv="refresh"' not in html


def test_a_units_count_is_of_volunteers_inside_the_admins_scope_only(console, world):
    unit = world.units[0]  # not linked to a community: the district's shared catalogue
    for key in ("volunteer", "volunteer_b"):  # one in 甲社区, one in 乙社区
        world.volunteers[key].unit_id = unit.id
    db.session.commit()
    scoped_admin(world, "admin_a", community_id=world.communities[0].id)

    def shown(openid):
        html = console(openid).get("/console/org").get_data(as_text=True)
        item = re.search(rf'<li data-unit="{unit.id}">.*?</li>', html, re.S).group(0)
        return int(re.search(r"志愿者 (\d+) 人", item).group(1))
    assert shown("admin") == 2
    assert shown("admin_a") == 1


def test_an_empty_community_is_deleted_one_with_people_is_refused(console, world):
    admin = console("admin")
    admin.get("/console/org")
    admin.post("/console/org/communities/new", {"name": "空社区", "street_id": world.streets[1].id,
                                                "lat": "30.3", "lng": "120.1"})
    empty = db.session.execute(db.select(Community).filter_by(name="空社区")).scalar_one()
    html = admin.get("/console/org").get_data(as_text=True)
    assert f'/console/org/communities/{empty.id}/delete' in html
    assert f'/console/org/communities/{world.communities[0].id}/delete' not in html
    resp = admin.post(f"/console/org/communities/{world.communities[0].id}/delete", {})
    assert resp.status_code == 409 and "停用" in resp.get_data(as_text=True)
    assert admin.post(f"/console/org/communities/{empty.id}/delete", {}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Community, empty.id) is None
    assert db.session.get(Community, world.communities[0].id) is not None
