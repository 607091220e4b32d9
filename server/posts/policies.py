"""Who may see and do what with posts (docs/security.md: scope, parties, membership)."""
from ..identity.actor import Actor
from ..identity.models import Role
from ..policy.scope import Scope, ScopeKind, actor_covers

STAFF = (Role.SECRETARY, Role.ADMIN)


def manages_community(actor: Actor, community_id: int) -> bool:
    """A secretary or admin whose grant contains the community (the system actor too)."""
    return actor_covers(actor, Scope(ScopeKind.COMMUNITY, community_id), roles=STAFF)


def can_see_post(actor: Actor, post) -> bool:
    """Staff in scope, and the volunteers of the post's community."""
    return manages_community(actor, post.community_id) or (
        actor.volunteer_id is not None and actor.community_id == post.community_id) or (
        actor.volunteer_id is not None
        and any(h.volunteer_id == actor.volunteer_id for h in post.holders))
