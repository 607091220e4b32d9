"""Send the outbox's due subscribe messages through the WeChat client.

The one job that commits inside its run: each message is taken (marked `sending`) and committed
before its WeChat call, and its answer is committed after it (server/notifications/sender.py).
"""
from server.extensions import db
from server.identity.actor import SYSTEM
from server.notifications.sender import send_due_messages


def send_outbox(now):
    return send_due_messages(SYSTEM, now=now, checkpoint=db.session.commit)
