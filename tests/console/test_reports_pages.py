"""The reports' console pages (issue 13): the same services as the API, the same scope rules,
SVG charts drawn on the server, Excel downloads (audited) and a printable list with masked names."""
from server.audit.models import AuditEntry
from server.excel import read_sheet
from server.extensions import db
from tests.factories import make_wish


def test_reports_page_draws_charts_of_the_secretarys_community(console, world):
    page = console("secretary").get("/console/reports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<svg") == 3  # one community: no comparison chart
    assert "心愿发布与完成" in html and "甲社区" in html
    street = console("street_secretary").get("/console/reports").get_data(as_text=True)
    assert street.count("<svg") == 4 and "各社区对比" in street and "乙社区" in street


def test_reports_pages_refuse_a_scope_outside_the_secretarys(console, world):
    b = world.communities[1].id
    browser = console("secretary")
    for path in ("/console/reports", "/console/reports/ledger", "/console/reports/figures.xlsx",
                 "/console/reports/ledger.xlsx", "/console/print/open-wishes"):
        assert browser.get(f"{path}?scope=community:{b}").status_code == 403, path
        assert browser.get(f"{path}?scope=street:{world.streets[0].id}").status_code == 403
        assert browser.get(f"{path}?scope=city:1").status_code == 422
        assert browser.get(f"{path}?from=2026-13-01").status_code == 422
    assert not db.session.execute(db.select(AuditEntry).where(
        AuditEntry.action.like("reports.%"))).first()


def test_exports_download_from_the_console_and_are_audited(console, world):
    browser = console("street_secretary")
    resp = browser.client.get("/console/reports/figures.xlsx?group_by=week")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    title, headers, body = read_sheet(resp.data)
    assert title.startswith("测试街道1服务数据统计") and headers[0] == "统计期"
    assert any(r and r[0] == "合计" for r in body)
    ledger = browser.client.get("/console/reports/ledger.xlsx")
    _, headers, body = read_sheet(ledger.data)
    assert headers[2] == "手机号（已脱敏）"
    assert {e.action for e in db.session.execute(db.select(AuditEntry)).scalars()} >= {
        "reports.figures_export", "reports.ledger_export"}


def test_ledger_page_masks_phones(console, world):
    html = console("secretary").get("/console/reports/ledger").get_data(as_text=True)
    assert "138****5678" in html and "13812345678" not in html


def test_printable_open_wishes_mask_names_and_show_no_address(console, world):
    make_wish(world, owner="resident2", status="open", title="想学用智能手机")
    db.session.commit()
    html = console("secretary").get("/console/print/open-wishes").get_data(as_text=True)
    assert "想学用智能手机" in html and "张*" in html and "王**" in html
    assert "张伟" not in html and "甲路" not in html and "1393333" not in html
    assert "size: A4" in open("console/static/print.css", encoding="utf-8").read()


def test_printable_service_day_menu_lists_venues_and_stalls(console, world):
    from server.service_days.models import Stall
    from tests.order_world import add_orders
    add_orders(world)
    day = world.service_day
    db.session.add(Stall(day_venue_id=day.venues[0].id, offering_id=world.offering.id))
    db.session.commit()
    html = console("secretary").get(f"/console/print/service-day/{day.id}").get_data(as_text=True)
    assert day.title in html and "主会场" in html and world.venue.name in html
    assert world.offering.title in html
    assert "13812345678" not in html and "138****" not in html
    assert console("secretary").get("/console/print/service-day/999999").status_code == 404
    listed = console("secretary").get("/console/service-days").get_data(as_text=True)
    assert day.title in listed and f"/console/print/service-day/{day.id}" in listed
    other = console("secretary_b").get("/console/service-days").get_data(as_text=True)
    assert day.title in other  # 乙 lies in the same street
