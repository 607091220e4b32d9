"""Audit: an append-only record of reviews, role changes and sensitive reads."""
