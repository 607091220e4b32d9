"""The guard of maintenance services (settings live in server/config.py: settings()).
`system_only` is a scope rule and lives in server/policy/scope.py; re-exported here."""
from ..policy.scope import system_only  # noqa: F401  (re-exported: its usual import path)
