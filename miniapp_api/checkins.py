"""报到: an active volunteer checks in at a service day's venue (on the day, in its hours,
within the venue's radius, once), checks out for hours and points; secretaries follow the day's
check-ins live."""
from server.checkins import exports, services

from .checkins_schemas import CheckInCreateSchema, CheckInSchema, DayCheckInSchema, DayCheckInsQuery
from .common import current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("checkins", __name__, description="奉献日报到：定位报到、签退计时")


@blp.creates("/service-days/<int:day_id>/check-ins", CheckInCreateSchema, CheckInSchema)
def check_in(body, day_id):
    """报到（在册志愿者）：当天报到时段内、场地半径内，每天一次；不在时段或重复 409，超出半径 422"""
    return services.check_in(current_actor(), day_id, body)


@blp.lists("/service-days/<int:day_id>/check-ins", DayCheckInsQuery, DayCheckInSchema)
def day_checkins(query, day_id):
    """奉献日的实时报到名单（管辖范围内的书记：本社区报到的成员或本社区场地上的报到）"""
    return services.day_checkins_query(current_actor(), day_id, query.get("venue_id"))


@blp.lists("/check-ins/mine", None, CheckInSchema)
def my_checkins():
    """我的报到记录"""
    return services.my_checkins_query(current_actor())


@blp.acts("/check-ins/<int:checkin_id>/check-out", CheckInSchema)
def check_out(checkin_id):
    """签退：记录服务时长（至多到当天报到时段结束），满 30 分钟按规则积分"""
    return services.check_out(current_actor(), checkin_id)


@blp.downloads("/service-days/<int:day_id>/check-ins.xlsx")
def export_day_checkins(day_id):
    """导出奉献日报到名单（与实时名单相同的范围；导出记入审计）"""
    return XLSX.answer(exports.export_day_checkins(current_actor(), day_id), "check-ins.xlsx")
