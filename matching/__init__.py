"""Lianxin matching engine: volunteers to tasks by min-cost flow (OR-Tools).

Plain dataclasses in, a Result out; imports nothing from the web application and never prints.
"""
from .engine import solve, solve_greedy, solve_isolated, start_solver_server
from .flow import solve_assignment
from .model import MatchingError, Params, Proposal, Result, Task, Unmatched, Volunteer

__all__ = [
    "MatchingError", "Params", "Proposal", "Result", "Task", "Unmatched", "Volunteer",
    "solve", "solve_assignment", "solve_greedy", "solve_isolated", "start_solver_server",
]
