"""Who may do what with donations, stock and aid cards (built on server/policy/scope.py).

A station keeper's grant names one station; the station stands under its community in the org
tree, so a secretary or admin whose grant contains the community covers the station too.
Keepers act (inspect, stock, redeem); secretaries and admins in scope read and export."""
from ..errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..identity.models import Role, Station
from ..policy.scope import (
    Scope,
    ScopeKind,
    actor_covers,
    ancestors,
    covered_ids,
    is_system,
    scope_contains,
)

KEEPERS = (Role.STATION_KEEPER,)
MANAGERS = (Role.SECRETARY, Role.ADMIN)
STAFF = KEEPERS + MANAGERS


def station_scope(station_id: int) -> Scope:
    return Scope(ScopeKind.STATION, station_id)


def get_station(station_id: int, *, field: str | None = None) -> Station:
    """The station, or 404 (422 naming `field` when the id came in a body)."""
    station = db.session.get(Station, station_id) if station_id else None
    if station is None:
        if field:
            raise Invalid(errors={field: ["捐助站不存在"]})
        raise NotFound("捐助站不存在")
    return station


def is_keeper(actor) -> bool:
    return is_system(actor) or Role.STATION_KEEPER in actor.roles


def require_keeper_of(actor, station: Station) -> None:
    """403 for anyone who keeps no station; 404 for a keeper of another station."""
    if not is_keeper(actor):
        raise Forbidden("只有爱心捐助站工作人员可以办理")
    if not actor_covers(actor, station_scope(station.id), roles=KEEPERS):
        raise NotFound("捐助站不存在或不在您的管辖范围")


def require_staff_of(actor, station: Station) -> None:
    """Keepers of the station and secretaries/admins covering its community (403 for others)."""
    if actor_covers(actor, station_scope(station.id), roles=STAFF):
        return
    if is_keeper(actor) or any(r in actor.roles for r in MANAGERS):
        raise NotFound("捐助站不存在或不在您的管辖范围")
    raise Forbidden("只有捐助站工作人员或社区书记可以查看")


def stations_covered(actor, roles=STAFF) -> frozenset[int]:
    return covered_ids(actor, roles)[ScopeKind.STATION]


def require_manager_of_community(actor, community_id: int, *, not_found: bool = True) -> None:
    """A secretary or admin whose grant contains the community (403 for non-managers)."""
    if not (is_system(actor) or any(r in actor.roles for r in MANAGERS)):
        raise Forbidden("只有社区书记或管理员可以办理")
    if not actor_covers(actor, Scope(ScopeKind.COMMUNITY, community_id), roles=MANAGERS):
        if not_found:
            raise NotFound("不存在或不在您的管辖范围")
        raise Forbidden("超出您的管辖范围")


def in_station_community(station: Station, community_id: int | None) -> bool:
    """The station stands in that community (a card's or a volunteer's, named by id in a body)."""
    return community_id is not None and scope_contains(Scope(ScopeKind.COMMUNITY, community_id),
                                                       station_scope(station.id))


def same_district(station: Station, other: Station) -> bool:
    """Both stations stand in one district (a transfer keeps donated goods inside it)."""
    district = next((s for s in ancestors(station_scope(station.id))
                     if s.kind == ScopeKind.DISTRICT), None)
    return district is not None and scope_contains(district, station_scope(other.id))
