"""The one state-machine form (server/statemachine.py) and the tables built on it."""
from types import SimpleNamespace

import pytest

from server.errors import Conflict
from server.identity.actor import SYSTEM, Actor
from server.matching_runs.models import PROPOSAL, RUN, ProposalStatus, RunStatus
from server.notifications.models import OUTBOX, OutboxStatus
from server.orders.models import OFFERING, ORDER, TRANSITIONS, OfferingStatus, OrderStatus
from server.volunteers.models import VOLUNTEER, VolunteerStatus
from server.wishes.models import CLAIM, WISH, ClaimStatus, WishStatus


def test_move_sets_the_status_when_the_table_allows_it():
    wish = SimpleNamespace(status=WishStatus.OPEN)
    WISH.move(wish, WishStatus.CLAIMED)
    assert wish.status == WishStatus.CLAIMED


def test_move_refuses_an_illegal_move_with_a_chinese_409():
    wish = SimpleNamespace(status=WishStatus.CONFIRMED)
    with pytest.raises(Conflict) as err:
        WISH.move(wish, WishStatus.OPEN)
    assert wish.status == WishStatus.CONFIRMED
    assert "心愿" in err.value.message
    with pytest.raises(Conflict) as err:
        CLAIM.move(SimpleNamespace(status=ClaimStatus.DONE), ClaimStatus.RELEASED,
                   error_message="认领已结束")
    assert err.value.message == "认领已结束"


@pytest.mark.parametrize("machine,enum", [
    (WISH, WishStatus), (CLAIM, ClaimStatus), (ORDER, OrderStatus), (OFFERING, OfferingStatus),
    (PROPOSAL, ProposalStatus), (RUN, RunStatus), (VOLUNTEER, VolunteerStatus),
    (OUTBOX, OutboxStatus)])
def test_every_table_speaks_only_its_enum(machine, enum):
    for state, targets in machine.transitions.items():
        assert state is None or state in enum
        assert targets and all(to in enum for to in targets)


def test_the_order_table_is_the_action_table():
    for starts, to in TRANSITIONS.values():
        assert all(ORDER.allows(start, to) for start in starts)
    assert not ORDER.allows(OrderStatus.RATED, OrderStatus.REQUESTED)


def test_final_states_have_no_way_out():
    for state in (WishStatus.CONFIRMED, WishStatus.REJECTED, WishStatus.EXPIRED,
                  WishStatus.CANCELLED):
        assert not WISH.transitions.get(state)
    assert not OUTBOX.allows(OutboxStatus.REFUSED, OutboxStatus.PENDING)
    assert not OUTBOX.allows(OutboxStatus.UNCERTAIN, OutboxStatus.PENDING)


def test_actor_is_system():
    assert SYSTEM.is_system
    assert not Actor(user_id=1).is_system
    assert not Actor(user_id=1, roles=frozenset({"admin", "secretary"})).is_system
