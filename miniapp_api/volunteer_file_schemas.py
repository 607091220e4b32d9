"""Schema of a volunteer's file (一人一档). Sections are keyed by the registry in
server/volunteer_file/sections.py; a new section needs no change here."""
from datetime import datetime

import marshmallow as ma

from server.timeutil import LOCAL_TZ, as_utc

from .common import LocalDateTime
from .fields import IdName


class SectionRows(ma.fields.Dict):
    """Each section's rows; times as ISO 8601 in Asia/Shanghai, as everywhere in the API."""

    def _serialize(self, value, attr, obj, **kwargs):
        return {key: [{k: _plain(v) for k, v in row.items()} for row in rows]
                for key, rows in (value or {}).items()}


def _plain(value):
    if isinstance(value, datetime):
        return as_utc(value).astimezone(LOCAL_TZ).isoformat()
    return value


class FileProfileSchema(IdName):
    phone = ma.fields.Str(allow_none=True)
    status = ma.fields.Str()
    community_id = ma.fields.Int()
    community = ma.fields.Str()
    unit = ma.fields.Str(allow_none=True)
    skills = ma.fields.List(ma.fields.Str())
    skill_names = ma.fields.List(ma.fields.Str())
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
    sections = SectionRows(keys=ma.fields.Str(), values=ma.fields.List(ma.fields.Dict()))
