"""Who may see and do what with pairings (docs/security.md: scope, parties, membership)."""
from ..identity.actor import Actor
from ..identity.models import Role
from ..policy.scope import Scope, ScopeKind, actor_covers

STAFF = (Role.SECRETARY, Role.ADMIN)


def manages_community(actor: Actor, community_id: int) -> bool:
    """A secretary or admin whose grant contains the community (the system actor too)."""
    return actor_covers(actor, Scope(ScopeKind.COMMUNITY, community_id), roles=STAFF)
