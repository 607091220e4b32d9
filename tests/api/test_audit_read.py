"""Reading the audit trail: filters, pagination, scope, the Excel export (itself audited)."""
import json
from datetime import datetime, timedelta, timezone
from io import BytesIO

from openpyxl import load_workbook

from server.audit.models import AuditEntry
from server.extensions import db

from .imports_helpers import API, scoped_admin


def _rows(world):
    a, b, _ = world.communities
    at = datetime(2026, 11, 1, 2, tzinfo=timezone.utc)
    for i, (scope, action) in enumerate([(f"community:{a.id}", "wish.approve"),
                                         (f"community:{b.id}", "wish.approve"),
                                         (f"street:{world.streets[1].id}", "matching.run"),
                                         ("", "points.rule")]):
        db.session.add(AuditEntry(actor_id=world.users["secretary"].id, actor_role="secretary",
                                  action=action, object_type="wish", object_id=str(i),
                                  scope=scope, at=at + timedelta(hours=i)))
    db.session.commit()


def test_filters_and_pagination(client, world, login):
    _rows(world)
    admin = login("admin")
    resp = client.get(f"{API}/audit?action=wish.approve&page_size=1", headers=admin)
    assert resp.status_code == 200 and len(resp.get_json()) == 1
    assert json.loads(resp.headers["X-Pagination"])["total"] == 2
    window = client.get(f"{API}/audit?from=2026-11-01T11:30:00%2B08:00"
                        f"&to=2026-11-01T12:30:00%2B08:00", headers=admin).get_json()
    assert [r["action"] for r in window] == ["matching.run"]
    assert client.get(f"{API}/audit?from=yesterday", headers=admin).status_code == 422


def test_a_community_admin_reads_only_their_communitys_rows(client, world, login):
    _rows(world)
    scoped_admin(world, "admin_a", community_id=world.communities[0].id)
    rows = client.get(f"{API}/audit", headers=login("admin_a")).get_json()
    assert [r["scope"] for r in rows] == [f"community:{world.communities[0].id}"]
    everything = client.get(f"{API}/audit", headers=login("admin")).get_json()
    assert len(everything) == 4


def test_export_has_title_headers_and_is_itself_audited(client, world, login):
    _rows(world)
    resp = client.get(f"{API}/audit.xlsx?object_type=wish", headers=login("admin"))
    assert resp.status_code == 200
    sheet = load_workbook(BytesIO(resp.data)).active
    assert "审计日志" in sheet["A1"].value and sheet["A2"].value == "编号"
    assert sheet.freeze_panes == "A3" and sheet.max_row == 2 + 4
    export = db.session.execute(db.select(AuditEntry).filter_by(action="audit.export")).scalar_one()
    assert export.actor_id == world.users["admin"].id and export.detail == {"object_type": "wish"}
