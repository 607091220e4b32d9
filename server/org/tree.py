"""The org tree of an admin's scope, as one nested read: district → streets → communities with
their grids, linked units (共驻共建) and stations, and the people counted under each (registered
users, active volunteers, party members among them).

It reads through `org_query` (the selects of list_org: GET /admin/{kind}) so it shows exactly what the API
shows the same admin; counts are of rows inside the covered communities only, so a unit shared
across the district never reveals how many people it has outside the admin's scope.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from ..extensions import db
from ..identity.models import Community, District, Station, User
from ..volunteers.models import Volunteer, VolunteerStatus
from . import scoping
from .services import org_query


@dataclass
class Counts:
    users: int = 0
    volunteers: int = 0
    members: int = 0  # active volunteers who are party members


@dataclass
class CommunityNode:
    community: Community
    counts: Counts
    grids: list = field(default_factory=list)
    units: list = field(default_factory=list)  # [(unit, active volunteers of it here)]
    stations: list = field(default_factory=list)


class _Summed:
    """A level of the tree whose counts are the sum of its children's (named by CHILDREN)."""
    CHILDREN = ""

    @property
    def counts(self) -> Counts:
        return _sum(node.counts for node in getattr(self, self.CHILDREN))


@dataclass
class StreetNode(_Summed):
    CHILDREN = "communities"
    street: object
    communities: list[CommunityNode] = field(default_factory=list)


@dataclass
class DistrictNode(_Summed):
    CHILDREN = "streets"
    district: District
    streets: list[StreetNode] = field(default_factory=list)


@dataclass
class OrgTree:
    districts: list[DistrictNode]
    unlinked_units: list  # [(unit, active volunteers of it in scope)]: the shared catalogue
    district_wide: bool  # may create streets, unlinked units


def org_tree(actor, *, counts: bool = True) -> OrgTree:
    """The admin's scope as a tree (403 for anyone but an admin, as GET /admin/communities);
    `counts=False` leaves the people uncounted (a picker of scopes needs only the names)."""
    scope = scoping.admin_scope(actor)
    rows = {kind: db.session.execute(org_query(scope, kind)).scalars().all()
            for kind in ("streets", "communities", "grids", "units")}
    ids = [c.id for c in rows["communities"]]
    people = _counts(ids) if counts else {}
    per_unit = _volunteers_per_unit(ids) if counts else {}
    nodes = {c.id: CommunityNode(c, people.get(c.id, Counts())) for c in rows["communities"]}
    for grid in rows["grids"]:
        nodes[grid.community_id].grids.append(grid)
    unlinked = []
    for unit in rows["units"]:
        entry = (unit, per_unit.get(unit.id, 0))
        (nodes[unit.community_id].units if unit.community_id in nodes else unlinked).append(entry)
    for station in db.session.execute(db.select(Station).where(Station.community_id.in_(ids))
                                      .order_by(Station.id)).scalars():
        nodes[station.community_id].stations.append(station)
    streets = {s.id: StreetNode(s) for s in rows["streets"]}
    for node in nodes.values():
        if node.community.street_id in streets:
            streets[node.community.street_id].communities.append(node)
    district_ids = {s.district_id for s in rows["streets"]}
    districts = {d.id: DistrictNode(d) for d in db.session.execute(
        db.select(District).where(District.id.in_(district_ids)).order_by(District.id)).scalars()}
    for street in streets.values():
        districts[street.street.district_id].streets.append(street)
    return OrgTree(list(districts.values()), unlinked, scope.district_wide)


def _counts(community_ids: list[int]) -> dict[int, Counts]:
    out: dict[int, Counts] = defaultdict(Counts)
    users = db.select(User.community_id, db.func.count()).where(
        User.community_id.in_(community_ids), User.cancelled_at.is_(None)).group_by(
        User.community_id)
    for community_id, n in db.session.execute(users):
        out[community_id].users = n
    active = db.select(Volunteer.community_id, db.func.count(),
                       db.func.sum(db.case((Volunteer.is_party_member, 1), else_=0))).where(
        Volunteer.community_id.in_(community_ids), Volunteer.status == VolunteerStatus.ACTIVE
    ).group_by(Volunteer.community_id)
    for community_id, n, members in db.session.execute(active):
        out[community_id].volunteers, out[community_id].members = n, int(members or 0)
    return out


def _volunteers_per_unit(community_ids: list[int]) -> dict[int, int]:
    query = db.select(Volunteer.unit_id, db.func.count()).where(
        Volunteer.community_id.in_(community_ids), Volunteer.status == VolunteerStatus.ACTIVE,
        Volunteer.unit_id.is_not(None)).group_by(Volunteer.unit_id)
    return dict(db.session.execute(query).all())


def _sum(parts) -> Counts:
    total = Counts()
    for part in parts:
        total.users += part.users
        total.volunteers += part.volunteers
        total.members += part.members
    return total
