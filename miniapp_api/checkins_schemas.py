"""Schemas of 报到 (service-day check-ins). The volunteer's position is input only: no response
carries it; the venue's position is public."""
import marshmallow as ma
from marshmallow import validate as v

from .common import Computed, LocalDateTime

_ID = v.Range(min=1, max=2**31 - 1)


class CheckInCreateSchema(ma.Schema):
    venue_id = ma.fields.Int(required=True, validate=_ID)
    lat = ma.fields.Float(required=True, validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(required=True, validate=v.Range(min=-180, max=180), allow_nan=False)


class DayCheckInsQuery(ma.Schema):
    venue_id = ma.fields.Int(validate=_ID)


class CheckInVenueSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    community_id = ma.fields.Int()
    lat = ma.fields.Float()
    lng = ma.fields.Float()


class CheckInSchema(ma.Schema):
    id = ma.fields.Int()
    service_day_id = ma.fields.Int()
    venue = ma.fields.Nested(CheckInVenueSchema)
    volunteer_id = ma.fields.Int()
    community_id = ma.fields.Int()
    status = ma.fields.Str()
    checked_in_at = LocalDateTime()
    checked_out_at = LocalDateTime(allow_none=True)
    minutes = ma.fields.Int(allow_none=True)
    hours = ma.fields.Float(allow_none=True)


class DayCheckInSchema(CheckInSchema):
    """For secretaries in scope: who reported, by name."""
    name = Computed(lambda c: c.volunteer.user.name or "", ma.fields.Str())
