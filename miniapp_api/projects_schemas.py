"""Schemas of 项目清单 (projects): typed fields; the policy (server/projects/queries.view_of)
decides who sees the address and the updates."""
import marshmallow as ma
from marshmallow import validate as v

from server.projects.models import CATEGORIES, ProjectStatus

from .common import Computed, LocalDateTime

_ID = v.Range(min=1, max=2**31 - 1)


class ProjectCreateSchema(ma.Schema):
    title = ma.fields.Str(required=True, validate=v.Length(min=2, max=60))
    description = ma.fields.Str(validate=v.Length(max=1000), load_default="")
    category = ma.fields.Str(validate=v.OneOf(list(CATEGORIES)), load_default="other")
    community_id = ma.fields.Int(required=True, validate=_ID)
    address = ma.fields.Str(validate=v.Length(max=200), load_default="")
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)
    seats = ma.fields.Int(validate=v.Range(min=1, max=1000), load_default=1)

    @ma.validates_schema
    def _pair(self, data, **_):
        if ("lat" in data) != ("lng" in data):
            raise ma.ValidationError("经纬度需要同时提供", "lng")


class ProjectClaimSchema(ma.Schema):
    unit_id = ma.fields.Int(validate=_ID, load_default=None, allow_none=True)


class ProjectUpdateCreateSchema(ma.Schema):
    note = ma.fields.Str(required=True, validate=v.Length(min=1, max=500))
    progress = ma.fields.Int(validate=v.Range(min=0, max=100))
    done = ma.fields.Bool(load_default=False)


class ProjectCancelSchema(ma.Schema):
    reason = ma.fields.Str(required=True, validate=v.Length(min=1, max=200))


class ProjectQuery(ma.Schema):
    status = ma.fields.Str(validate=v.OneOf([str(s) for s in ProjectStatus]))
    community_id = ma.fields.Int(validate=_ID)
    street_id = ma.fields.Int(validate=_ID)
    # nearby projects: by the coarse positions of the project and the caller (policy.location)
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)
    radius_m = ma.fields.Int(validate=v.Range(min=100, max=50_000))

    @ma.validates_schema
    def _pair(self, data, **_):
        if ("lat" in data) != ("lng" in data):
            raise ma.ValidationError("经纬度需要同时提供", "lng")


class ThreeListsQuery(ma.Schema):
    community_id = ma.fields.Int(validate=_ID)


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
    distance_m = Computed(lambda view: view.place.distance_m, ma.fields.Int(allow_none=True))
    address = ma.fields.Str(allow_none=True)
    claimer_kind = ma.fields.Str(allow_none=True)
    claimer_name = ma.fields.Str(allow_none=True)
    claimed_unit_id = ma.fields.Int(allow_none=True)
    claimed_at = LocalDateTime(allow_none=True)
    done_at = LocalDateTime(allow_none=True)
    created_at = LocalDateTime()
    updates = ma.fields.List(ma.fields.Nested(ProjectUpdateSchema))


class ListItemSchema(ma.Schema):
    kind = ma.fields.Str()
    id = ma.fields.Int()
    title = ma.fields.Str()
    status = ma.fields.Str()
    created_at = LocalDateTime()


class ThreeListsSchema(ma.Schema):
    community_id = ma.fields.Int()
    needs = ma.fields.List(ma.fields.Nested(ListItemSchema))
    resources = ma.fields.List(ma.fields.Nested(ListItemSchema))
    projects = ma.fields.List(ma.fields.Nested(ProjectSchema))
