"""Policy: location (see server/policy/__init__.py)."""
