"""The outbox: services enqueue subscribe messages in their own transaction; the jobs process
sends them later through the WeChat client."""
from datetime import datetime

from ..config import settings
from ..database import add_once
from ..extensions import db
from ..identity.models import User
from ..timeutil import LOCAL_TZ, utcnow
from ..wechat import build_subscribe_data
from .models import OutboxMessage

# kind → (template id, page, Chinese status phrase). Template ids are the mini-program's own;
# they can be overridden with WECHAT_TEMPLATE_<KIND> in the environment.
TEMPLATES = {
    "wish_approved": ("tmpl-wish-status", "pages/wish/detail", "审核通过"),
    "wish_rejected": ("tmpl-wish-status", "pages/wish/detail", "未通过审核"),
    "wish_claimed": ("tmpl-wish-status", "pages/wish/detail", "已被认领"),
    "wish_released": ("tmpl-wish-status", "pages/wish/detail", "重新待认领"),
    "wish_fulfilled": ("tmpl-wish-status", "pages/wish/detail", "待您确认"),
    "wish_confirmed": ("tmpl-wish-status", "pages/wish/detail", "已确认完成"),
    "wish_expired": ("tmpl-wish-status", "pages/wish/detail", "已过期"),
    "wish_cancelled": ("tmpl-wish-status", "pages/wish/detail", "已取消"),
    "wish_reminder": ("tmpl-task-reminder", "pages/wish/detail", "即将到期"),
    "order_reminder": ("tmpl-task-reminder", "pages/order/detail", "服务将开始"),
    "order_requested": ("tmpl-order-status", "pages/order/detail", "新预约"),
    "order_accepted": ("tmpl-order-status", "pages/order/detail", "已接单"),
    "order_assigned": ("tmpl-task-assigned", "pages/order/detail", "新派单"),
    "order_released": ("tmpl-order-status", "pages/order/detail", "待重新派单"),
    "order_done": ("tmpl-order-status", "pages/order/detail", "待您评价"),
    "order_cancelled": ("tmpl-order-status", "pages/order/detail", "已取消"),
    "order_no_show": ("tmpl-order-status", "pages/order/detail", "未到场"),
    "order_rated": ("tmpl-order-status", "pages/order/detail", "收到评价"),
    "proposal": ("tmpl-task-assigned", "pages/task/detail", "新推荐任务"),
    # volunteer service system (issue 16a): pairings
    "pairing": ("tmpl-task-assigned", "pages/pairing/detail", "新结对"),
    "pairing_visit_due": ("tmpl-task-reminder", "pages/pairing/detail", "走访将到期"),
    # donations (issue 14): the recipient's "it arrived", relayed to the donor
    "donation_ack": ("tmpl-donation-ack", "pages/donation/detail", "受助人已收到"),
    # care casework (server/care)
    "care_revisit_due": ("tmpl-task-reminder", "pages/care/case", "回访将到期"),
    "care_revisit_overdue": ("tmpl-task-reminder", "pages/care/case", "回访已逾期"),
}


def template_for(kind: str) -> tuple[str, str, str]:
    template_id, page, phrase = TEMPLATES[kind]
    override = settings().wechat_templates.get(f"WECHAT_TEMPLATE_{kind.upper()}")
    return override or template_id, page, phrase


def notify(user_id: int, kind: str, *, title: str, ref: str, when: datetime | None = None,
           note: str = "", dedupe: str | None = None, now: datetime | None = None):
    """Enqueue one subscribe message; the same dedupe key enqueues once. Nothing is sent to a
    cancelled account (注销): it has no WeChat id any more."""
    recipient = db.session.get(User, user_id)
    if recipient is None or recipient.cancelled_at is not None:
        return None
    template_id, page, phrase = template_for(kind)
    stamp = (when or now or utcnow()).astimezone(LOCAL_TZ)
    data = build_subscribe_data({"thing1": title, "phrase2": phrase,
                                 "time3": stamp, "thing4": note or phrase})
    message = OutboxMessage(user_id=user_id, kind=kind, template_id=template_id,
                            page=f"{page}?ref={ref}", data=data,
                            dedupe_key=(dedupe or f"{kind}:{ref}:{user_id}")[:120],
                            next_attempt_at=now or utcnow(), created_at=now or utcnow())
    return add_once(message)
