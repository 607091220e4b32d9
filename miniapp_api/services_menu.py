"""Service menu endpoints (资源清单): publish, browse, edit and withdraw service offerings."""
from server.orders import offerings, queries
from server.paging import Paged

from . import order_schemas as s
from .common import current_actor
from .routes import Blueprint

PUBLIC = ("menu", "get_service", "categories")

blp = Blueprint("service_menu", __name__, description="点单式服务：服务清单（资源清单）与时段")


@blp.creates("/services", s.OfferingCreateSchema, s.OfferingSchema)
def publish(body):
    """发布服务（已准入的志愿者；书记可代单位发布并指定服务志愿者），附时段和容量"""
    return queries.offering_view(offerings.publish_offering(current_actor(), body))


@blp.lists("/services", s.MenuQuery, s.OfferingSchema, public=True)
def menu(query):
    """服务菜单：按类别、社区、日期、距离筛选；每个时段给出剩余名额"""
    return Paged(queries.menu_query(query),
                 lambda offering: queries.offering_view(offering, day=query.get("date"),
                                                        lat=query.get("lat"),
                                                        lng=query.get("lng")))


@blp.reads("/services/categories", s.ServiceCategorySchema(many=True), public=True)
def categories():
    """服务类别"""
    return queries.service_categories()


@blp.reads("/services/<int:service_id>", s.OfferingSchema, public=True)
def get_service(service_id):
    """服务详情，含将来的时段和剩余名额"""
    return queries.get_offering(service_id)


@blp.acts("/services/<int:service_id>", s.OfferingSchema, s.OfferingEditSchema, method="PATCH")
def edit_service(body, service_id):
    """修改服务（发布人、服务志愿者或本社区书记）；已有预约的时段不能改时间，容量不能少于已约人数"""
    return queries.offering_view(offerings.edit_offering(current_actor(), service_id, body))


@blp.acts("/services/<int:service_id>/withdraw", s.OfferingSchema, s.WithdrawSchema)
def withdraw_service(body, service_id):
    """撤回服务：未完成的订单全部取消并通知居民"""
    return queries.offering_view(offerings.withdraw_offering(current_actor(), service_id,
                                                             body.get("reason")))
