"""Figures shared by the engine's stats and the benchmark."""
from __future__ import annotations

import numpy as np


def gini(values) -> float:
    """Gini coefficient of non-negative values (0 = perfectly even)."""
    x = np.sort(np.asarray(values, dtype=float))
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float(2.0 * (ranks * x).sum() / (n * total) - (n + 1) / n)


def assignment_stats(pr, task, vol, dist) -> dict:
    n = len(pr.tasks)
    served = np.bincount(task, minlength=n) if n else np.zeros(0, np.int64)
    loads = np.bincount(vol, minlength=len(pr.vols)) if len(pr.vols) else np.zeros(0, np.int64)
    travel = dist[pr.t_in_person[task]] if len(dist) else dist  # remote tasks need no travel
    total = int(travel.sum()) if len(travel) else 0
    return {
        "matched": int((served >= pr.t_needed).sum()) if n else 0,
        "partially": int(((served > 0) & (served < pr.t_needed)).sum()) if n else 0,
        "served_units": int(len(task)),
        "needed_units": int(pr.t_needed.sum()),
        "served_priority": int(pr.t_prio[task].sum()) if len(task) else 0,
        "total_distance_m": total,
        "mean_distance_m": round(total / len(travel), 1) if len(travel) else 0.0,
        "max_load": int(loads.max()) if len(loads) else 0,
        "gini": round(gini(loads), 4),
    }
