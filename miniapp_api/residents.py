"""代办: a secretary or grid worker registers a resident who has no WeChat (POST /residents)."""
from server.residents.services import register_resident

from .common import current_actor
from .residents_schemas import RegisteredResidentSchema, ResidentCreateSchema
from .routes import Blueprint

blp = Blueprint("residents", __name__, description="代办：为没有微信的居民登记")


@blp.creates("/residents", ResidentCreateSchema, RegisteredResidentSchema)
def register(body):
    """代办：社区书记或网格员为没有微信的居民登记（记录纸质或口头同意及见证人）"""
    user = register_resident(current_actor(), body)
    return {"id": user.id, "name": user.name, "phone": user.phone,
            "phone_verified_via": user.phone_verified_via, "address": user.address,
            "community_id": user.community_id, "grid_id": user.grid_id, "has_wechat": False,
            "created_at": user.created_at}
