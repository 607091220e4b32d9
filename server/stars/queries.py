"""Reading 争六星: one's own reviews, the queue each role works through, one review as its
caller may see it, the periods, and the published (approved) results per branch, masked."""
from dataclasses import dataclass

from ..errors import Forbidden, NotFound
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Role, User
from ..policy.scope import Scope, ScopeKind, actor_covers, communities_covered, streets_covered
from ..privacy import mask_name
from ..volunteers.models import Volunteer
from .models import STARS, STATUS_NAMES, ReviewStatus, StarPeerScore, StarPeriod, StarReview
from .services import _period, is_branch_secretary, is_peer, is_street_secretary, load_review

SECRETARY = (Role.SECRETARY,)


@dataclass
class ReviewView:
    review: StarReview
    name: str
    peer_scores: list | None = None  # each peer's score, for the secretaries only
    scored_by_me: bool = False

    def __getattr__(self, attr):
        return getattr(self.review, attr)

    @property
    def period(self) -> str:
        return self.review.period.code

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.review.status]


def view_of(actor: Actor, review: StarReview) -> ReviewView:
    staff = is_branch_secretary(actor, review) or is_street_secretary(actor, review)
    name = review.volunteer.user.name or ""
    view = ReviewView(review, name if staff or actor.volunteer_id == review.volunteer_id
                      else mask_name(name))
    if staff:
        view.peer_scores = db.session.execute(
            db.select(StarPeerScore).where(StarPeerScore.review_id == review.id)
            .order_by(StarPeerScore.id)).scalars().all()
    if actor.volunteer_id is not None:
        view.scored_by_me = db.session.execute(db.select(StarPeerScore.id).filter_by(
            review_id=review.id, scorer_volunteer_id=actor.volunteer_id)).first() is not None
    return view


def get_review(actor: Actor, review_id: int) -> ReviewView:
    """The reviewee, peers of the branch and the secretaries in scope; anyone else 404."""
    review = load_review(review_id)
    if not (actor.volunteer_id == review.volunteer_id or is_peer(actor, review)
            or is_branch_secretary(actor, review) or is_street_secretary(actor, review)):
        raise NotFound("评定不存在")
    return view_of(actor, review)


def mine_query(actor: Actor):
    return (db.select(StarReview).where(StarReview.volunteer_id == (actor.volunteer_id or 0))
            .order_by(StarReview.id.desc()))


def queue_query(actor: Actor, filters: dict):
    """What waits for the caller: as a volunteer, the branch's reviews still open to peers that
    they have not scored; as a community secretary, reviews ready for the branch; as a street
    secretary, reviews ready for approval. `role` picks one when the caller holds several."""
    role = filters.get("role") or ("street" if streets_covered(actor, SECRETARY) else
                                   "branch" if communities_covered(actor, SECRETARY) else "peer")
    if role in ("street", "branch"):
        require_filters_in_scope(actor, filters, SECRETARY)
    query = db.select(StarReview).order_by(StarReview.id)
    if filters.get("period"):
        query = query.where(StarReview.period_id == _period(filters["period"]).id)
    if filters.get("community_id"):
        query = query.where(StarReview.community_id == filters["community_id"])
    if role == "street":
        streets = streets_covered(actor, SECRETARY)
        return query.where(StarReview.status == ReviewStatus.BRANCH_REVIEWED,
                           StarReview.community_id.in_(db.select(Community.id).where(
                               Community.street_id.in_(streets))))
    if role == "branch":
        return query.where(StarReview.status == ReviewStatus.PEER_REVIEWED,
                           StarReview.community_id.in_(communities_covered(actor, SECRETARY)))
    if not actor.is_active_volunteer:
        raise Forbidden("只有在册志愿者或书记有待处理的六星评定")
    community = db.session.execute(db.select(Volunteer.community_id).where(
        Volunteer.id == actor.volunteer_id)).scalar_one_or_none()
    if filters.get("community_id") not in (None, community):
        raise Forbidden("只能查看本支部的互评")
    scored = db.select(StarPeerScore.review_id).where(
        StarPeerScore.scorer_volunteer_id == actor.volunteer_id)
    return query.where(StarReview.community_id == (community or 0),
                       StarReview.volunteer_id != actor.volunteer_id,
                       StarReview.status.in_((ReviewStatus.SELF_ASSESSED,
                                              ReviewStatus.PEER_REVIEWED)),
                       StarReview.id.not_in(scored))


def require_filters_in_scope(actor: Actor, filters: dict, roles) -> None:
    """A community named as a filter must lie in the caller's scope: 403, never an empty list."""
    if filters.get("community_id") is not None and not actor_covers(
            actor, Scope(ScopeKind.COMMUNITY, filters["community_id"]), roles=roles):
        raise Forbidden("超出您的管辖范围")


def periods_query():
    return db.select(StarPeriod).order_by(StarPeriod.code.desc())


def results_query(code: str, community_id: int | None = None):
    """Approved reviews of a period (published), by branch then score: (review, name) rows."""
    period = _period(code)
    query = (db.select(StarReview, User.name, Community.name)
             .join(Volunteer, Volunteer.id == StarReview.volunteer_id)
             .join(User, User.id == Volunteer.user_id)
             .join(Community, Community.id == StarReview.community_id)
             .where(StarReview.period_id == period.id,
                    StarReview.status == ReviewStatus.APPROVED)
             .order_by(StarReview.community_id, StarReview.branch_total.desc(), StarReview.id))
    if community_id is not None:
        query = query.where(StarReview.community_id == community_id)
    return query


def result_row(row) -> dict:
    review, name, community = row
    return {"id": review.id, "name": mask_name(name), "community_id": review.community_id,
            "community": community, "total": review.branch_total,
            "stars": {code: (review.branch_scores or {}).get(code) for code in STARS},
            "commended": review.commended}
