"""Policy: scope containment (see server/policy/__init__.py; DESIGN.md "People and roles").

A grant names exactly one scope of a kind its role takes. Whoever grants, lists or acts must hold
a live grant (of a role allowed to act) whose scope contains the WHOLE target scope. Containment
is read from the org tree (district ⊇ its streets ⊇ their communities ⊇ their grids) at the time
of the check, never by comparing sets of communities that exist today, so a street with no
community yet, or one added tomorrow, is not covered by a community-level grant.

Usage, for every current and future capability:

    require_covers(actor, Scope(ScopeKind.STREET, street_id), roles=(Role.ADMIN,))
    communities = communities_covered(actor, (Role.SECRETARY, Role.ADMIN))   # list filters
"""
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from ..enums import Role
from ..errors import Forbidden, NotFound
from ..extensions import db


class ScopeKind(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"
    UNIT = "unit"
    STATION = "station"


@dataclass(frozen=True)
class Scope:
    kind: ScopeKind
    id: int

    def __str__(self) -> str:  # the audit trail's scope string, e.g. "community:3"
        return f"{self.kind}:{self.id}"


_K = ScopeKind
# The scope kinds each role's grant may name (API.md part 1 and part 2 "Roles added").
ROLE_SCOPE_KINDS: dict[str, frozenset[ScopeKind]] = {
    Role.SECRETARY: frozenset({_K.COMMUNITY, _K.STREET}),
    Role.ADMIN: frozenset({_K.DISTRICT, _K.STREET, _K.COMMUNITY}),
    Role.GRID_WORKER: frozenset({_K.GRID, _K.COMMUNITY}),
    Role.STATION_KEEPER: frozenset({_K.STATION}),
    Role.UNIT_SECRETARY: frozenset({_K.UNIT}),
    Role.FUND_OFFICER: frozenset({_K.DISTRICT, _K.STREET}),
    Role.LEADING_GROUP: frozenset({_K.DISTRICT, _K.STREET}),
}
# A volunteer "grant" makes a volunteer profile, which belongs to one community.
VOLUNTEER_SCOPE_KINDS = frozenset({_K.COMMUNITY})

# role_grants column naming each kind of scope (a kind without a table has no column yet).
SCOPE_COLUMNS: dict[ScopeKind, str] = {
    _K.DISTRICT: "district_id", _K.STREET: "street_id", _K.COMMUNITY: "community_id",
    _K.GRID: "grid_id", _K.UNIT: "unit_id", _K.STATION: "station_id",
}


def _models() -> dict:
    # policy sits below identity (docs/architecture.md) and identity imports policy.scope
    from ..identity import models as m
    return {_K.DISTRICT: m.District, _K.STREET: m.Street, _K.COMMUNITY: m.Community,
            _K.GRID: m.Grid, _K.UNIT: m.Unit, _K.STATION: m.Station}


def kind_has_table(kind: ScopeKind) -> bool:
    return kind in _models() and kind in SCOPE_COLUMNS


def scope_exists(scope: Scope) -> bool:
    model = _models().get(scope.kind)
    return model is not None and db.session.get(model, scope.id) is not None


def parent_of(scope: Scope) -> Scope | None:
    """The next scope up the org tree (grid → community → street → district; a unit stands under
    the community it is linked to, 共驻共建; a station stands under its community); None at the
    top, for a scope that does not exist and for a unit linked to no community."""
    m = _models()
    model = m.get(scope.kind)
    row = db.session.get(model, scope.id) if model is not None else None
    if row is None:
        return None
    up = {_K.GRID: ("community_id", _K.COMMUNITY), _K.COMMUNITY: ("street_id", _K.STREET),
          _K.STREET: ("district_id", _K.DISTRICT), _K.UNIT: ("community_id", _K.COMMUNITY),
          _K.STATION: ("community_id", _K.COMMUNITY)}
    column, kind = up.get(scope.kind, (None, None))
    value = getattr(row, column, None) if column else None
    return Scope(kind, value) if value is not None else None


def ancestors(scope: Scope) -> list[Scope]:
    """The scope itself and every scope above it in the org tree."""
    chain = [scope]
    while (up := parent_of(chain[-1])) is not None and len(chain) < 8:
        chain.append(up)
    return chain


def scope_contains(outer: Scope, inner: Scope) -> bool:
    """Whether `outer` contains the whole of `inner` (a scope contains itself)."""
    return outer in ancestors(inner)


def is_system(actor) -> bool:
    return actor.is_system


def system_only(actor) -> None:
    """Maintenance services run for the jobs process or an operator's command, never a user."""
    if not is_system(actor):
        raise Forbidden("只有系统任务可以执行此操作")


def grant_scopes(actor, roles: Iterable[str]) -> set[Scope]:
    """The scopes of the actor's live grants of any of `roles`."""
    wanted = set(roles)
    return {Scope(ScopeKind(kind), ident) for role, kind, ident in getattr(actor, "grants", ())
            if role in wanted}


def actor_covers(actor, scope: Scope, *, roles: Iterable[str] = (Role.ADMIN,)) -> bool:
    """The actor holds a live grant of one of `roles` whose scope contains the whole `scope`;
    the system actor (CLI, jobs) covers everything."""
    if actor is None:
        return False
    if is_system(actor):
        return True
    held = grant_scopes(actor, roles)
    return bool(held) and any(s in held for s in ancestors(scope))


def require_covers(actor, scope: Scope, *, roles: Iterable[str] = (Role.ADMIN,),
                   not_found: bool = False, message: str | None = None) -> None:
    """Refuse (403, or 404 where the target's existence is itself private) unless covered."""
    if not actor_covers(actor, scope, roles=roles):
        if not_found:
            raise NotFound(message or "不存在或不在您的管辖范围")
        raise Forbidden(message or "超出您的管辖范围")


def covered_ids(actor, roles: Iterable[str]) -> dict[ScopeKind, frozenset[int]]:
    """Every district, street, community, grid, station and (linked) unit the actor's grants of
    `roles` contain, expanded down the org tree (for list filters). The system actor gets all."""
    m = _models()
    district, street, community, grid = (m[_K.DISTRICT], m[_K.STREET], m[_K.COMMUNITY],
                                         m[_K.GRID])
    station, unit = m[_K.STATION], m[_K.UNIT]
    roles = tuple(roles)
    everything = actor is not None and is_system(actor)
    held = grant_scopes(actor, roles) if actor is not None and not everything else set()
    ids = {kind: {s.id for s in held if s.kind == kind} for kind in ScopeKind}
    steps = ((street, street.district_id, _K.DISTRICT, _K.STREET),
             (community, community.street_id, _K.STREET, _K.COMMUNITY),
             (grid, grid.community_id, _K.COMMUNITY, _K.GRID),
             (station, station.community_id, _K.COMMUNITY, _K.STATION),
             (unit, unit.community_id, _K.COMMUNITY, _K.UNIT))  # a unit linked to a community
    for model, parent_column, parent_kind, kind in steps:
        query = db.select(model.id)
        if not everything:
            if not ids[parent_kind]:
                continue
            query = query.where(parent_column.in_(ids[parent_kind]))
        ids[kind] |= set(db.session.execute(query).scalars())
    if everything:
        ids[_K.DISTRICT] = set(db.session.execute(db.select(district.id)).scalars())
    return {kind: frozenset(values) for kind, values in ids.items()}


def communities_in(scope: Scope):
    """A select of the ids of the communities inside `scope`: the community itself, a street's,
    a district's (for a report's or a fund's or a drive's reach, read from the org tree)."""
    m = _models()
    community, street = m[_K.COMMUNITY], m[_K.STREET]
    query = db.select(community.id)
    if scope.kind == _K.COMMUNITY:
        return query.where(community.id == scope.id)
    if scope.kind == _K.STREET:
        return query.where(community.street_id == scope.id)
    return query.join(street, street.id == community.street_id).where(
        street.district_id == scope.id)


def communities_covered(actor, roles: Iterable[str]) -> frozenset[int]:
    """Communities wholly inside the actor's grants of `roles` (a grid grant covers none)."""
    return covered_ids(actor, roles)[_K.COMMUNITY]


def streets_covered(actor, roles: Iterable[str]) -> frozenset[int]:
    return covered_ids(actor, roles)[_K.STREET]


def single_scope(values: dict[str, int | None]) -> Scope | None:
    """The one scope named by `{column: id}` (e.g. a grant's columns); None unless exactly one."""
    named = [Scope(kind, values[col]) for kind, col in SCOPE_COLUMNS.items()
             if values.get(col) is not None]
    return named[0] if len(named) == 1 else None
