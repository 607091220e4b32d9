"""Schema of a volunteer's file (一人一档). Sections are keyed by the registry in
server/volunteer_file/sections.py; a new section needs no change here."""
import marshmallow as ma

from .common import LocalDateTime


class FileProfileSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    phone = ma.fields.Str(allow_none=True)
    status = ma.fields.Str()
    community_id = ma.fields.Int()
    community = ma.fields.Str()
    unit = ma.fields.Str(allow_none=True)
    skills = ma.fields.List(ma.fields.Str())
    is_party_member = ma.fields.Bool()
    applied_at = LocalDateTime()
    left_at = LocalDateTime(allow_none=True)


class RatingsSchema(ma.Schema):
    count = ma.fields.Int()
    average = ma.fields.Float(allow_none=True)


class VolunteerFileSchema(ma.Schema):
    profile = ma.fields.Nested(FileProfileSchema)
    hours = ma.fields.Float()
    points = ma.fields.Int()
    tasks = ma.fields.Int()
    ratings = ma.fields.Nested(RatingsSchema)
    titles = ma.fields.Dict(keys=ma.fields.Str(), values=ma.fields.Str())
    sections = ma.fields.Dict(keys=ma.fields.Str(), values=ma.fields.List(ma.fields.Dict()))
