"""The care pages as people use them (issue 15), in Chromium on the demo district."""
from server.care.models import Case, CaseStatus
from server.extensions import db


def test_unit_secretary_verifies_from_the_queue_and_sees_revisits_due(console_as):
    page = console_as("demo-unit-secretary")
    page.goto("/console/care/cases?tab=unit")
    first = page.locator("tr[data-case] a").first
    case_id = int(first.inner_text().lstrip("#"))
    first.click()
    status = db.session.get(Case, case_id).status
    if status == CaseStatus.APPLIED:
        page.fill("#verify-form textarea[name=findings]", "经走访核实，情况属实")
        page.fill("#verify-form textarea[name=recommendation]", "建议给予长期帮扶")
        page.locator("#verify-form button").click()
        page.wait_for_selector(".flash")
        assert page.locator("#case-status").inner_text() == "单位已核实"
        db.session.expire_all()
        assert db.session.get(Case, case_id).status == CaseStatus.VERIFIED
    page.goto("/console/care/cases?tab=contact")
    assert page.locator("tr[data-case]").count() >= 1
    assert page.locator("tr[data-case] .tag.warn").count() >= 1  # overdue revisits shown


def test_leading_group_sees_publications_and_fund_officer_the_charts(console_as, browser_page):
    page = console_as("demo-leading-group")
    page.goto("/console/care/cases?tab=decide")
    assert page.locator("tr[data-case]").count() == 40
    page.locator("form[action='/console/logout'] button").click()
    page.wait_for_url("**/console/login")
    page = console_as("demo-fund-officer")
    page.goto("/console/care/fund")
    assert "账目平衡" in page.locator("h1").inner_text()
    rates = page.locator("#participation progress")
    assert rates.count() >= 5
    page.goto("/console/care/batches")
    assert "已发放" in page.locator("tr[data-batch] .status").first.inner_text()
