"""Retention of acknowledgements (called by the `retention` job): the free text a recipient sent
to a donor ("it arrived") is blanked RETENTION_ACK_DAYS after it was sent; the row — the fact of
the acknowledgement and its date, which the openness figures and the donor's history count —
stays."""
from datetime import datetime

from sqlalchemy import update

from ..extensions import db
from .models import LabelAck


def erase_old_ack_texts(before: datetime) -> int:
    return db.session.execute(update(LabelAck).where(
        LabelAck.created_at < before, LabelAck.message != "").values(message="")
        .execution_options(synchronize_session=False)).rowcount
