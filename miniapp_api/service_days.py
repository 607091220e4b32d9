"""Venues and service days (党员义务奉献日): a street's event, its main and branch venues and
the stalls (offerings) that residents order from."""
from server.service_days import services

from . import service_days_schemas as s
from .common import current_actor
from .routes import Blueprint

PUBLIC = ("list_venues", "list_service_days", "get_service_day")

blp = Blueprint("service_days", __name__, description="党员义务奉献日：场地、主分会场与服务摊位")


@blp.creates("/venues", s.VenueCreateSchema, s.VenueSchema)
def create_venue(body):
    """登记服务场地（本社区书记）"""
    return services.create_venue(current_actor(), body)


@blp.lists("/venues", s.VenueQuery, s.VenueSchema, public=True)
def list_venues(query):
    """服务场地列表"""
    return services.venues_query(query.get("community_id"))


@blp.creates("/service-days", s.ServiceDayCreateSchema, s.ServiceDaySchema)
def create_service_day(body):
    """发布党员义务奉献日：主会场、分会场及各场地的服务摊位（街道书记）"""
    return services.create_service_day(current_actor(), body)


@blp.lists("/service-days", s.ServiceDayQuery, s.ServiceDayBriefSchema, public=True)
def list_service_days(query):
    """奉献日列表（按街道、起始日期）"""
    return services.service_days_query(query.get("street_id"), query.get("from_date"))


@blp.reads("/service-days/<int:day_id>", s.ServiceDaySchema, public=True)
def get_service_day(day_id):
    """奉献日详情：各会场的服务摊位、当天时段剩余名额和当天数据"""
    return services.get_service_day(day_id)


@blp.creates("/service-days/<int:day_id>/stalls", s.StallCreateSchema, s.StallSchema)
def add_stall(body, day_id):
    """在奉献日的某个会场增设服务摊位（街道书记）"""
    return services.add_stall(current_actor(), day_id, body["venue_id"], body["offering_id"])
