"""Points (积分): an append-only ledger with rules admins set."""
