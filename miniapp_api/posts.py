"""设岗定职: posts per community (secretaries in scope), holders, duty logs (the holder reports,
a secretary confirms; points by rule)."""
from server.posts import queries, services

from .common import BEARER, Blueprint, QueryPage, current_actor
from .idempotency import IDEMPOTENCY_DOC, idempotent
from .post_schemas import (
    HolderEndSchema,
    HolderInSchema,
    HolderSchema,
    LogDecisionSchema,
    LogInSchema,
    PostCreateSchema,
    PostListQuery,
    PostLogSchema,
    PostSchema,
)

blp = Blueprint("posts", __name__, description="设岗定职：岗位、任职与履职记录")


@blp.route("/posts", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(PostCreateSchema)
@blp.response(201, PostSchema)
def create_post(body):
    """设岗（管辖范围内的社区书记）：名称、职责、名额"""
    return services.create_post(current_actor(), body)


@blp.route("/posts", methods=["GET"])
@blp.doc(security=BEARER)
@blp.arguments(PostListQuery, location="query")
@blp.response(200, PostSchema(many=True))
@blp.paginate(QueryPage)
def list_posts(query):
    """岗位列表：书记看管辖范围内的，志愿者看本社区的"""
    return queries.list_posts(current_actor(), query.get("community_id"))


@blp.route("/posts/<int:post_id>")
@blp.doc(security=BEARER)
@blp.response(200, PostSchema)
def get_post(post_id):
    """岗位详情与在岗人员"""
    return services.get_post(current_actor(), post_id)


@blp.route("/posts/<int:post_id>/holders", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(HolderInSchema)
@blp.response(201, HolderSchema)
def appoint(body, post_id):
    """任命在岗志愿者（名额已满 409）"""
    return services.appoint_holder(current_actor(), post_id, body["volunteer_id"])


@blp.route("/posts/<int:post_id>/holders/<int:holder_id>/end", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(HolderEndSchema)
@blp.response(200, HolderSchema)
def relieve(body, post_id, holder_id):
    """卸任（本人或本社区书记），名额空出"""
    return services.relieve_holder(current_actor(), post_id, holder_id, body.get("reason"))


@blp.route("/posts/<int:post_id>/logs", methods=["POST"])
@idempotent
@blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
@blp.arguments(LogInSchema)
@blp.response(201, PostLogSchema)
def log_duty(body, post_id):
    """填写履职记录（在岗志愿者本人）：内容与时长；书记确认后记积分"""
    return services.log_duty(current_actor(), post_id, body["note"], body["hours"])


@blp.route("/posts/<int:post_id>/logs", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, PostLogSchema(many=True))
@blp.paginate(QueryPage)
def list_logs(post_id):
    """履职记录：书记看全部，在岗志愿者看本人的"""
    return queries.list_logs(current_actor(), post_id)


@blp.route("/posts/<int:post_id>/logs/<int:log_id>/decision", methods=["POST"])
@blp.doc(security=BEARER)
@blp.arguments(LogDecisionSchema)
@blp.response(200, PostLogSchema)
def decide_log(body, post_id, log_id):
    """确认或退回履职记录（本社区书记，不能是本人）；确认时按规则记积分"""
    return services.decide_log(current_actor(), post_id, log_id,
                               body["decision"] == "confirm", body.get("reason"))
