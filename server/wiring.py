"""The composition root's wiring of hooks that run against the capability order
(docs/architecture.md): a lower layer names a hook, the packages above it fill it here, so
neither imports the other inside a function. create_app calls `wire()` once per app (it is
idempotent).

- policy.membership.RELEASES: what a leaving volunteer holds, released by the package that owns
  it (wishes, orders, matching proposals; a new capability whose volunteers hold something
  adds a line).
- wishes.maintenance.DUE_BY_SOURCE: when a claim made through matching was due to start (the
  no-show clock starts no earlier).
"""
from .matching_runs import services as matching_runs
from .orders import leavers as orders
from .pairings import proposals as pairing_proposals
from .pairings import services as pairings
from .policy import membership
from .posts import services as posts
from .projects import services as projects
from .wishes import maintenance as wish_maintenance
from .wishes import services as wishes


def wire() -> None:
    membership.RELEASES.update({
        "wishes": wishes.release_leaver_claims,
        "orders": orders.give_back_leaver_visits,
        "offerings": orders.withdraw_leaver_offerings,
        "proposals": matching_runs.reject_leaver_proposals,
        # volunteer service system (issue 16)
        "posts": posts.release_posts_of,
        "pairings": pairings.end_pairings_of,
        "pairing_proposals": pairing_proposals.reject_leaver_proposals,
        "projects": lambda actor, volunteer, reason, now: projects.release_claims_of(
            volunteer.id, now),
    })
    wish_maintenance.DUE_BY_SOURCE["matching"] = matching_runs.accepted_start
