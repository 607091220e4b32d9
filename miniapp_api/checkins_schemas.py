"""Schemas of 报到 (service-day check-ins). The volunteer's position is input only: no response
carries it; the venue's position is public."""
import marshmallow as ma

from .common import Computed, LocalDateTime
from .fields import IdName, id_in, lat_in, lng_in, opt_float, opt_int, opt_when, req_id


class CheckInCreateSchema(ma.Schema):
    venue_id = req_id()
    lat = lat_in(required=True)
    lng = lng_in(required=True)


class DayCheckInsQuery(ma.Schema):
    venue_id = id_in()


class CheckInVenueSchema(IdName):
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
    checked_out_at = opt_when()
    minutes = opt_int()
    hours = opt_float()


class DayCheckInSchema(CheckInSchema):
    """For secretaries in scope: who reported, by name."""
    name = Computed(lambda c: c.volunteer.user.name or "", ma.fields.Str())
