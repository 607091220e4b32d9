"""Reading projects: the public list (no address, a coarse position), the detail for those who
may see where the work happens, a claimer's own, and the three lists side by side (需求清单,
资源清单, 项目清单) that a secretary reads for a community."""
from dataclasses import dataclass, field

from ..errors import Forbidden
from ..extensions import db
from ..identity.actor import Actor
from ..identity.models import Community, Role
from ..orders.models import OfferingStatus, OrderStatus, ServiceOffering, ServiceOrder
from ..policy import location
from ..policy.scope import ScopeKind, communities_covered
from ..privacy import mask_name
from ..wishes.models import Wish, WishStatus
from .models import CATEGORIES, OPEN_STATUSES, STATUS_NAMES, Project, ProjectStatus
from .services import STAFF, is_claimer, load_project, manages

THREE_LIST_LIMIT = 200  # per list: the console pages further through the lists' own endpoints


@dataclass
class ProjectView:
    """A project as one caller may see it: the address only to the claimer and staff in scope;
    everyone else gets the coarse position (the work may happen at a home)."""
    project: Project
    place: location.PublicPlace
    address: str | None = None
    updates: list = field(default_factory=list)

    def __getattr__(self, name):  # the project's own columns, for the schema
        return getattr(self.project, name)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.project.status]

    @property
    def category_name(self) -> str:
        return CATEGORIES.get(self.project.category, self.project.category)

    @property
    def claimer_kind(self) -> str | None:
        if self.project.claimed_unit_id is not None:
            return "unit"
        return "volunteer" if self.project.claimed_volunteer_id is not None else None

    @property
    def claimer_name(self) -> str | None:
        if self.project.claimed_unit is not None:
            return self.project.claimed_unit.name
        volunteer = self.project.claimed_volunteer
        return mask_name(volunteer.user.name) if volunteer is not None else None


def view_of(actor: Actor | None, project: Project, *, lat=None, lng=None) -> ProjectView:
    insider = actor is not None and (manages(actor, project) or is_claimer(actor, project))
    near_point = (lat, lng) if lat is not None and lng is not None else None
    view = ProjectView(project, location.public_place(project.lat, project.lng, near_point))
    if insider:
        view.address, view.updates = project.address, list(project.updates)
    return view


def list_query(filters: dict):
    """Projects by status, community or street, newest first, or nearest first around a point
    (coarse positions only: policy.location). Public: no personal data."""
    query = db.select(Project)
    if filters.get("status"):
        query = query.where(Project.status == filters["status"])
    if filters.get("community_id"):
        query = query.where(Project.community_id == filters["community_id"])
    if filters.get("street_id"):
        query = query.where(Project.community_id.in_(
            db.select(Community.id).where(Community.street_id == filters["street_id"])))
    if filters.get("lat") is not None and filters.get("lng") is not None:
        return location.near(query, Project.lat, Project.lng, filters["lat"], filters["lng"],
                             filters.get("radius_m"), Project.id)
    return query.order_by(Project.id.desc())


def mine_query(actor: Actor):
    """Projects the actor claimed as a volunteer, or that a unit they lead claimed."""
    units = {ident for role, kind, ident in actor.grants
             if role == Role.UNIT_SECRETARY and kind == ScopeKind.UNIT}
    conds = [Project.claimed_by == actor.user_id]
    if actor.volunteer_id is not None:
        conds.append(Project.claimed_volunteer_id == actor.volunteer_id)
    if units:
        conds.append(Project.claimed_unit_id.in_(units))
    return db.select(Project).where(db.or_(*conds)).order_by(Project.id.desc())


def get_project(actor: Actor | None, project_id: int) -> ProjectView:
    return view_of(actor, load_project(project_id))


@dataclass
class ThreeLists:
    community_id: int
    needs: list      # 需求清单: open wishes and open orders
    resources: list  # 资源清单: active offerings
    projects: list   # 项目清单: projects not closed


def awaiting_confirmation(actor: Actor, community_id: int | None = None):
    """Done projects no secretary has confirmed yet, in the communities the caller manages
    (one community when named): the console's queue; the claimer's points wait on it."""
    covered = communities_covered(actor, STAFF)
    if community_id is not None:
        covered = [c for c in covered if c == community_id]
    return (db.select(Project).where(Project.status == ProjectStatus.DONE,
                                     Project.confirmed_at.is_(None),
                                     Project.community_id.in_(covered))
            .order_by(Project.done_at, Project.id))


def three_lists(actor: Actor, community_id: int | None = None) -> ThreeLists:
    """The community's 需求清单, 资源清单 and 项目清单 side by side (secretary in scope; without
    a community, the first one the caller covers)."""
    covered = communities_covered(actor, STAFF)
    if community_id is None and covered:
        community_id = min(covered)
    if community_id not in covered:
        raise Forbidden("超出您的管辖范围")
    wishes = db.session.execute(
        db.select(Wish).where(Wish.community_id == community_id,
                              Wish.status.in_((WishStatus.OPEN, WishStatus.CLAIMED)))
        .order_by(Wish.id.desc()).limit(THREE_LIST_LIMIT)).scalars().all()
    orders = db.session.execute(
        db.select(ServiceOrder).where(ServiceOrder.community_id == community_id,
                                      ServiceOrder.status.in_((OrderStatus.REQUESTED,
                                                               OrderStatus.ACCEPTED)))
        .order_by(ServiceOrder.id.desc()).limit(THREE_LIST_LIMIT)).scalars().all()
    offerings = db.session.execute(
        db.select(ServiceOffering).where(ServiceOffering.community_id == community_id,
                                         ServiceOffering.status == OfferingStatus.ACTIVE)
        .order_by(ServiceOffering.id.desc()).limit(THREE_LIST_LIMIT)).scalars().all()
    projects = db.session.execute(
        list_query({"community_id": community_id}).where(Project.status.in_(OPEN_STATUSES))
        .limit(THREE_LIST_LIMIT)).scalars().all()
    needs = ([{"kind": "wish", "id": w.id, "title": w.title, "status": w.status,
               "created_at": w.created_at} for w in wishes]
             + [{"kind": "order", "id": o.id, "title": o.title, "status": o.status,
                 "created_at": o.created_at} for o in orders])
    needs.sort(key=lambda item: item["created_at"], reverse=True)
    resources = [{"kind": "offering", "id": o.id, "title": o.title, "status": o.status,
                  "created_at": o.created_at} for o in offerings]
    return ThreeLists(community_id, needs, resources,
                      [view_of(actor, p) for p in projects])
