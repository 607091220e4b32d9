"""Reminders, expiry and no-show release, each driven by an injected clock and run twice."""
from datetime import timedelta

from server.extensions import db
from server.timeutil import utcnow
from server.wishes.models import WishClaim, WishStatus
from tests.factories import make_wish

from .helpers import outbox, run


def _claim(wish):
    return db.session.execute(db.select(WishClaim).filter_by(wish_id=wish.id)
                              .order_by(WishClaim.id.desc())).scalars().first()


def test_reminder_goes_once_to_the_claiming_volunteer_within_the_horizon(world):
    now = utcnow()
    soon = make_wish(world, status="claimed", claimer="volunteer", needed_by=now + timedelta(hours=10))
    later = make_wish(world, status="claimed", claimer="volunteer2", needed_by=now + timedelta(hours=30))
    make_wish(world, status="open", needed_by=now + timedelta(hours=2))  # nobody to remind
    assert run("reminders", now) == {"due": 1, "reminded": 1}
    assert run("reminders", now + timedelta(minutes=15)) == {"due": 1, "reminded": 0}
    [message] = outbox("wish_reminder")
    assert message.user_id == world.users["volunteer"].id
    assert message.page.endswith(f"ref=wish:{soon.id}")
    # Six hours on, the second wish comes within 24 hours of its deadline.
    assert run("reminders", now + timedelta(hours=7))["reminded"] == 1
    assert outbox("wish_reminder")[-1].page.endswith(f"ref=wish:{later.id}")


def test_unclaimed_wishes_past_their_deadline_expire_and_owners_are_told(world):
    now = utcnow()
    overdue = make_wish(world, status="open", needed_by=now - timedelta(minutes=1))
    unreviewed = make_wish(world, status="pending_review", needed_by=now - timedelta(hours=1))
    future = make_wish(world, status="open", needed_by=now + timedelta(hours=1))
    held = make_wish(world, status="claimed", claimer="volunteer", needed_by=now - timedelta(hours=1))
    assert run("expiry", now) == {"expired": 2}
    for wish in (overdue, unreviewed):
        assert wish.status == WishStatus.EXPIRED and wish.closed_at == now
    assert future.status == WishStatus.OPEN and held.status == WishStatus.CLAIMED
    assert {m.page for m in outbox("wish_expired")} == {
        f"pages/wish/detail?ref=wish:{w.id}" for w in (overdue, unreviewed)}
    before = len(outbox())
    assert run("expiry", now + timedelta(minutes=10)) == {"expired": 0}
    assert len(outbox()) == before


def test_claim_without_progress_for_three_days_is_a_no_show(world):
    wish = world.wishes["claimed"]
    claim = _claim(wish)
    start = claim.last_progress_at
    assert run("no_shows", start + timedelta(days=2, hours=23))["released"] == 0
    at = start + timedelta(days=3, minutes=1)
    assert run("no_shows", at) == {"stale": 1, "released": 1}
    assert wish.status == WishStatus.OPEN and wish.claimed_by is None
    assert claim.status == "no_show" and claim.ended_at == at and "3天" in claim.end_reason
    released = outbox("wish_released")
    assert {m.user_id for m in released} == {world.users["resident"].id,
                                             world.users["volunteer"].id}
    assert run("no_shows", at + timedelta(hours=1)) == {"stale": 0, "released": 0}
    assert len(outbox("wish_released")) == 2
    # A fulfilled wish waits for its owner, however old its claim.
    assert world.wishes["fulfilled"].status == WishStatus.FULFILLED


def test_no_show_days_come_from_the_configuration(app, world):
    claim = _claim(world.wishes["claimed"])
    app.config["WISH_NO_SHOW_DAYS"] = 5
    try:
        assert run("no_shows", claim.last_progress_at + timedelta(days=4))["released"] == 0
        assert run("no_shows", claim.last_progress_at + timedelta(days=5))["released"] == 1
    finally:
        del app.config["WISH_NO_SHOW_DAYS"]


def test_a_released_wish_can_be_claimed_again(client, world, login):
    claim = _claim(world.wishes["claimed"])
    run("no_shows", claim.last_progress_at + timedelta(days=4))
    resp = client.post(f"/api/v1/wishes/{world.wishes['claimed'].id}/claim",
                       headers=login("volunteer2"))
    assert resp.status_code == 200, resp.get_json()
