"""Micro-wish endpoints (微心愿): post, wall, review, claim, release, fulfil, confirm, cancel."""
from server.paging import Paged
from server.wishes import queries, services

from . import wish_schemas as s
from .common import current_actor, optional_actor
from .routes import Blueprint

PUBLIC = ("wall", "get_wish", "categories")

blp = Blueprint("wishes", __name__, description="微心愿：发布、审核、认领、完成、确认")


@blp.creates("/wishes", s.WishCreateSchema, s.WishCreatedSchema)
def post_wish(body):
    """发布微心愿（先经微信内容安全检查，再由社区书记审核）"""
    return services.post_wish(current_actor(), body)


@blp.lists("/wishes", s.WishWallQuery, s.WishSchema, public=True)
def wall(query):
    """心愿墙：按状态、社区、类别、距离筛选；姓名打码，不含地址和电话"""
    actor = optional_actor()
    return Paged(queries.wall_query(actor, query),
                 lambda wish: queries.view_of(actor, wish, lat=query.get("lat"),
                                              lng=query.get("lng")))


@blp.reads("/wishes/categories", s.WishCategorySchema(many=True), public=True)
def categories():
    """心愿类别"""
    return queries.wish_categories()


@blp.lists("/wishes/mine", s.MineQuery, s.WishSchema)
def mine(query):
    """我发布的心愿和我认领过的心愿"""
    actor = current_actor()
    return Paged(queries.my_wishes_query(actor, query.get("role")),
                 lambda wish: queries.view_of(actor, wish))


@blp.reads("/wishes/<int:wish_id>", s.WishSchema, public=True)
def get_wish(wish_id):
    """心愿详情；地址和电话仅对发布人、认领志愿者和本社区书记可见"""
    return queries.get_wish(optional_actor(), wish_id)


def _view(wish):
    return queries.view_of(current_actor(), wish)


@blp.acts("/wishes/<int:wish_id>/review", s.WishSchema, s.ReviewSchema)
def review(body, wish_id):
    """审核心愿（本社区书记）"""
    return _view(services.review_wish(current_actor(), wish_id, body["decision"] == "approve",
                                      body.get("reason")))


@blp.acts("/wishes/<int:wish_id>/claim", s.WishSchema)
def claim(wish_id):
    """认领心愿（已准入的志愿者）；已被认领则 409"""
    return _view(services.claim_wish(current_actor(), wish_id))


@blp.acts("/wishes/<int:wish_id>/release", s.WishSchema, s.WishReleaseSchema)
def release(body, wish_id):
    """放弃认领（需说明原因），心愿重新开放"""
    return _view(services.release_wish(current_actor(), wish_id, body["reason"]))


@blp.acts("/wishes/<int:wish_id>/fulfil", s.WishSchema, s.FulfilSchema)
def fulfil(body, wish_id):
    """标记心愿已完成（认领志愿者），等待居民确认"""
    return _view(services.fulfil_wish(current_actor(), wish_id, body["note"], body["photo_urls"]))


@blp.acts("/wishes/<int:wish_id>/confirm", s.WishSchema, s.ConfirmSchema)
def confirm(body, wish_id):
    """确认完成并评价（发布人，或代不会用手机的居民确认的书记）；此时发放积分"""
    return _view(services.confirm_wish(current_actor(), wish_id, body["rating"],
                                       body.get("thanks")))


@blp.acts("/wishes/<int:wish_id>/cancel", s.WishSchema)
def cancel(wish_id):
    """撤回心愿（发布人，未被认领时）"""
    return _view(services.cancel_wish(current_actor(), wish_id))
