"""Notifications: WeChat subscribe messages written to an outbox, sent by the jobs process."""
