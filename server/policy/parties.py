"""Policy: parties (see server/policy/__init__.py)."""
