"""Signing in to the console through the fake scan, as a browser does it."""


def test_login_page_shows_a_qr_code_and_the_demo_users(browser_page, demo):
    browser_page.goto("/console/login")
    qr = browser_page.locator("img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert browser_page.locator("button.demo-user[data-openid='demo-secretary']").count() == 1


def test_secretary_signs_in_and_sees_the_workbench(console_as):
    page = console_as("demo-secretary")
    assert page.locator("h1").inner_text() == "工作台"
    wishes = page.locator("[data-queue='console.wishes'] .count")
    assert int(wishes.inner_text()) >= 1
    page.locator("form[action='/console/logout'] button").click()
    page.wait_for_url("**/console/login")
    page.goto("/console/")
    assert "/console/login" in page.url
