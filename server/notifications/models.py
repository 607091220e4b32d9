from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Created, Keyed, known
from ..extensions import db
from ..statemachine import Machine
from ..timeutil import UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"
    # Taken by a run and committed before the WeChat call; the answer is recorded after it.
    SENDING = "sending"
    SENT = "sent"
    REFUSED = "refused"  # 43101: final, never retried
    FAILED = "failed"
    # Found `sending` after OUTBOX_SENDING_TIMEOUT_S: the run died during the call, so whether
    # WeChat took it is unknown. Final: a resend could burn a second one-time grant.
    UNCERTAIN = "uncertain"


# A run takes `pending` → `sending`, then records the answer, or puts it back (`pending`);
# a run that died mid-call leaves it `sending` until it is marked `uncertain`.
OUTBOX = Machine("消息", {
    OutboxStatus.PENDING: {OutboxStatus.SENDING},
    OutboxStatus.SENDING: {OutboxStatus.SENT, OutboxStatus.REFUSED, OutboxStatus.FAILED,
                           OutboxStatus.PENDING, OutboxStatus.UNCERTAIN},
})



class OutboxMessage(Keyed, Created, db.Model):
    """A subscribe message waiting to be sent. `refused` (43101) is final and never retried."""
    __tablename__ = "outbox"
    __table_args__ = (
        known(OutboxStatus),
        Index("ix_outbox_due", "status", "next_attempt_at"),
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    template_id: Mapped[str] = mapped_column(String(80))
    page: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict] = mapped_column(JSON)
    # Makes an event notify once even if its service runs twice (e.g. a job re-run).
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
