"""Schemas of the org administration: streets, communities, grids, units, skills, imports."""
import json

import marshmallow as ma
from marshmallow import validate as v

from server.org.geo import geojson_problem

from .common import Computed, LocalDateTime
from .fields import (
    CodeName,
    IdName,
    id_in,
    lat_in,
    lng_in,
    opt_int,
    opt_when,
    rows_of,
    text_in,
    upto,
)


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


def creating(name: str, patch: type[ma.Schema], *required: str, **fields) -> type[ma.Schema]:
    """The create schema of a kind: its patch schema with the fields `required` required (and
    `fields` added or replaced), so the two are written once."""
    declared = patch().declared_fields  # fresh copies, ours to change
    for key in required:
        declared[key].required = True
    return type(name, (patch,), {**{key: declared[key] for key in required}, **fields})


class _Rename(ma.Schema):
    name = text_in(50)


def named_under(kind: str, parent: str) -> tuple[type[ma.Schema], ...]:
    """The row, patch and create schemas (Admin<kind>Schema, <kind>Patch, <kind>Create) of a
    kind that is a name under a parent (a street in its district, a grid in its community)."""
    row = type(f"Admin{kind}Schema", (IdName,), {parent: ma.fields.Int()})
    patch = type(f"{kind}Patch", (_Rename,), {})
    return row, patch, creating(f"{kind}Create", patch, "name", **{parent: id_in(required=True)})


AdminStreetSchema, StreetPatch, StreetCreate = named_under("Street", "district_id")
AdminGridSchema, GridPatch, GridCreate = named_under("Grid", "community_id")


class AdminCommunitySchema(IdName):
    street_id = ma.fields.Int()
    lat = ma.fields.Float()
    lng = ma.fields.Float()
    boundary = Boundary(allow_none=True)
    retired = Computed(lambda c: c.retired_at is not None, ma.fields.Bool(), dump_only=True)
    retired_at = opt_when()


class CommunityPatch(_Rename):
    street_id = id_in()
    lat = lat_in()
    lng = lng_in()
    boundary = Boundary(allow_none=True)
    retired = ma.fields.Bool()


CommunityCreate = creating("CommunityCreate", CommunityPatch, "name", "street_id", "lat", "lng",
                           retired=ma.fields.Bool(load_only=True, dump_default=False))


class AdminUnitSchema(IdName):
    kind = ma.fields.Str()
    community_id = opt_int()


class UnitPatch(ma.Schema):
    name = text_in(80)
    kind = text_in(20)
    community_id = id_in(allow_none=True)


UnitCreate = creating("UnitCreate", UnitPatch, "name")


class AdminSkillSchema(CodeName):
    category = ma.fields.Str()


class SkillPatch(ma.Schema):
    name = text_in(40)
    category = upto(40)


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
    errors = rows_of(ImportErrorSchema)
    started_at = LocalDateTime()
    finished_at = opt_when()
