"""On 注销, the person's name (and phone, address) leaves the free text OTHERS wrote about them:
a volunteer's pairing visit logs, a post holder's duty logs, a contact person's revisits, a
project's description and progress notes. Each place is a step of SCRUB_STEPS (add a step when a
capability adds free text about a household); erase.py runs them in the cancellation's own
transaction, before the user row forgets the name. Occurrences become a neutral word (NEUTRAL for
the name, MASK for a phone or address); the rows, their dates and hours stay.

Texts tied to the person (their pairings, their cases) are scrubbed wherever they are; texts of
their community that are not tied to anyone (duty logs, projects) are scrubbed in that community.
"""
from dataclasses import dataclass

from sqlalchemy import or_, select, update

from ..care.models import Case, Revisit
from ..extensions import db
from ..identity.models import User
from ..pairings.models import Pairing, PairingVisit
from ..posts.models import Post, PostLog
from ..projects.models import Project, ProjectUpdate

NEUTRAL = "某居民"
MASK = "***"


@dataclass(frozen=True)
class Step:
    """Free-text `columns` of `model`, on the rows `rows(user)` selects (a where clause)."""
    model: type
    columns: tuple[str, ...]
    rows: object


SCRUB_STEPS: list[Step] = [
    Step(PairingVisit, ("note",), lambda u: PairingVisit.pairing_id.in_(
        select(Pairing.id).where(Pairing.household_id == u.id))),
    Step(Pairing, ("end_reason",), lambda u: Pairing.community_id == u.community_id),
    Step(PostLog, ("note", "decision_reason"), lambda u: PostLog.post_id.in_(
        select(Post.id).where(Post.community_id == u.community_id))),
    Step(Revisit, ("note",), lambda u: Revisit.case_id.in_(
        select(Case.id).where(Case.applicant_id == u.id))),
    Step(Project, ("title", "description", "cancel_reason"),
         lambda u: Project.community_id == u.community_id),
    Step(ProjectUpdate, ("note",), lambda u: ProjectUpdate.project_id.in_(
        select(Project.id).where(Project.community_id == u.community_id))),
]


def replacements(user: User) -> list[tuple[str, str]]:
    """(text, neutral word) pairs; a one-character name would hit unrelated text, so it stays."""
    pairs = [(user.name, NEUTRAL), (user.phone, MASK), (user.address, MASK)]
    return [(text, word) for text, word in pairs if text and len(text) >= 2]


def scrub_others_text(user: User) -> int:
    """Run every step for `user` (before their row is erased); rows changed."""
    pairs = replacements(user)
    if not pairs:
        return 0
    changed = 0
    for step in SCRUB_STEPS:
        for name in step.columns:
            column = getattr(step.model, name)
            value = column
            for text, word in pairs:
                value = db.func.replace(value, text, word)
            if getattr(column.type, "length", None):  # a longer word must not overflow it
                value = db.func.substr(value, 1, column.type.length)
            hits = or_(*[column.contains(text, autoescape=True) for text, _ in pairs])
            changed += db.session.execute(
                update(step.model).where(step.rows(user), hits).values({name: value})
                .execution_options(synchronize_session=False)).rowcount
    return changed
