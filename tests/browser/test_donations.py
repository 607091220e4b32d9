"""The love supermarket's console pages as a keeper and a secretary use them (issue 14): the
inspection queue, the redemption desk (type a card number, pick goods, confirm), stock per
station, the drive's figures with the chart, and an export."""
from server.donations.models import AidCard, Donation, DonationStatus
from server.extensions import db
from server.identity.models import User


def _fresh():
    db.session.rollback()
    db.session.expire_all()


def test_keeper_inspects_a_gift_from_the_queue(console_as):
    page = console_as("demo-keeper")
    waiting = int(page.locator("[data-queue='console.donation_queue'] .count").inner_text())
    assert waiting >= 1
    page.locator("nav a", has_text="捐献查验").click()
    row = page.locator("tr[data-donation]").first
    donation_id = int(row.get_attribute("data-donation"))
    row.locator("input[name='ids']").check()
    page.locator("button[value='accept']").first.click()
    page.wait_for_selector(".flash")
    assert "已入库 1 件捐献" in page.locator(".flash").inner_text()
    _fresh()
    assert db.session.get(Donation, donation_id).status == DonationStatus.ACCEPTED


def test_keeper_redeems_at_the_desk(console_as):
    keeper = db.session.execute(db.select(User).filter_by(openid="demo-keeper")).scalar_one()
    card = db.session.execute(db.select(AidCard).where(
        AidCard.community_id == keeper.community_id).order_by(AidCard.id)).scalars().first()
    before = card.balance_fen
    page = console_as("demo-keeper")
    page.locator("nav a", has_text="兑换台").click()
    page.fill("input[name='number']", card.number)
    page.locator("form[method='get'] button").click()
    assert card.number in page.locator("#card-info").inner_text()
    page.locator("#desk-form input[type='number']").first.fill("1")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#desk-form button[type='submit']").click()
    page.wait_for_selector(".flash")
    assert "兑换成功" in page.locator(".flash").inner_text()
    _fresh()
    assert db.session.get(AidCard, card.id).balance_fen < before


def test_secretary_sees_stock_and_the_drive_figures_with_a_chart(console_as):
    page = console_as("demo-street-secretary")
    page.locator("nav a", has_text="站点库存").click()
    assert page.locator("table[data-station]").count() >= 2
    page.locator("nav a", has_text="捐献数据").click()
    assert int(page.locator("[data-figure='donors']").inner_text()) > 0
    assert page.locator("#pieces-chart rect").count() == 4
    with page.expect_download() as download:
        page.locator("a", has_text="捐献登记表").click()
    assert download.value.suggested_filename == "donation-register.xlsx"
