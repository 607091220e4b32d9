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


def _name(**kwargs):
    return ma.fields.Str(validate=_NAME, **kwargs)


def _parent(**kwargs):
    return ma.fields.Int(validate=ID_RANGE, **kwargs)


def creating(name: str, patch: type[ma.Schema], *required: str, **fields) -> type[ma.Schema]:
    """The create schema of a kind: its patch schema with the fields `required` required (and
    `fields` added or replaced), so the two are written once."""
    declared = patch().declared_fields  # fresh copies, ours to change
    for key in required:
        declared[key].required = True
    return type(name, (patch,), {**{key: declared[key] for key in required}, **fields})


class _Row(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()


class _Rename(ma.Schema):
    name = _name()


class AdminStreetSchema(_Row):
    district_id = ma.fields.Int()


class StreetPatch(_Rename):
    pass


StreetCreate = creating("StreetCreate", StreetPatch, "name", district_id=_parent(required=True))


class AdminCommunitySchema(_Row):
    street_id = ma.fields.Int()
    lat = ma.fields.Float()
    lng = ma.fields.Float()
    boundary = Boundary(allow_none=True)
    retired = Computed(lambda c: c.retired_at is not None, ma.fields.Bool(), dump_only=True)
    retired_at = LocalDateTime(allow_none=True)


class CommunityPatch(_Rename):
    street_id = _parent()
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)
    boundary = Boundary(allow_none=True)
    retired = ma.fields.Bool()


CommunityCreate = creating("CommunityCreate", CommunityPatch, "name", "street_id", "lat", "lng",
                           retired=ma.fields.Bool(load_only=True, dump_default=False))


class AdminGridSchema(_Row):
    community_id = ma.fields.Int()


class GridPatch(_Rename):
    pass


GridCreate = creating("GridCreate", GridPatch, "name", community_id=_parent(required=True))


class AdminUnitSchema(_Row):
    kind = ma.fields.Str()
    community_id = ma.fields.Int(allow_none=True)


class UnitPatch(ma.Schema):
    name = ma.fields.Str(validate=v.Length(min=1, max=80))
    kind = ma.fields.Str(validate=v.Length(min=1, max=20))
    community_id = _parent(allow_none=True)


UnitCreate = creating("UnitCreate", UnitPatch, "name")


class AdminSkillSchema(ma.Schema):
    code = ma.fields.Str()
    name = ma.fields.Str()
    category = ma.fields.Str()


class SkillPatch(ma.Schema):
    name = ma.fields.Str(validate=v.Length(min=1, max=40))
    category = ma.fields.Str(validate=v.Length(max=40))


SkillCreate = creating("SkillCreate", SkillPatch, "name", code=ma.fields.Str(
    required=True, validate=v.Regexp(
        r"^[a-z][a-z0-9_]{0,39}$", error="编码只能包含小写字母、数字和下划线，以字母开头")))


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
