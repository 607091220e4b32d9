"""The volunteer service system's console pages (part b) as a person uses them, on the demo
district: the three lists and publishing a project, the service day's live check-ins, and the
star review queue — the branch secretary scores, the street secretary approves."""
from server.extensions import db
from server.projects.models import Project
from server.stars.models import ReviewStatus, StarReview


def test_secretary_publishes_a_project_beside_the_three_lists(console_as):
    page = console_as("demo-secretary")
    page.locator("nav a", has_text="项目清单").click()
    page.wait_for_url("**/console/projects")
    for name in ("needs", "resources", "projects"):
        assert page.locator(f"[data-list='{name}'] li").count() >= 1
    assert page.locator("[data-list='projects']").inner_text().count("四点半课堂作业辅导") == 1
    page.fill("#publish-form input[name='title']", "社区图书角整理")
    page.locator("#publish-form button[type='submit']").click()
    page.wait_for_load_state()
    assert "已发布项目：社区图书角整理" in page.locator(".flash").inner_text()
    assert page.locator("[data-list='projects']", has_text="社区图书角整理").count() == 1
    db.session.remove()
    assert db.session.execute(db.select(Project.status).filter_by(
        title="社区图书角整理")).scalar_one() == "open"


def test_street_secretary_follows_the_days_check_ins(console_as):
    page = console_as("demo-street-secretary")
    page.goto("/console/checkins")
    assert int(page.locator("[data-figure='check_ins']").inner_text()) >= 10
    assert page.locator("tr[data-checkin]").count() >= 10


def test_branch_review_then_approval_in_the_star_queue(console_as, browser_page):
    page = console_as("demo-secretary")
    assert int(page.locator("[data-queue='console.stars'] .count").inner_text()) >= 1
    page.goto("/console/stars?role=branch")
    form = page.locator("form[data-review]").first
    review_id = int(form.get_attribute("data-review"))
    form.locator("input[name='comment']").fill("表现突出")
    form.locator("button[type='submit']").click()
    page.wait_for_load_state()
    assert "已完成支部评议" in page.locator(".flash").inner_text()
    db.session.remove()
    assert db.session.get(StarReview, review_id).status == ReviewStatus.BRANCH_REVIEWED
    street = browser_page.context.browser.new_context(base_url=page.url.split("/console")[0],
                                                      locale="zh-CN").new_page()
    console_as("demo-street-secretary", street)
    street.goto("/console/stars?role=street")
    street.locator(f"tr[data-review='{review_id}'] input[name='ids']").check()
    street.locator("form[action='/console/stars/approve'] button[type='submit']").click()
    street.wait_for_load_state()
    assert "已审定 1 份" in street.locator(".flash").inner_text()
    db.session.remove()
    assert db.session.get(StarReview, review_id).status == ReviewStatus.APPROVED
