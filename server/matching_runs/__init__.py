"""Matching runs: load open tasks and available volunteers, solve with the engine in a separate
process, store proposals for secretaries to review."""
