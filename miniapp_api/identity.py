"""Identity endpoints: login, me, consents, the org tree, skills, role grants."""
from flask import current_app
from flask.views import MethodView

from server.config import settings
from server.identity import roles as role_services
from server.identity import services, skills
from server.identity.actor import Actor

from . import identity_schemas as s
from .common import BEARER, QueryPage, current_actor
from .routes import Blueprint

PUBLIC = ("wechat_login", "list_communities", "list_skills", "list_units")

blp = Blueprint("identity", __name__, description="登录、个人信息、组织架构、技能、授权与角色")


class _UserView:
    """A user with the caller's roles attached, for serialisation."""

    def __init__(self, user, actor: Actor, consents=None):
        self.__dict__.update({c.key: getattr(user, c.key) for c in user.__mapper__.column_attrs})
        self.roles = sorted(actor.roles)
        self.volunteer_status = actor.volunteer_status
        self.consents = consents or []


@blp.acts("/auth/wechat-login", s.LoginResultSchema, s.LoginSchema, public=True)
def wechat_login(body):
    """微信登录：用 wx.login 的 code 换取本系统的访问令牌"""
    ttl = settings().token_ttl_s
    user, token = services.login_with_wechat(
        body["code"], secret=current_app.config["SECRET_KEY"], ttl_s=ttl)
    actor = services.load_actor(user.id)
    return {"token": token, "expires_in": ttl, "user": _UserView(user, actor)}


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=BEARER)
    @blp.response(200, s.MeSchema)
    def get(self):
        """我的信息（本人手机号不打码）"""
        actor = current_actor()
        return _UserView(services.get_me(actor), actor, services.list_consents(actor))

    @blp.doc(security=BEARER)
    @blp.arguments(s.MeUpdateSchema)
    @blp.response(200, s.MeSchema)
    def patch(self, body):
        """修改我的信息"""
        actor = current_actor()
        return _UserView(services.update_me(actor, body), actor, services.list_consents(actor))


@blp.acts("/me/phone", s.MeSchema, s.PhoneCodeSchema)
def bind_phone(body):
    """用微信手机号快速验证的 code 绑定手机号"""
    actor = current_actor()
    return _UserView(services.bind_phone_from_wechat(actor, body["code"]), actor,
                     services.list_consents(actor))


@blp.lists("/units", None, s.UnitSchema, public=True, page_size=100)
def list_units():
    """单位（机关、企事业单位党组织）"""
    return services.list_units()


@blp.acts("/me/consents", s.ConsentSchema, s.ConsentSchema, status=201)
def give_consent(body):
    """同意某项个人信息处理（困难情况需单独同意）"""
    version = body.get("policy_version") or settings().policy_version
    return services.give_consent(current_actor(), body["purpose"], version)


@blp.acts("/me/consents/<string:purpose>/withdraw", s.ConsentSchema(many=True))
def withdraw_consent(purpose):
    """撤回某项授权"""
    return services.withdraw_consent(current_actor(), purpose)


@blp.lists("/communities", None, s.CommunitySchema, public=True, page_size=100)
def list_communities():
    """社区列表（组织架构）"""
    return services.list_communities()


@blp.reads("/skills", s.SkillSchema(many=True), public=True)
def list_skills():
    """技能目录"""
    return skills.list_skills()


@blp.route("/admin/roles")
class RoleGrants(MethodView):
    @blp.doc(security=BEARER)
    @blp.arguments(s.RoleListQuerySchema, location="query")
    @blp.response(200, s.RoleGrantSchema(many=True))
    @blp.paginate(QueryPage)
    def get(self, query):
        """角色授予记录（管理员）"""
        return role_services.list_role_grants(current_actor(), query.get("user_id"))

    @blp.doc(security=BEARER)
    @blp.arguments(s.RoleGrantCreateSchema)
    @blp.response(201, s.GrantResultSchema)
    def post(self, body):
        """授予角色（管理员，限管辖范围）"""
        return role_services.grant_role(current_actor(), **body)


@blp.acts("/admin/roles/<int:grant_id>/revoke", s.RoleGrantSchema)
def revoke_role(grant_id):
    """撤销角色，立即生效"""
    return role_services.revoke_role(current_actor(), grant_id)


@blp.acts("/residents/<int:user_id>/need-tier", s.ResidentSchema, s.NeedTierSchema, method="PUT")
def set_need_tier(body, user_id):
    """登记居民困难等级（书记；需居民单独同意）"""
    return role_services.set_need_tier(current_actor(), user_id, body["need_tier"])
