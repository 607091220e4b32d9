"""关爱基金 and 党内帮扶: the care fund's double-entry ledger, contributions, assistance cases,
disbursement batches, revisits and the yearly report (docs/care.md)."""
