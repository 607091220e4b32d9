"""Send the outbox's due subscribe messages through the WeChat client."""
from server.identity.actor import SYSTEM
from server.notifications.sender import send_due_messages


def send_outbox(now):
    return send_due_messages(SYSTEM, now=now)
