"""代办 (acting for a resident who has no WeChat): who may act for whom. A secretary, grid worker or
admin acts only inside their scope (the resident's grid, or community when the resident has no
grid), and never for a record they stand on both sides of.

It sits in identity, below every capability that lets staff post for a resident (wishes, orders
and the programmes), so they check it without importing `residents` (docs/architecture.md);
registering such a resident is server/residents/services.py, which re-exports these names.
"""
from ..audit.services import record_audit
from ..enums import Role
from ..errors import NotFound
from ..extensions import db
from ..policy import parties
from ..policy.scope import Scope, ScopeKind, actor_covers
from .actor import Actor
from .models import User

# The openid prefix of people who came from a roster or were registered by staff and never
# logged in (server/org/imports, server/residents).
PLACEHOLDER = "import:"
STAFF = (Role.SECRETARY, Role.GRID_WORKER, Role.ADMIN)
PLACEHOLDER_DAIBAN = PLACEHOLDER + "daiban-"  # registered by staff, never logged in


def scope_of(user: User) -> Scope | None:
    """Where a resident lives in the org tree: their grid, else their community."""
    if user.grid_id is not None:
        return Scope(ScopeKind.GRID, user.grid_id)
    if user.community_id is not None:
        return Scope(ScopeKind.COMMUNITY, user.community_id)
    return None


def acts_for(actor: Actor | None, user: User | None) -> bool:
    """Staff in scope of a resident who has no WeChat (a placeholder record)."""
    if actor is None or actor.user_id is None or user is None or user.cancelled_at is not None:
        return False
    scope = scope_of(user)
    return (user.openid.startswith(PLACEHOLDER) and scope is not None
            and actor_covers(actor, scope, roles=STAFF))


def acts_for_owner(actor: Actor | None, owner_id: int) -> bool:
    """`acts_for` by the owner's id; no query for an actor who holds no staff grant."""
    if actor is None or actor.user_id is None or not any(
            role in STAFF for role, _, _ in getattr(actor, "grants", ())):
        return False
    return acts_for(actor, db.session.get(User, owner_id))


def behalf_owner(actor: Actor, resident_id: int | None) -> tuple[User, int | None]:
    """(the owner of what is being posted, who posted it for them). Without `on_behalf_of` the
    actor posts for themself; with it, the resident must be one the actor may act for (404)."""
    if resident_id is None:
        return db.session.get(User, actor.user_id), None
    user = db.session.get(User, resident_id)
    if user is None or not acts_for(actor, user):
        raise NotFound("居民不存在或不在您的管辖范围内")
    parties.require_not_party(actor, user.id, sides="resident/poster")
    return user, actor.user_id


def audit_behalf(actor: Actor, object_type: str, obj, owner_id: int, community_id: int) -> None:
    record_audit(actor, f"{object_type}.post_on_behalf", object_type, obj.id,
                 scope=f"community:{community_id}", detail={"resident_id": owner_id})
