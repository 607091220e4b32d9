"""The volunteer service system's console pages (issue 16a) as a person uses them, on the demo
district: the workbench's queues, posts (confirm a duty log), pairings (overdue, export), the
engine's pairing proposals drawn on the map and accepted, and a volunteer's file."""
from server.extensions import db
from server.pairings.models import PairingProposal
from server.posts.models import PostLog


def test_secretary_works_posts_pairings_and_proposals(console_as):
    page = console_as("demo-secretary")
    for endpoint in ("console.posts", "console.pairings", "console.pairing_proposals"):
        assert page.locator(f"[data-queue='{endpoint}'] .count").count() == 1
    assert int(page.locator("[data-queue='console.pairings'] .count").inner_text()) >= 1

    page.locator("nav a", has_text="设岗定职").click()
    page.wait_for_url("**/console/posts")
    first = page.locator("#logs-form tbody tr").first
    log_id = int(first.get_attribute("data-log"))
    first.locator("input[name=ids]").check()
    page.locator("#logs-form button[value=approve]").click()
    page.wait_for_url("**/console/posts")
    assert "已确认 1 条履职记录" in page.locator(".flash").inner_text()
    db.session.remove()
    assert db.session.get(PostLog, log_id).status == "confirmed"

    page.locator("nav a", has_text="结对帮扶").click()
    assert "走访逾期" in page.locator("#overdue-count").inner_text()
    with page.expect_download() as download:
        page.locator("#export-pairings").click()
    assert download.value.suggested_filename == "pairings.xlsx"

    page.locator("nav a", has_text="引擎推荐结对").click()
    page.wait_for_url("**/console/pairings/proposals")
    canvas = page.locator("#pairing-map")
    assert int(canvas.get_attribute("data-drawn")) >= 1  # drawn by our own script (CSP intact)
    row = page.locator("#decide-proposals tbody tr").first
    proposal_id = int(row.get_attribute("data-proposal"))
    assert "相距" in row.inner_text()
    row.locator("input[name=ids]").check()
    page.locator("#decide-proposals button[value=approve]").click()
    page.wait_for_url("**/console/pairings/proposals")
    assert "已采纳 1 条结对建议" in page.locator(".flash").inner_text()
    db.session.remove()
    assert db.session.get(PairingProposal, proposal_id).status == "accepted"


def test_volunteer_file_page_and_its_excel(console_as):
    page = console_as("demo-secretary")
    page.locator("nav a", has_text="一人一档").click()
    page.locator("input[name=q]").fill("李建国")
    page.locator("form button", has_text="查找").click()
    page.locator("a", has_text="查看档案").first.click()
    assert "李建国 的档案" in page.locator("h1").inner_text()
    assert page.locator("[data-section='posts'] tbody tr").count() >= 1
    assert page.locator("[data-section='pairings'] tbody tr").count() >= 1
    with page.expect_download() as download:
        page.locator("#export-file").click()
    assert download.value.suggested_filename.endswith("-file.xlsx")


def test_the_pages_fit_a_tablet(console_as, browser_page):
    browser_page.set_viewport_size({"width": 820, "height": 1180})
    page = console_as("demo-street-secretary")
    page.goto("/console/pairings/proposals")
    assert page.locator("h1").inner_text().startswith("引擎推荐结对")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 820 + 1
