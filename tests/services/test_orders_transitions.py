"""The order state machine: every move from every status, and every actor who may not move it."""
from datetime import timedelta

import pytest

from server.errors import Conflict, Forbidden, NotFound
from server.extensions import db
from server.identity.actor import SYSTEM
from server.identity.services import load_actor
from server.orders import services
from server.orders.models import TRANSITIONS, OrderStatus
from server.points.models import PointsEntry
from tests.order_world import make_offering, make_order, make_visit

STATUSES = [s.value for s in OrderStatus]
ACTIONS = ["accept", "complete", "no_show", "cancel", "rate", "release", "assign"]
# Who performs each move when it is allowed.
PERFORMER = {"accept": "volunteer", "complete": "volunteer", "no_show": "volunteer",
             "cancel": "resident", "rate": "resident", "release": "volunteer",
             "assign": "secretary"}


def actor(world, who):
    return load_actor(world.users[who].id)


def _order(world, action, status):
    """An order in a status, committed (a refused move rolls the session back)."""
    extra = {"rating": 4} if status == "rated" else {}
    if action in ("assign", "release"):
        # Assign starts from an unassigned visit; release from one assigned to the volunteer.
        unassigned = action == "assign" and status in ("requested", "cancelled")
        order = make_visit(world, status=status, provider=None if unassigned else "volunteer",
                           **extra)
    else:
        order = make_order(world, make_offering(world).slots[0], status=status, **extra)
    db.session.commit()
    return order


def _perform(world, action, order, who=None):
    who = actor(world, who or PERFORMER[action])
    later = order.window_start + timedelta(minutes=5)  # no-show only after the start
    calls = {
        "accept": lambda: services.accept_order(who, order.id),
        "complete": lambda: services.complete_order(who, order.id, "好了", now=later),
        "no_show": lambda: services.mark_no_show(who, order.id, now=later),
        "cancel": lambda: services.cancel_order(who, order.id, "有事"),
        "rate": lambda: services.rate_order(who, order.id, 4),
        "release": lambda: services.release_order(who, order.id, "没空"),
        "assign": lambda: services.assign_order(who, order.id, world.volunteers["volunteer2"].id),
    }
    return calls[action]()


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", STATUSES)
def test_every_move_from_every_status(world, action, status):
    order = _order(world, action, status)
    allowed, target = TRANSITIONS[action]
    if status in allowed:
        assert _perform(world, action, order).status == target
    else:
        with pytest.raises(Conflict):
            _perform(world, action, order)
        db.session.rollback()
        assert db.session.get(type(order), order.id).status == status


FORBIDDEN_ACTORS = {
    "accept": {"resident": Forbidden, "secretary": Forbidden, "volunteer2": NotFound,
               "secretary_b": NotFound, "resident2": NotFound},
    "complete": {"resident": Forbidden, "secretary": Forbidden, "volunteer2": NotFound},
    "no_show": {"resident": Forbidden, "secretary": Forbidden, "volunteer2": NotFound},
    "cancel": {"resident2": NotFound, "volunteer2": NotFound, "secretary_b": NotFound,
               "applicant": NotFound},
    "rate": {"volunteer": Forbidden, "resident2": NotFound, "volunteer2": NotFound,
             "secretary_b": NotFound},
    "release": {"resident": Forbidden, "volunteer2": NotFound, "secretary_b": NotFound},
    "assign": {"resident": Forbidden, "volunteer": NotFound, "secretary_b": NotFound,
               "resident2": NotFound},
}
START_FOR = {"accept": "requested", "complete": "accepted", "no_show": "accepted",
             "cancel": "requested", "rate": "done", "release": "accepted", "assign": "requested"}


@pytest.mark.parametrize("action,who", [(a, w) for a, ws in FORBIDDEN_ACTORS.items() for w in ws])
def test_every_forbidden_actor_is_refused(world, action, who):
    order = _order(world, action, START_FOR[action])
    with pytest.raises(FORBIDDEN_ACTORS[action][who]):
        _perform(world, action, order, who)
    db.session.rollback()
    assert db.session.get(type(order), order.id).status == START_FOR[action]


def test_no_show_before_the_start_is_refused(world):
    order = make_order(world, make_offering(world).slots[0], status="accepted")
    with pytest.raises(Conflict, match="服务开始后"):
        services.mark_no_show(actor(world, "volunteer"), order.id)


def test_accepting_after_the_window_is_refused(world):
    order = make_order(world, make_offering(world).slots[0])
    with pytest.raises(Conflict, match="时间已过"):
        services.accept_order(actor(world, "volunteer"), order.id,
                              now=order.window_end + timedelta(minutes=1))


def test_a_volunteer_who_left_cannot_accept(world):
    order = make_order(world, make_offering(world).slots[0])
    world.volunteers["volunteer"].status = "left"
    db.session.flush()
    with pytest.raises(Forbidden):
        services.accept_order(actor(world, "volunteer"), order.id)


def test_points_are_credited_once_and_bonus_only_for_five_stars(world):
    order = make_order(world, make_offering(world).slots[0], status="done")
    services.rate_order(actor(world, "resident"), order.id, 3)
    with pytest.raises(Conflict):
        services.rate_order(actor(world, "resident"), order.id, 5)
    entries = db.session.execute(db.select(PointsEntry)).scalars().all()
    assert [(e.reason, e.delta, e.ref_id) for e in entries] == [("order_completed", 5, order.id)]


def test_secretary_rates_for_a_resident_without_a_phone(world):
    from server.audit.models import AuditEntry
    order = make_order(world, make_offering(world).slots[0], status="done")
    assert services.rate_order(actor(world, "secretary"), order.id, 5).status == "rated"
    assert db.session.execute(db.select(AuditEntry).filter_by(
        action="order.rate_for_resident")).scalar_one().object_id == str(order.id)
    assert len(db.session.execute(db.select(PointsEntry)).scalars().all()) == 2


def test_assign_refuses_inactive_volunteers_and_the_resident(world):
    visit = make_visit(world)
    secretary = actor(world, "secretary")
    with pytest.raises(Conflict):
        services.assign_order(secretary, visit.id, world.volunteers["applicant"].id)
    with pytest.raises(Conflict):
        services.assign_order(secretary, visit.id, 999_999)
    from tests.factories import make_volunteer
    resident_volunteer = make_volunteer(world.users["resident"], world.communities[0])
    with pytest.raises(Conflict):
        services.assign_order(secretary, visit.id, resident_volunteer.id)


def test_the_system_actor_assigns_for_the_matching_engine(world):
    visit = make_visit(world)
    order = services.assign_order(SYSTEM, visit.id, world.volunteers["volunteer2"].id)
    assert order.status == "accepted" and order.provider_id == world.volunteers["volunteer2"].id
    assert order.assigned_at is not None and order.assigned_by is None


def test_release_is_only_for_assigned_orders(world):
    order = make_order(world, make_offering(world).slots[0], status="accepted")
    with pytest.raises(Conflict, match="不是派单"):
        services.release_order(actor(world, "volunteer"), order.id)


def test_secretary_may_release_an_assigned_visit(world):
    visit = make_visit(world, status="accepted", provider="volunteer")
    released = services.release_order(actor(world, "secretary"), visit.id, "改派")
    assert released.status == "requested" and released.provider_id is None
