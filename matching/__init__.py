"""Lianxin matching engine: volunteers to tasks by min-cost flow (OR-Tools).

Plain dataclasses in, a Result out; imports nothing from the web application and never prints.
The solver functions load OR-Tools and NumPy on first use (PEP 562), so a process that only
builds tasks (the web app's task sources, an Excel import, the CLI) does not pay ~100 MB for them;
the web workers' fork server imports the engine at boot (gunicorn.conf.py).
"""
from importlib import import_module

from .model import MatchingError, Params, Proposal, Result, Task, Unmatched, Volunteer

_LAZY = {"solve": ".engine", "solve_greedy": ".engine", "solve_isolated": ".engine",
         "start_solver_server": ".engine", "solve_assignment": ".flow"}

__all__ = [
    "MatchingError", "Params", "Proposal", "Result", "Task", "Unmatched", "Volunteer",
    "solve", "solve_assignment", "solve_greedy", "solve_isolated", "start_solver_server",
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
