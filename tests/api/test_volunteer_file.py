"""一人一档: the volunteer and staff in scope read the whole file (JSON and Excel); phones are
shown to the person and to staff whose scope holds their community; reading or exporting another's file is audited; sections plug in."""
from server.audit.models import AuditEntry
from server.excel import read_sheet
from server.extensions import db
from server.points.models import PointsEntry
from server.volunteer_file.sections import SECTIONS, Section
from tests.factories import make_wish
from tests.service_system_world import make_log, make_pairing, make_post

API = "/api/v1"


def _fill(world):
    post = make_post(world, holders=("volunteer",))
    make_log(world, post, status="confirmed", minutes=120)
    make_log(world, post, status="reported", minutes=60)
    make_pairing(world)
    wish = make_wish(world, status="confirmed", claimer="volunteer")
    wish.rating, wish.confirmed_at = 4, wish.claimed_at
    db.session.add(PointsEntry(volunteer_id=world.volunteers["volunteer"].id,
                               community_id=world.communities[0].id, delta=10,
                               reason="wish_confirmed", ref_type="wish", ref_id=wish.id))
    db.session.commit()


def _audits(action):
    return db.session.execute(db.select(db.func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == action)).scalar_one()


def test_the_volunteer_reads_their_file_unaudited(client, world, login):
    _fill(world)
    vid = world.volunteers["volunteer"].id
    resp = client.get(f"{API}/volunteers/{vid}/file", headers=login("volunteer"))
    assert resp.status_code == 200, resp.get_json()
    data = resp.get_json()
    assert data["profile"]["phone"] == world.users["volunteer"].phone  # own phone
    assert data["hours"] == 3.0  # the confirmed 2-hour log + the confirmed one-hour wish
    assert data["points"] == 10 and data["ratings"] == {"count": 1, "average": 4.0}
    assert [r["status"] for r in data["sections"]["post_logs"]] == ["confirmed", "reported"]
    assert data["sections"]["pairings"][0]["household"] == "王**"
    assert set(data["sections"]) == set(SECTIONS)
    assert _audits("volunteer_file.read") == 0


def test_staff_in_scope_read_audited_others_not(client, world, login):
    _fill(world)
    vid = world.volunteers["volunteer"].id
    for who, code in (("volunteer2", 404), ("resident", 404), ("secretary_b", 404),
                      ("secretary", 200), ("street_secretary", 200), ("admin", 200)):
        resp = client.get(f"{API}/volunteers/{vid}/file", headers=login(who))
        assert resp.status_code == code, who
    phone = world.users["volunteer"].phone
    assert client.get(f"{API}/volunteers/{vid}/file",
                      headers=login("secretary")).get_json()["profile"]["phone"] == phone
    db.session.rollback()
    assert _audits("volunteer_file.read") == 4  # three staff reads + one more, none refused


def test_excel_has_a_sheet_per_section_with_totals(client, world, login):
    _fill(world)
    vid = world.volunteers["volunteer"].id
    resp = client.get(f"{API}/volunteers/{vid}/file.xlsx", headers=login("secretary"))
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    title, headers, rows = read_sheet(resp.data, "履职记录")
    assert headers[-1] == "时长（小时）"
    assert rows[-1][-1] == 2.0  # the totals row: confirmed hours only
    _, _, profile = read_sheet(resp.data, "档案")
    assert ["服务时长（小时）", "3.0"] in [list(r) for r in profile]
    db.session.rollback()
    assert _audits("volunteer_file.export") == 1
    assert client.get(f"{API}/volunteers/{vid}/file.xlsx",
                      headers=login("secretary_b")).status_code == 404


def test_excel_names_every_status_in_chinese(client, world, login):
    """The workbook is read by people: no cell is a raw status code of any machine."""
    from server.names import status_values
    _fill(world)
    vid = world.volunteers["volunteer"].id
    data = client.get(f"{API}/volunteers/{vid}/file.xlsx", headers=login("secretary")).data
    codes = status_values()
    _, _, logs = read_sheet(data, "履职记录")
    assert logs and {"已确认", "待确认"} & {c for r in logs for c in r}
    for sheet in ("档案", "认领的微心愿", "提供的点单服务", "设岗定职", "履职记录", "结对帮扶"):
        _, _, rows = read_sheet(data, sheet)
        raw = {c for r in rows for c in r if isinstance(c, str) and c in codes}
        assert not raw, (sheet, raw)


def test_a_section_plugs_in_with_one_line(client, world, login):
    SECTIONS["extra"] = Section("extra", "测试部分", (), lambda v: [{"hours": 1.5}])
    try:
        data = client.get(f"{API}/volunteers/{world.volunteers['volunteer'].id}/file",
                          headers=login("volunteer")).get_json()
    finally:
        del SECTIONS["extra"]
    assert data["sections"]["extra"] == [{"hours": 1.5}] and data["hours"] == 1.5
    assert data["titles"]["extra"] == "测试部分"


def test_times_in_the_file_are_iso_8601_with_offset(client, world, login):
    _fill(world)
    data = client.get(f"{API}/volunteers/{world.volunteers['volunteer'].id}/file",
                      headers=login("volunteer")).get_json()
    at = data["sections"]["post_logs"][0]["at"]
    assert at.endswith("+08:00") and "T" in at
