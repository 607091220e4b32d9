"""Volunteers (一人一档): application, approval (准入), leaving (准出)."""
