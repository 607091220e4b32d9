"""Who may see and do what with posts (docs/security.md: scope, parties, membership)."""
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Role
from ..policy.membership import actor_is_active_volunteer
from ..policy.scope import Scope, ScopeKind, actor_covers
from ..statemachine import Tenure
from ..volunteers.models import Volunteer

STAFF = (Role.SECRETARY, Role.ADMIN)


def manages_community(actor: Actor, community_id: int) -> bool:
    """A secretary or admin whose grant contains the community (the system actor too)."""
    return actor_covers(actor, Scope(ScopeKind.COMMUNITY, community_id), roles=STAFF)


def reporting_community(actor: Actor) -> int | None:
    """The community an ACTIVE volunteer reports to (报到社区; not necessarily where they live);
    None for anyone else, so a leaver's view of posts ends with the membership."""
    if actor.volunteer_id is None or not actor.is_active_volunteer:
        return None
    return db.session.execute(db.select(Volunteer.community_id)
                              .where(Volunteer.id == actor.volunteer_id)).scalar_one_or_none()


def can_see_post(actor: Actor, post) -> bool:
    """Staff in scope, the active volunteers of the post's community, and its CURRENT holders
    (an active volunteer holding a seat now: a seat that ended — relieved, stepped down, left —
    gives no view of the post or its logs; policy.membership)."""
    return manages_community(actor, post.community_id) or (
        reporting_community(actor) == post.community_id) or (
        actor_is_active_volunteer(actor)
        and any(h.volunteer_id == actor.volunteer_id and h.status == Tenure.ACTIVE
                for h in post.holders))
