"""Policy: scope (see server/policy/__init__.py)."""
