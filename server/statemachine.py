"""The one state-machine form: a StrEnum of states per machine, one table of allowed moves,
and `Machine.move`, which checks the table and refuses an illegal move with 409 (Conflict).

    class WishStatus(StrEnum): ...
    WISH = Machine("心愿", {WishStatus.OPEN: {WishStatus.CLAIMED, ...}, ...})
    WISH.move(wish, WishStatus.CLAIMED)            # sets wish.status, or raises Conflict

Something held until it ends (a pairing, a post's seat) is a `Tenure`, with the `tenure(name)`
machine; its capability names it in its own words (`PairingStatus = Tenure`).

A machine whose moves carry names (orders: accept, assign, release …) keeps its own action table
and checks it with `Machine.check`; every status assignment still goes through `move`.
"""
from collections.abc import Iterable, Mapping
from enum import StrEnum

from .errors import Conflict


class Machine:
    def __init__(self, name: str, transitions: Mapping[StrEnum, Iterable[StrEnum]],
                 *, field: str = "status") -> None:
        self.name = name
        self.field = field
        self.transitions = {state: frozenset(to) for state, to in transitions.items()}

    def allows(self, current: str, to: str) -> bool:
        return to in self.transitions.get(current, frozenset())

    def can(self, obj, to: str) -> bool:
        return self.allows(getattr(obj, self.field), to)

    def check(self, current: str | None, to: str, *, error_message: str | None = None) -> None:
        """409 unless the table allows current → to (for conditional bulk UPDATEs too)."""
        if not self.allows(current, to):
            raise Conflict(error_message or f"{self.name}当前状态不允许此操作")

    def move(self, obj, to: StrEnum, *, error_message: str | None = None) -> None:
        """Set obj.status to `to` if the table allows it from the current state, else 409.
        A new row (status still None before its first flush) starts where the None entry says."""
        self.check(getattr(obj, self.field), to, error_message=error_message)
        setattr(obj, self.field, to)


class Tenure(StrEnum):
    """The states of something held until it ends (a pairing, a seat of a post); the capabilities
    name it in their own words (`PairingStatus`, `HolderStatus`) and share its machine."""
    ACTIVE = "active"
    ENDED = "ended"


def tenure(name: str) -> Machine:
    """The machine of a tenure: active → ended, and nothing else."""
    return Machine(name, {Tenure.ACTIVE: {Tenure.ENDED}})
