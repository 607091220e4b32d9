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


def test_the_waiting_page_signs_in_once_the_mini_program_confirms(browser_page, demo):
    """The real flow: the page shows the scene's QR code, the staff member's mini-program
    confirms it (the API, with their bearer token), the page's poll signs the browser in."""
    import re
    browser_page.goto("/console/login")
    scene = re.search(r"/console/login/qr/(.+)\.png", browser_page.locator("img.qr")
                      .get_attribute("src")).group(1)
    phone = demo.test_client()
    token = phone.post("/api/v1/auth/wechat-login",
                       json={"code": "fake:demo-street-secretary:console"}).get_json()["token"]
    confirmed = phone.post(f"/api/v1/console/sessions/{scene}/confirm",
                           headers={"Authorization": f"Bearer {token}"})
    assert confirmed.status_code == 200, confirmed.get_json()
    browser_page.wait_for_url("**/console/")
    assert "周海燕" in browser_page.locator(".topbar .who").inner_text()
