"""Order endpoints (需求清单): book a slot or ask for a home visit, then accept, complete,
cancel, no-show, rate; secretaries list their communities' orders and assign unassigned ones."""
from server.orders import queries, services
from server.paging import Paged

from . import order_schemas as s
from .common import current_actor
from .routes import Blueprint

blp = Blueprint("orders", __name__, description="点单式服务：下单、接单、完成、取消、评价")


def _view(order):
    return queries.view_of(current_actor(), order)


@blp.creates("/orders", s.OrderCreateSchema, s.OrderSchema)
def place_order(body):
    """下单：预约某个时段（约满则 409），或不指定志愿者请求上门服务（等待匹配派单）"""
    return _view(services.place_order(current_actor(), body))


@blp.lists("/orders", s.CommunityOrdersQuery, s.OrderSchema)
def community_orders(query):
    """本社区的订单（书记），unassigned=true 列出等待派单的上门服务；电话打码"""
    actor = current_actor()
    return Paged(queries.community_orders_query(actor, query),
                 lambda order: queries.view_of(actor, order))


@blp.lists("/orders/mine", s.MyOrdersQuery, s.OrderSchema)
def my_orders(query):
    """我下的订单和我服务的订单"""
    actor = current_actor()
    return Paged(queries.my_orders_query(actor, query.get("role"), query.get("status")),
                 lambda order: queries.view_of(actor, order))


@blp.reads("/orders/<int:order_id>", s.OrderSchema)
def get_order(order_id):
    """订单详情；居民电话和住址仅对本人、本社区书记和已接单的上门服务志愿者可见"""
    return queries.get_order(current_actor(), order_id)


@blp.acts("/orders/<int:order_id>/accept", s.OrderSchema)
def accept(order_id):
    """接单（该服务的志愿者）"""
    return _view(services.accept_order(current_actor(), order_id))


@blp.acts("/orders/<int:order_id>/complete", s.OrderSchema, s.NoteSchema)
def complete(body, order_id):
    """标记服务完成（服务志愿者），等待居民评价"""
    return _view(services.complete_order(current_actor(), order_id, body.get("note")))


@blp.acts("/orders/<int:order_id>/cancel", s.OrderSchema, s.CancelSchema)
def cancel(body, order_id):
    """取消订单（居民、服务志愿者或书记，需说明原因）；名额退回"""
    return _view(services.cancel_order(current_actor(), order_id, body["reason"]))


@blp.acts("/orders/<int:order_id>/no-show", s.OrderSchema, s.NoteSchema)
def no_show(body, order_id):
    """标记居民未到场（服务志愿者，服务开始之后）"""
    return _view(services.mark_no_show(current_actor(), order_id, body.get("note")))


@blp.acts("/orders/<int:order_id>/rate", s.OrderSchema, s.RateSchema)
def rate(body, order_id):
    """评价（下单居民，1–5 星）；此时为志愿者发放积分"""
    return _view(services.rate_order(current_actor(), order_id, body["rating"],
                                     body.get("comment")))


@blp.acts("/orders/<int:order_id>/assign", s.OrderSchema, s.AssignSchema)
def assign(body, order_id):
    """派单：把等待中的订单派给一位志愿者（本社区书记）"""
    return _view(services.assign_order(current_actor(), order_id, body["volunteer_id"]))


@blp.acts("/orders/<int:order_id>/release", s.OrderSchema, s.OrderReleaseSchema)
def release(body, order_id):
    """退回派单（被派到的志愿者或书记），订单重新等待派单"""
    return _view(services.release_order(current_actor(), order_id, body.get("reason")))
