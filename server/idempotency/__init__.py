"""Idempotency keys: a repeated creating POST returns the first response and creates nothing."""
