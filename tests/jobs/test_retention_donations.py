"""Retention of donation acknowledgements (issue 14): the free text a recipient relayed to a donor
is blanked RETENTION_ACK_DAYS (180) after it was sent; the row — the fact and its date — stays."""
from datetime import timedelta

from server.config import settings
from server.donations.models import LabelAck
from server.extensions import db
from server.identity.actor import SYSTEM
from server.privacy_lifecycle.retention import enforce_retention
from server.timeutil import utcnow
from tests.donation_world import build_donations


def test_old_acknowledgement_texts_are_blanked_and_the_fact_stays(world):
    w = build_donations(world)
    sent = utcnow() - timedelta(days=30)
    old = LabelAck(donation_id=w.accepted.id, recipient_id=w.users["resident"].id,
                   message="谢谢王阿姨送来的大米，甲路1号", created_at=sent)
    new = LabelAck(donation_id=w.accepted.id, recipient_id=w.users["resident2"].id,
                   message="收到了，谢谢", created_at=sent + timedelta(days=20))
    db.session.add_all([old, new])
    db.session.commit()
    assert settings().retention_ack_days == 180
    assert enforce_retention(SYSTEM, now=sent + timedelta(days=179))["ack_texts_erased"] == 0
    later = sent + timedelta(days=181)
    assert enforce_retention(SYSTEM, now=later)["ack_texts_erased"] == 1
    assert enforce_retention(SYSTEM, now=later)["ack_texts_erased"] == 0  # a second run: nothing
    db.session.commit()
    rows = {a.id: a for a in db.session.execute(db.select(LabelAck)).scalars()}
    assert rows[old.id].message == "" and rows[old.id].created_at == sent  # the fact and date
    assert rows[new.id].message == "收到了，谢谢"
    assert enforce_retention(SYSTEM, now=later + timedelta(days=20))["ack_texts_erased"] == 1
