"""Every scope decision of the org administration and imports, in one place.

An admin acts only inside the scope of their grant (a district, a street or a community). The
containment itself is the shared policy's (server/policy/scope.py: `grant_scopes`, `covered_ids`,
read from the actor's live grants); this module only shapes it for the org tree's kinds of
object (streets, communities, grids, units, skills) and for the audit log's scope strings.
"""
from dataclasses import dataclass

from ..errors import Forbidden, NotFound
from ..extensions import db
from ..identity.models import Community, Grid, Role, Street, Unit
from ..policy.scope import ScopeKind, covered_ids, grant_scopes

NO_SCOPE = "不在您的管辖范围内"


@dataclass(frozen=True)
class AdminScope:
    """What an admin's live grants cover: whole districts, whole streets, single communities."""
    everything: bool
    districts: frozenset[int]
    streets: frozenset[int]          # streets granted, and the streets of granted districts
    communities: frozenset[int]      # every community covered, expanded from streets/districts
    granted_streets: frozenset[int] = frozenset()
    # the grids, units (linked) and stations inside the scope, as audit scope strings ("grid:3"):
    # a grant at one of them is audited there (server.identity.roles)
    smaller: frozenset[str] = frozenset()

    @property
    def district_wide(self) -> bool:
        return self.everything or bool(self.districts)

    def covers_district(self, district_id) -> bool:
        return self.everything or district_id in self.districts

    def covers_street(self, street_id) -> bool:
        return self.everything or street_id in self.streets

    def covers_community(self, community_id) -> bool:
        return self.everything or community_id in self.communities

    def label(self) -> str:
        """The audit row's scope string for an act over the admin's whole scope (an import)."""
        if self.everything:
            return ""
        if self.districts:
            return f"district:{min(self.districts)}"
        if self.granted_streets:
            return f"street:{min(self.granted_streets)}"
        return f"community:{min(self.communities)}" if self.communities else ""

    def audit_scopes(self) -> list[str] | None:
        """The audit rows' scope strings this admin may read (None: every row). Rows with no
        scope (district-wide acts) are read by district-wide admins only."""
        if self.everything:
            return None
        return ([f"community:{c}" for c in sorted(self.communities)]
                + [f"street:{s}" for s in sorted(self.streets)]
                + [f"district:{d}" for d in sorted(self.districts)]
                + sorted(self.smaller)
                + ([""] if self.district_wide else []))


def admin_scope(actor) -> AdminScope:
    """The scope of the actor's live admin grants; 403 for anyone who holds none. The system
    actor (the CLI, the demo) covers everything."""
    if actor is not None and actor.is_system:
        return AdminScope(True, frozenset(), frozenset(), frozenset())
    held = grant_scopes(actor, (Role.ADMIN,)) if actor is not None and actor.is_admin else set()
    if not held or actor.user_id is None:
        raise Forbidden("仅管理员可以执行此操作")
    ids = covered_ids(actor, (Role.ADMIN,))
    smaller = frozenset(f"{kind}:{i}" for kind in (ScopeKind.GRID, ScopeKind.UNIT,
                                                   ScopeKind.STATION) for i in ids[kind])
    return AdminScope(False, ids[ScopeKind.DISTRICT], ids[ScopeKind.STREET],
                      ids[ScopeKind.COMMUNITY],
                      frozenset(s.id for s in held if s.kind == ScopeKind.STREET), smaller)


def covers(scope: AdminScope, kind: str, obj) -> bool:
    """Whether the scope contains the whole of one org object."""
    if kind == "streets":
        return scope.covers_street(obj.id)
    if kind == "communities":
        return scope.covers_community(obj.id)
    if kind == "grids":
        return scope.covers_community(obj.community_id)
    if kind == "units":  # a unit linked to a community belongs to it; an unlinked one to the district
        return (scope.covers_community(obj.community_id) if obj.community_id
                else scope.district_wide)
    if kind == "skills":  # the catalogue is district-wide
        return scope.district_wide
    return False


def require_covers(scope: AdminScope, kind: str, obj, *, hidden: bool = True) -> None:
    """404 (the object is not visible) or 403 (a target named in a body) outside the scope."""
    if not covers(scope, kind, obj):
        if hidden:
            raise NotFound()
        raise Forbidden(NO_SCOPE)


def list_filter(scope: AdminScope, kind: str):
    """A WHERE clause limiting a list of `kind` to what the scope covers (None: no limit)."""
    if scope.everything:
        return None
    if kind == "streets":
        return Street.id.in_(scope.streets | _streets_of(scope.communities))
    if kind == "communities":
        return Community.id.in_(scope.communities)
    if kind == "grids":
        return Grid.community_id.in_(scope.communities)
    if kind == "units":
        linked = Unit.community_id.in_(scope.communities)
        return linked | Unit.community_id.is_(None)  # unlinked units: a shared catalogue to read
    return None


def _streets_of(communities) -> set[int]:
    if not communities:
        return set()
    return set(db.session.execute(
        db.select(Community.street_id).where(Community.id.in_(communities))).scalars())
