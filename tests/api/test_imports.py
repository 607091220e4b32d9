"""Excel imports: each kind good, bad rows, idempotent re-run, update; bad input of every sort;
all-or-nothing; scope."""
from datetime import date

from openpyxl import Workbook

from server.extensions import db
from server.identity.models import Community, Consent, Unit, User
from server.org.imports.templates import _save
from server.volunteers.models import Volunteer

from .imports_helpers import API, resident_row, scoped_admin, upload, volunteer_row


def _count(model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_communities_import_create_rerun_update_and_dry_run(client, world, login):
    admin = login("admin")
    rows = [{"street": "测试街道1", "name": "丁社区", "lat": 30.30, "lng": 120.16},
            {"street": "测试街道2", "name": "戊社区", "lat": 30.31, "lng": 120.17,
             "boundary": '{"type":"Polygon","coordinates":[[[120.1,30.3],[120.2,30.3],'
                         '[120.2,30.4],[120.1,30.3]]]}'}]
    dry = upload(client, admin, "communities", rows, dry_run=True).get_json()
    assert (dry["status"], dry["rows"], dry["errors"]) == ("checked", 2, [])
    assert _count(Community) == 3
    first = upload(client, admin, "communities", rows)
    assert first.status_code == 201
    assert (first.get_json()["status"], first.get_json()["created"]) == ("done", 2)
    again = upload(client, admin, "communities", rows).get_json()
    assert (again["created"], again["updated"]) == (0, 0)
    rows[0]["lat"] = 30.305
    changed = upload(client, admin, "communities", rows).get_json()
    assert (changed["created"], changed["updated"]) == (0, 1)
    assert _count(Community) == 5
    progress = client.get(f"{API}/admin/imports/{changed['id']}", headers=admin).get_json()
    assert (progress["status"], progress["processed"]) == ("done", 2)


def test_units_import_links_a_community_and_updates(client, world, login):
    admin = login("admin")
    rows = [{"name": "区财政局党支部", "kind": "机关", "street": "测试街道1", "community": "甲社区"}]
    assert upload(client, admin, "units", rows).get_json()["created"] == 1
    assert upload(client, admin, "units", rows).get_json()["updated"] == 0
    rows[0]["kind"] = "事业单位"
    assert upload(client, admin, "units", rows).get_json()["updated"] == 1
    unit = db.session.execute(db.select(Unit).filter_by(name="区财政局党支部")).scalar_one()
    assert (unit.kind, unit.community_id) == ("事业单位", world.communities[0].id)


def test_volunteer_roster_import_rerun_and_update(client, world, login):
    admin = login("admin")
    rows = [volunteer_row(i) for i in range(5)]
    rows[0]["reported_on"] = date(2026, 3, 1)
    body = upload(client, admin, "volunteers", rows).get_json()
    assert (body["status"], body["created"], body["errors"]) == ("done", 5, [])
    vol = db.session.execute(db.select(Volunteer).join(User, User.id == Volunteer.user_id)
                             .where(User.phone == "17700000001")).scalar_one()
    assert vol.status == "active" and vol.skills == ["appliance_repair", "haircut"]
    assert {"weekday": 5, "start": "09:00", "end": "12:00"} in vol.availability
    assert upload(client, admin, "volunteers", rows).get_json()["updated"] == 0
    rows[1]["capacity_per_day"] = 3
    rows[2]["status"] = "已退出"
    assert upload(client, admin, "volunteers", rows).get_json()["updated"] == 2
    assert _count(Volunteer) == len(world.volunteers) + 5


def test_residents_import_hardship_tier_only_with_consent(client, world, login):
    admin = login("admin")
    rows = [resident_row(1, need_tier=1, hardship_consent="是"), resident_row(2),
            resident_row(3, need_tier=2, hardship_consent="否")]
    body = upload(client, admin, "residents", rows).get_json()
    assert body["status"] == "failed" and body["created"] == 0
    assert body["errors"] == [{"row": 4, "column": "困难等级(1-3)", "message": body["errors"][0][
        "message"]}] and "同意书" in body["errors"][0]["message"]
    assert db.session.execute(db.select(User).filter_by(phone="16600000001")).first() is None
    rows[2]["hardship_consent"] = "是"
    assert upload(client, admin, "residents", rows).get_json()["created"] == 3
    tiered = db.session.execute(db.select(User).filter_by(phone="16600000001")).scalar_one()
    assert tiered.need_tier == 1 and tiered.openid.startswith("import:")
    assert db.session.execute(db.select(Consent).filter_by(user_id=tiered.id,
                                                           purpose="hardship")).scalar_one()
    again = upload(client, admin, "residents", rows).get_json()
    assert (again["created"], again["updated"]) == (0, 0)
    rows[1]["address"] = "甲路99号"
    assert upload(client, admin, "residents", rows).get_json()["updated"] == 1


def test_ten_thousand_rows_with_three_bad_write_nothing(client, world, login):
    admin = login("admin")
    rows = [volunteer_row(i) for i in range(10_000)]
    rows[17]["phone"] = "12345"
    rows[5000]["community"] = "没有的社区"
    rows[9998]["phone"] = rows[3]["phone"]  # the same person twice
    body = upload(client, admin, "volunteers", rows).get_json()
    assert body["status"] == "failed" and body["rows"] == 10_000
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (19, "手机号"), (5002, "报到社区"), (10000, "手机号")]
    assert "第 5 行" in body["errors"][2]["message"]
    assert _count(Volunteer) == len(world.volunteers)


def test_a_formula_and_a_date_typed_as_text_are_row_errors(client, world, login):
    book = Workbook()
    sheet = book.active
    headers = ["姓名", "手机号", "街道", "报到社区", "所在单位", "报到日期", "每日可接任务数"]
    sheet.append(headers)
    sheet.append(["甲", "17700009991", "测试街道1", "甲社区", "区人民医院党委", "2026-03-01", 1])
    sheet.append(["乙", "17700009992", "测试街道1", "甲社区", "区人民医院党委", None, "=1+1"])
    body = upload(client, login("admin"), "volunteers", data=_save(book)).get_json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "报到日期"), (3, "每日可接任务数")]
    assert "日期" in body["errors"][0]["message"] and "公式" in body["errors"][1]["message"]
    assert _count(Volunteer) == len(world.volunteers)


def test_not_a_workbook_and_missing_columns_are_422(client, world, login):
    admin = login("admin")
    resp = upload(client, admin, "units", data=b"name,kind\nx,y\n", filename="units.csv")
    assert resp.status_code == 422 and "Excel" in resp.get_json()["message"]
    book = Workbook()
    book.active.append(["姓名", "手机号"])
    resp = upload(client, admin, "volunteers", data=_save(book))
    assert resp.status_code == 422 and "街道" in resp.get_json()["errors"]["columns"][0]
    resp = client.post(f"{API}/admin/imports?kind=units", headers=admin,
                       content_type="multipart/form-data", data={})
    assert resp.status_code == 422


def test_a_file_over_the_limit_is_413_in_the_error_shape(client, world, login, app):
    app.config["IMPORT_MAX_BYTES"] = 50_000
    try:
        resp = upload(client, login("admin"), "units", data=b"x" * 60_000)
    finally:
        app.config.pop("IMPORT_MAX_BYTES")
    assert resp.status_code == 413
    assert set(resp.get_json()) == {"code", "status", "message", "errors", "request_id"}


def test_an_admin_imports_only_inside_their_scope(client, world, login):
    scoped_admin(world, "admin_a", community_id=world.communities[0].id)
    admin_a = login("admin_a")
    rows = [volunteer_row(1), volunteer_row(2, community="乙社区"),
            volunteer_row(3, street="测试街道2", community="丙社区")]
    body = upload(client, admin_a, "volunteers", rows).get_json()
    assert [(e["row"], e["message"]) for e in body["errors"]] == [
        (3, "社区不在您的管辖范围内"), (4, "街道不在您的管辖范围内")]
    communities = [{"street": "测试街道1", "name": "新社区", "lat": 30.3, "lng": 120.1}]
    assert upload(client, admin_a, "communities", communities).get_json()["errors"][0][
        "message"].startswith("街道不在您的管辖范围内")
    units = [{"name": "区人民医院党委", "kind": "机关", "street": "测试街道1", "community": "甲社区"}]
    assert upload(client, admin_a, "units", units).get_json()["errors"][0][
        "message"] == "该单位由其他辖区管理"
    assert upload(client, login("secretary"), "units", units).status_code == 403
    assert _count(Volunteer) == len(world.volunteers)


def test_a_roster_row_never_attaches_to_a_wechat_account_by_its_phone(client, world, login):
    """A resident who typed someone's phone into their profile does not become that volunteer."""
    resident = world.users["resident"]
    body = upload(client, login("admin"), "volunteers",
                  [volunteer_row(1, phone=resident.phone)]).get_json()
    assert body["created"] == 1
    assert db.session.execute(db.select(Volunteer).filter_by(user_id=resident.id)).first() is None


def test_a_person_of_another_scope_is_a_row_error(client, world, login):
    admin = login("admin")
    assert upload(client, admin, "residents",
                  [resident_row(1, community="乙社区")]).get_json()["created"] == 1
    scoped_admin(world, "admin_a", community_id=world.communities[0].id)
    body = upload(client, login("admin_a"), "residents", [resident_row(1)]).get_json()
    assert body["errors"][0]["message"] == "该手机号对应的人员不在您的管辖范围内"


def test_templates_have_the_columns_and_an_example(client, world, login):
    from io import BytesIO

    from openpyxl import load_workbook
    for kind in ("communities", "units", "volunteers", "residents"):
        resp = client.get(f"{API}/admin/imports/templates/{kind}.xlsx", headers=login("admin"))
        assert resp.status_code == 200
        sheet = load_workbook(BytesIO(resp.data)).active
        assert sheet.max_row == 2 and sheet.freeze_panes == "A2"
        # the template itself imports (its example row refers to the demo district's names)
        assert upload(client, login("admin"), kind, data=resp.data,
                      dry_run=True).status_code == 201
    assert client.get(f"{API}/admin/imports/templates/other.xlsx",
                      headers=login("admin")).status_code == 404


def test_cli_import_dry_run_and_import(app, world, tmp_path):
    from server.org.imports.templates import workbook_from_rows
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook_from_rows("volunteers", [volunteer_row(1), volunteer_row(2)]))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["org", "import", str(path), "--kind", "volunteers", "--dry-run"])
    assert dry.exit_code == 0 and "checked: 2 rows" in dry.output
    assert _count(Volunteer) == len(world.volunteers)
    done = runner.invoke(args=["org", "import", str(path), "--kind", "volunteers"])
    assert done.exit_code == 0 and "2 created" in done.output, done.output
    db.session.remove()
    assert _count(Volunteer) == len(world.volunteers) + 2
