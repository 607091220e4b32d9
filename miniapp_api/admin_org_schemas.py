"""Schemas of the org administration: streets, communities, grids, units, skills, imports."""
import json

import marshmallow as ma
from marshmallow import validate as v

from server.org.geo import geojson_problem

from .common import ID_RANGE, Computed, LocalDateTime

_NAME = v.Length(min=1, max=50)


class Boundary(ma.fields.Dict):
    """A GeoJSON Polygon or MultiPolygon (stored as text, returned as an object)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return json.loads(value) if isinstance(value, str) else value

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        problem = geojson_problem(value)
        if problem:
            raise ma.ValidationError(problem)
        return value


class AdminStreetSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    district_id = ma.fields.Int()


class StreetCreate(ma.Schema):
    name = ma.fields.Str(required=True, validate=_NAME)
    district_id = ma.fields.Int(required=True, validate=ID_RANGE)


class StreetPatch(ma.Schema):
    name = ma.fields.Str(validate=_NAME)


class AdminCommunitySchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    street_id = ma.fields.Int()
    lat = ma.fields.Float()
    lng = ma.fields.Float()
    boundary = Boundary(allow_none=True)
    retired = Computed(lambda c: c.retired_at is not None, ma.fields.Bool(), dump_only=True)
    retired_at = LocalDateTime(allow_none=True)


class CommunityPatch(ma.Schema):
    name = ma.fields.Str(validate=_NAME)
    street_id = ma.fields.Int(validate=ID_RANGE)
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)
    boundary = Boundary(allow_none=True)
    retired = ma.fields.Bool()


class CommunityCreate(CommunityPatch):
    name = ma.fields.Str(required=True, validate=_NAME)
    street_id = ma.fields.Int(required=True, validate=ID_RANGE)
    lat = ma.fields.Float(required=True, validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(required=True, validate=v.Range(min=-180, max=180), allow_nan=False)
    retired = ma.fields.Bool(load_only=True, dump_default=False)


class AdminGridSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    community_id = ma.fields.Int()


class GridCreate(ma.Schema):
    name = ma.fields.Str(required=True, validate=_NAME)
    community_id = ma.fields.Int(required=True, validate=ID_RANGE)


class GridPatch(ma.Schema):
    name = ma.fields.Str(validate=_NAME)


class AdminUnitSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    kind = ma.fields.Str()
    community_id = ma.fields.Int(allow_none=True)


class UnitPatch(ma.Schema):
    name = ma.fields.Str(validate=v.Length(min=1, max=80))
    kind = ma.fields.Str(validate=v.Length(min=1, max=20))
    community_id = ma.fields.Int(allow_none=True, validate=ID_RANGE)


class UnitCreate(UnitPatch):
    name = ma.fields.Str(required=True, validate=v.Length(min=1, max=80))


class AdminSkillSchema(ma.Schema):
    code = ma.fields.Str()
    name = ma.fields.Str()
    category = ma.fields.Str()


class SkillPatch(ma.Schema):
    name = ma.fields.Str(validate=v.Length(min=1, max=40))
    category = ma.fields.Str(validate=v.Length(max=40))


class SkillCreate(SkillPatch):
    code = ma.fields.Str(required=True, validate=v.Regexp(
        r"^[a-z][a-z0-9_]{0,39}$", error="编码只能包含小写字母、数字和下划线，以字母开头"))
    name = ma.fields.Str(required=True, validate=v.Length(min=1, max=40))


class ImportQuery(ma.Schema):
    kind = ma.fields.Str(load_default=None, validate=v.OneOf(
        ["communities", "units", "volunteers", "residents"]))
    dry_run = ma.fields.Bool(load_default=False)


class ImportErrorSchema(ma.Schema):
    row = ma.fields.Int()
    column = ma.fields.Str()
    message = ma.fields.Str()


class ImportSchema(ma.Schema):
    id = ma.fields.Int()
    kind = ma.fields.Str()
    status = ma.fields.Str()
    dry_run = ma.fields.Bool()
    filename = ma.fields.Str()
    rows = ma.fields.Int()
    processed = ma.fields.Int()
    created = ma.fields.Int()
    updated = ma.fields.Int()
    errors = ma.fields.List(ma.fields.Nested(ImportErrorSchema))
    started_at = LocalDateTime()
    finished_at = LocalDateTime(allow_none=True)
