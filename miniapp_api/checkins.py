"""报到: an active volunteer checks in at a service day's venue (on the day, in its hours,
within the venue's radius, once), checks out for hours and points; secretaries follow the day's
check-ins live."""
from flask import Response

from server.checkins import exports, services
from server.excel import XLSX_MIMETYPE

from .checkins_schemas import CheckInCreateSchema, CheckInSchema, DayCheckInSchema, DayCheckInsQuery
from .common import BEARER, Blueprint, QueryPage, current_actor
from .idempotency import IDEMPOTENCY_DOC, idempotent

blp = Blueprint("checkins", __name__, description="奉献日报到：定位报到、签退计时")


@blp.route("/service-days/<int:day_id>/check-ins", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(CheckInCreateSchema)
@blp.response(201, CheckInSchema)
def check_in(body, day_id):
    """报到（在册志愿者）：当天报到时段内、场地半径内，每天一次；不在时段或重复 409，超出半径 422"""
    return services.check_in(current_actor(), day_id, body)


@blp.route("/service-days/<int:day_id>/check-ins", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(DayCheckInsQuery, location="query")
@blp.response(200, DayCheckInSchema(many=True))
@blp.paginate(QueryPage)
def day_checkins(query, day_id):
    """奉献日的实时报到名单（管辖范围内的书记：本社区报到的成员或本社区场地上的报到）"""
    return services.day_checkins_query(current_actor(), day_id, query.get("venue_id"))


@blp.route("/check-ins/mine", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, CheckInSchema(many=True))
@blp.paginate(QueryPage)
def my_checkins():
    """我的报到记录"""
    return services.my_checkins_query(current_actor())


@blp.route("/check-ins/<int:checkin_id>/check-out", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, CheckInSchema)
def check_out(checkin_id):
    """签退：记录服务时长（至多到当天报到时段结束），满 30 分钟按规则积分"""
    return services.check_out(current_actor(), checkin_id)


XLSX_DOC = {"responses": {"200": {"description": "Excel 工作簿", "content": {
    XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def _xlsx(body: bytes, filename: str) -> Response:
    return Response(body, mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blp.route("/service-days/<int:day_id>/check-ins.xlsx", methods=["GET"])
@blp.doc(security=BEARER, **XLSX_DOC)
def export_day_checkins(day_id):
    """导出奉献日报到名单（与实时名单相同的范围；导出记入审计）"""
    return _xlsx(exports.export_day_checkins(current_actor(), day_id), "check-ins.xlsx")
