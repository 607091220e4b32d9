"""设岗定职: posts per community (secretaries in scope), holders, duty logs (the holder reports,
a secretary confirms; points by rule)."""
from server.posts import queries, services

from . import post_schemas as s
from .common import current_actor
from .routes import Blueprint

blp = Blueprint("posts", __name__, description="设岗定职：岗位、任职与履职记录")


@blp.creates("/posts", s.PostCreateSchema, s.PostSchema)
def create_post(body):
    """设岗（管辖范围内的社区书记）：名称、职责、名额"""
    return services.create_post(current_actor(), body)


@blp.lists("/posts", s.PostListQuery, s.PostSchema)
def list_posts(query):
    """岗位列表：书记看管辖范围内的，志愿者看本社区的"""
    return queries.list_posts(current_actor(), query.get("community_id"))


@blp.reads("/posts/<int:post_id>", s.PostSchema)
def get_post(post_id):
    """岗位详情与在岗人员"""
    return services.get_post(current_actor(), post_id)


@blp.creates("/posts/<int:post_id>/holders", s.HolderInSchema, s.HolderSchema)
def appoint(body, post_id):
    """任命在岗志愿者（名额已满 409）"""
    return services.appoint_holder(current_actor(), post_id, body["volunteer_id"])


@blp.acts("/posts/<int:post_id>/holders/<int:holder_id>/end", s.HolderSchema, s.HolderEndSchema)
def relieve(body, post_id, holder_id):
    """卸任（本人或本社区书记），名额空出"""
    return services.relieve_holder(current_actor(), post_id, holder_id, body.get("reason"))


@blp.creates("/posts/<int:post_id>/logs", s.LogInSchema, s.PostLogSchema)
def log_duty(body, post_id):
    """填写履职记录（在岗志愿者本人）：内容与时长；书记确认后记积分"""
    return services.log_duty(current_actor(), post_id, body["note"], body["hours"])


@blp.lists("/posts/<int:post_id>/logs", None, s.PostLogSchema)
def list_logs(post_id):
    """履职记录：书记看全部，在岗志愿者看本人的"""
    return queries.list_logs(current_actor(), post_id)


@blp.acts("/posts/<int:post_id>/logs/<int:log_id>/decision", s.PostLogSchema, s.LogDecisionSchema)
def decide_log(body, post_id, log_id):
    """确认或退回履职记录（本社区书记，不能是本人）；确认时按规则记积分"""
    return services.decide_log(current_actor(), post_id, log_id,
                               body["decision"] == "confirm", body.get("reason"))
