"""Reminders before a service order's time: resident and volunteer, once each."""
from datetime import timedelta

from tests.order_world import make_offering, make_order

from .helpers import outbox, run


def test_order_reminders_go_once_before_the_slot(world):
    offering = make_offering(world, slots=((2, 10, 5), (3, 10, 5)))
    first, second = offering.slots
    accepted = make_order(world, first, resident="resident", status="accepted")
    waiting = make_order(world, first, resident="resident2", status="requested")
    make_order(world, first, resident="resident_b", status="cancelled")
    make_order(world, second, resident="resident", status="accepted")  # a day later
    now = first.start_at - timedelta(hours=20)
    assert run("order_reminders", now) == {"due": 2, "reminded": 3}
    users = sorted((m.user_id, m.page) for m in outbox("order_reminder"))
    assert users == sorted([
        (world.users["resident"].id, f"pages/order/detail?ref=order:{accepted.id}"),
        (world.users["volunteer"].id, f"pages/order/detail?ref=order:{accepted.id}"),
        (world.users["resident2"].id, f"pages/order/detail?ref=order:{waiting.id}")])
    assert run("order_reminders", now + timedelta(minutes=15))["reminded"] == 0
    assert run("order_reminders", first.start_at + timedelta(minutes=1))["reminded"] == 2
    assert len(outbox("order_reminder")) == 5
