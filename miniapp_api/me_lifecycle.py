"""The privacy lifecycle: a copy of my data (PIPL art. 45) and cancelling my account (注销)."""
from server.privacy_lifecycle.cancel import cancel_account
from server.privacy_lifecycle.export import export_my_data

from .common import current_actor
from .me_lifecycle_schemas import AccountCancelledSchema, AccountCancelSchema, DataExportSchema
from .routes import Blueprint

blp = Blueprint("me_lifecycle", __name__, description="个人信息副本与注销账号")


@blp.reads("/me/export", DataExportSchema)
def export_me():
    """我的个人信息副本：系统保存的关于我的全部信息（JSON）"""
    return export_my_data(current_actor())


@blp.acts("/me/cancel", AccountCancelledSchema, AccountCancelSchema)
def cancel_me(body):
    """注销账号：个人信息删除或匿名化，未完成的心愿和订单取消，认领的任务释放"""
    user = cancel_account(current_actor(), confirm=body["confirm"])
    return {"cancelled": True, "cancelled_at": user.cancelled_at}
