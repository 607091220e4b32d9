"""Policy: membership (see server/policy/__init__.py)."""
