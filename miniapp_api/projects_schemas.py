"""Schemas of 项目清单 (projects): typed fields; the policy (server/projects/queries.view_of)
decides who sees the address and the updates."""
import marshmallow as ma

from server.projects.models import CATEGORIES, ProjectStatus

from .common import Computed, LocalDateTime
from .fields import (
    CommunityQuery,
    LatLngPaired,
    choice_in,
    id_in,
    int_in,
    lat_in,
    lng_in,
    nearby,
    opt_int,
    opt_str,
    opt_when,
    reason_req,
    req_id,
    rows_of,
    text_in,
    upto,
)


class ProjectCreateSchema(LatLngPaired):
    title = text_in(60, min_len=2, required=True)
    description = upto(1000, load_default="")
    category = choice_in(CATEGORIES, load_default="other")
    community_id = req_id()
    address = upto(200, load_default="")
    lat = lat_in()
    lng = lng_in()
    seats = int_in(1, 1000, load_default=1)


class ProjectClaimSchema(ma.Schema):
    unit_id = id_in(load_default=None, allow_none=True)


class ProjectUpdateCreateSchema(ma.Schema):
    note = text_in(500, required=True)
    progress = int_in(0, 100)
    done = ma.fields.Bool(load_default=False)


class ProjectCancelSchema(ma.Schema):
    reason = reason_req()


@nearby
class ProjectQuery(ma.Schema):
    """Nearby projects: by the coarse positions of the project and the caller (policy.location)."""
    status = choice_in(ProjectStatus)
    community_id = id_in()
    street_id = id_in()


class ThreeListsQuery(CommunityQuery):
    """The three lists (needs, resources, projects) of one community."""


class ProjectUpdateSchema(ma.Schema):
    id = ma.fields.Int()
    project_id = ma.fields.Int()
    note = ma.fields.Str()
    progress = ma.fields.Int()
    created_at = LocalDateTime()


class ProjectSchema(ma.Schema):
    """Public: a coarse position, no address; the address and updates only to the claimer and
    the secretaries in scope (null/empty otherwise)."""
    id = ma.fields.Int()
    title = ma.fields.Str()
    description = ma.fields.Str()
    category = ma.fields.Str()
    category_name = ma.fields.Str()
    community_id = ma.fields.Int()
    status = ma.fields.Str()
    status_name = ma.fields.Str()
    progress = ma.fields.Int()
    seats = ma.fields.Int()
    approx_lat = Computed(lambda view: view.place.approx_lat, ma.fields.Float())
    approx_lng = Computed(lambda view: view.place.approx_lng, ma.fields.Float())
    distance_m = Computed(lambda view: view.place.distance_m, opt_int())
    address = opt_str()
    claimer_kind = opt_str()
    claimer_name = opt_str()
    claimed_unit_id = opt_int()
    claimed_at = opt_when()
    done_at = opt_when()
    confirmed_at = opt_when(metadata={"description": "a secretary confirmed the work; the "
                                                     "claimer's points were credited then"})
    created_at = LocalDateTime()
    updates = rows_of(ProjectUpdateSchema)


class ListItemSchema(ma.Schema):
    kind = ma.fields.Str()
    id = ma.fields.Int()
    title = ma.fields.Str()
    status = ma.fields.Str()
    created_at = LocalDateTime()


class ThreeListsSchema(ma.Schema):
    community_id = ma.fields.Int()
    needs = rows_of(ListItemSchema)
    resources = rows_of(ListItemSchema)
    projects = rows_of(ProjectSchema)
