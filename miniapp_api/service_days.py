"""Venues and service days (党员义务奉献日): a street's event, its main and branch venues and
the stalls (offerings) that residents order from."""
import marshmallow as ma
from marshmallow import validate as v

from server.orders.queries import offering_view
from server.service_days import services
from server.service_days.models import VENUE_KINDS

from .common import ID_RANGE, Computed, LocalDateTime, current_actor
from .order_schemas import DAY_RANGE, OfferingSchema
from .routes import Blueprint

PUBLIC = ("list_venues", "list_service_days", "get_service_day")

blp = Blueprint("service_days", __name__, description="党员义务奉献日：场地、主分会场与服务摊位")


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


@blp.creates("/venues", VenueCreateSchema, VenueSchema)
def create_venue(body):
    """登记服务场地（本社区书记）"""
    return services.create_venue(current_actor(), body)


@blp.lists("/venues", VenueQuery, VenueSchema, public=True)
def list_venues(query):
    """服务场地列表"""
    return services.venues_query(query.get("community_id"))


@blp.creates("/service-days", ServiceDayCreateSchema, ServiceDaySchema)
def create_service_day(body):
    """发布党员义务奉献日：主会场、分会场及各场地的服务摊位（街道书记）"""
    return services.create_service_day(current_actor(), body)


@blp.lists("/service-days", ServiceDayQuery, ServiceDayBriefSchema, public=True)
def list_service_days(query):
    """奉献日列表（按街道、起始日期）"""
    return services.service_days_query(query.get("street_id"), query.get("from_date"))


@blp.reads("/service-days/<int:day_id>", ServiceDaySchema, public=True)
def get_service_day(day_id):
    """奉献日详情：各会场的服务摊位、当天时段剩余名额和当天数据"""
    return services.get_service_day(day_id)


@blp.creates("/service-days/<int:day_id>/stalls", StallCreateSchema, StallSchema)
def add_stall(body, day_id):
    """在奉献日的某个会场增设服务摊位（街道书记）"""
    return services.add_stall(current_actor(), day_id, body["venue_id"], body["offering_id"])
