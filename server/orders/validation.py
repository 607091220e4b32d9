"""Checks of order and offering input that need the database (shape is the schemas' job).
The skills check is server/identity/skills.py, re-exported here for code that imports it from
its old home."""
from ..identity.skills import check_skills  # noqa: F401
