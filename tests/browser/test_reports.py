"""The reports in a real browser: charts on the page, an Excel download opened with openpyxl,
the ledger with masked phones, and a scope outside the secretary's refused."""
from io import BytesIO

from openpyxl import load_workbook


def test_secretary_downloads_the_figures_and_opens_them_with_openpyxl(console_as, tmp_path):
    page = console_as("demo-secretary")
    page.locator("nav a", has_text="数据报表").click()
    page.wait_for_url("**/console/reports")
    assert page.locator("svg.chart").count() >= 3
    assert page.locator("#figures tbody tr").count() == 30  # the last 30 days, by day
    page.select_option("select[name=group_by]", "week")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**group_by=week**")
    with page.expect_download() as info:
        page.locator("#export-figures").click()
    path = tmp_path / "figures.xlsx"
    info.value.save_as(path)
    book = load_workbook(BytesIO(path.read_bytes()))
    sheet = book["服务数据统计"]
    rows = list(sheet.iter_rows(values_only=True))
    assert "服务数据统计" in rows[0][0] and "按周" in rows[0][0]
    assert rows[1][:4] == ("统计期", "起始日", "截止日", "心愿发布数")
    totals = next(r for r in rows if r[0] == "合计")
    body = [r for r in rows[2:] if r[0] and "-W" in str(r[0])]
    assert body and totals[3] == sum(r[3] for r in body)
    assert sheet.freeze_panes == "A3"


def test_ledger_shows_masked_phones_and_a_foreign_scope_is_refused(console_as):
    page = console_as("demo-secretary")
    page.goto("/console/reports/ledger")
    cells = page.locator("#ledger tbody tr td:nth-child(3)").all_inner_texts()
    assert cells and all("****" in c or not c for c in cells)
    response = page.goto("/console/reports?scope=district:1")
    assert response.status == 403
