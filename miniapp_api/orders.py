"""Order endpoints (需求清单): book a slot or ask for a home visit, then accept, complete,
cancel, no-show, rate; secretaries list their communities' orders and assign unassigned ones."""
from server.orders import queries, services
from server.paging import Paged

from .common import BEARER, Blueprint, QueryPage, current_actor
from .idempotency import IDEMPOTENCY_DOC, idempotent
from .order_schemas import (
    AssignSchema,
    CancelSchema,
    CommunityOrdersQuery,
    MyOrdersQuery,
    NoteSchema,
    OrderCreateSchema,
    OrderReleaseSchema,
    OrderSchema,
    RateSchema,
)

blp = Blueprint("orders", __name__, description="点单式服务：下单、接单、完成、取消、评价")


def _view(order):
    return queries.view_of(current_actor(), order)


@blp.route("/orders", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(OrderCreateSchema)
@blp.response(201, OrderSchema)
def place_order(body):
    """下单：预约某个时段（约满则 409），或不指定志愿者请求上门服务（等待匹配派单）"""
    return _view(services.place_order(current_actor(), body))


@blp.route("/orders", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(CommunityOrdersQuery, location="query")
@blp.response(200, OrderSchema(many=True))
@blp.paginate(QueryPage)
def community_orders(query):
    """本社区的订单（书记），unassigned=true 列出等待派单的上门服务；电话打码"""
    actor = current_actor()
    return Paged(queries.community_orders_query(actor, query),
                 lambda order: queries.view_of(actor, order))


@blp.route("/orders/mine")
@blp.doc(security=BEARER)
@blp.arguments(MyOrdersQuery, location="query")
@blp.response(200, OrderSchema(many=True))
@blp.paginate(QueryPage)
def my_orders(query):
    """我下的订单和我服务的订单"""
    actor = current_actor()
    return Paged(queries.my_orders_query(actor, query.get("role"), query.get("status")),
                 lambda order: queries.view_of(actor, order))


@blp.route("/orders/<int:order_id>")
@blp.doc(security=BEARER)
@blp.response(200, OrderSchema)
def get_order(order_id):
    """订单详情；居民电话和住址仅对本人、本社区书记和已接单的上门服务志愿者可见"""
    return queries.get_order(current_actor(), order_id)


@blp.route("/orders/<int:order_id>/accept", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, OrderSchema)
def accept(order_id):
    """接单（该服务的志愿者）"""
    return _view(services.accept_order(current_actor(), order_id))


@blp.route("/orders/<int:order_id>/complete", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(NoteSchema)
@blp.response(200, OrderSchema)
def complete(body, order_id):
    """标记服务完成（服务志愿者），等待居民评价"""
    return _view(services.complete_order(current_actor(), order_id, body.get("note")))


@blp.route("/orders/<int:order_id>/cancel", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(CancelSchema)
@blp.response(200, OrderSchema)
def cancel(body, order_id):
    """取消订单（居民、服务志愿者或书记，需说明原因）；名额退回"""
    return _view(services.cancel_order(current_actor(), order_id, body["reason"]))


@blp.route("/orders/<int:order_id>/no-show", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(NoteSchema)
@blp.response(200, OrderSchema)
def no_show(body, order_id):
    """标记居民未到场（服务志愿者，服务开始之后）"""
    return _view(services.mark_no_show(current_actor(), order_id, body.get("note")))


@blp.route("/orders/<int:order_id>/rate", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(RateSchema)
@blp.response(200, OrderSchema)
def rate(body, order_id):
    """评价（下单居民，1–5 星）；此时为志愿者发放积分"""
    return _view(services.rate_order(current_actor(), order_id, body["rating"],
                                     body.get("comment")))


@blp.route("/orders/<int:order_id>/assign", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(AssignSchema)
@blp.response(200, OrderSchema)
def assign(body, order_id):
    """派单：把等待中的订单派给一位志愿者（本社区书记）"""
    return _view(services.assign_order(current_actor(), order_id, body["volunteer_id"]))


@blp.route("/orders/<int:order_id>/release", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(OrderReleaseSchema)
@blp.response(200, OrderSchema)
def release(body, order_id):
    """退回派单（被派到的志愿者或书记），订单重新等待派单"""
    return _view(services.release_order(current_actor(), order_id, body.get("reason")))
