"""The shapes of the venue and service-day endpoints (miniapp_api/service_days.py): venues, a
day with its main and branch venues and their stalls, and the day's figures."""
import marshmallow as ma
from marshmallow import validate as v

from server.orders.queries import offering_view
from server.service_days.models import VENUE_KINDS

from .common import ID_RANGE, Computed, LocalDateTime
from .order_schemas import DAY_RANGE, OfferingSchema


class VenueCreateSchema(ma.Schema):
    name = ma.fields.Str(required=True, validate=v.Length(min=2, max=60))
    address = ma.fields.Str(validate=v.Length(max=200), load_default="")
    community_id = ma.fields.Int(required=True, validate=ID_RANGE)
    lat = ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False)
    lng = ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False)

    @ma.validates_schema
    def _pair(self, data, **_):
        if ("lat" in data) != ("lng" in data):
            raise ma.ValidationError("经纬度需要同时提供", "lng")


class VenueSchema(ma.Schema):
    id = ma.fields.Int()
    name = ma.fields.Str()
    address = ma.fields.Str()
    community_id = ma.fields.Int()
    lat = ma.fields.Float()
    lng = ma.fields.Float()


class VenueQuery(ma.Schema):
    community_id = ma.fields.Int(validate=ID_RANGE)


class DayVenueInSchema(ma.Schema):
    venue_id = ma.fields.Int(required=True, validate=ID_RANGE)
    kind = ma.fields.Str(required=True, validate=v.OneOf(list(VENUE_KINDS)))
    stalls = ma.fields.List(ma.fields.Int(validate=ID_RANGE), validate=v.Length(max=100),
                            load_default=list)
    radius_m = ma.fields.Int(validate=v.Range(min=50, max=5000), load_default=300)  # 报到半径


class ServiceDayCreateSchema(ma.Schema):
    title = ma.fields.Str(required=True, validate=v.Length(min=2, max=60))
    date = ma.fields.Date(required=True, validate=DAY_RANGE)
    street_id = ma.fields.Int(required=True, validate=ID_RANGE)
    description = ma.fields.Str(validate=v.Length(max=500), load_default="")
    venues = ma.fields.List(ma.fields.Nested(DayVenueInSchema), required=True,
                            validate=v.Length(min=1, max=200))
    opens_at = ma.fields.Time(load_default=None)   # 报到时段 (Asia/Shanghai), 08:00 by default
    closes_at = ma.fields.Time(load_default=None)  # 18:00 by default

    @ma.validates_schema
    def _hours(self, data, **_):
        if data.get("opens_at") and data.get("closes_at") and data["opens_at"] >= data["closes_at"]:
            raise ma.ValidationError("报到结束时间应晚于开始时间", "closes_at")


class StallCreateSchema(ma.Schema):
    venue_id = ma.fields.Int(required=True, validate=ID_RANGE)
    offering_id = ma.fields.Int(required=True, validate=ID_RANGE)


class StallSchema(ma.Schema):
    id = ma.fields.Int()
    offering = Computed(
        lambda stall: OfferingSchema().dump(offering_view(stall.offering,
                                                          day=stall.day_venue.service_day.day)),
        ma.fields.Nested(OfferingSchema))


class DayVenueSchema(ma.Schema):
    id = ma.fields.Int()
    kind = ma.fields.Str()
    kind_name = Computed(lambda dv: VENUE_KINDS[dv.kind], ma.fields.Str())
    radius_m = ma.fields.Int()
    venue = ma.fields.Nested(VenueSchema)
    stalls = ma.fields.List(ma.fields.Nested(StallSchema))


class FiguresSchema(ma.Schema):
    main_venues = ma.fields.Int()
    branch_venues = ma.fields.Int()
    stalls = ma.fields.Int()
    orders = ma.fields.Int()
    served = ma.fields.Int()
    households = ma.fields.Int()
    # check-ins (报到, server/checkins/figures.py)
    check_ins = ma.fields.Int()
    members_reported = ma.fields.Int()
    checked_out = ma.fields.Int()
    volunteer_hours = ma.fields.Float()
    households_visited = ma.fields.Int()
    wishes_fulfilled = ma.fields.Int()


class ServiceDayBriefSchema(ma.Schema):
    id = ma.fields.Int()
    title = ma.fields.Str()
    date = ma.fields.Date(attribute="day")
    street_id = ma.fields.Int()
    description = ma.fields.Str()
    created_at = LocalDateTime()
    opens_at = ma.fields.Time()
    closes_at = ma.fields.Time()


class ServiceDaySchema(ServiceDayBriefSchema):
    venues = ma.fields.List(ma.fields.Nested(DayVenueSchema))
    figures = ma.fields.Nested(FiguresSchema, allow_none=True)


class ServiceDayQuery(ma.Schema):
    street_id = ma.fields.Int(validate=ID_RANGE)
    from_date = ma.fields.Date(data_key="from", validate=DAY_RANGE)
