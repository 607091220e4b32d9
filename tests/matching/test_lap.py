"""Dense assignment through the engine's flow code: OR-Library optima, the CLI, random checks."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from matching import solve_assignment
from matching.__main__ import read_orlib

REPO = Path(__file__).resolve().parents[2]
ORLIB = Path(__file__).resolve().parents[3] / "shared" / "bench" / "orlib"
# Known optima from the folder's README; any other file of the series is checked against scipy.
OPTIMA = {"assign100.txt": 305, "assign200.txt": 475, "assign300.txt": 626, "assign400.txt": 804}
FILES = sorted(ORLIB.glob("assign*.txt")) if ORLIB.is_dir() else []


def _optimum(path: Path) -> int:
    if path.name in OPTIMA:
        return OPTIMA[path.name]
    cost = read_orlib(str(path))  # a file beyond the known table: check against scipy
    r, c = linear_sum_assignment(cost)
    return int(cost[r, c].sum())


@pytest.mark.skipif(not FILES, reason=f"OR-Library folder not found at {ORLIB}")
@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_orlib_optimum(path):
    cost = read_orlib(str(path))
    total, cols = solve_assignment(cost)
    assert total == _optimum(path)
    assert sorted(cols) == list(range(len(cost)))
    assert int(cost[np.arange(len(cost)), cols].sum()) == total


@pytest.mark.skipif(not FILES, reason=f"OR-Library folder not found at {ORLIB}")
def test_cli_prints_optimum_as_last_line():
    path = FILES[0]
    out = subprocess.run([sys.executable, "-m", "matching", "lap", str(path)], cwd=REPO,
                         capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == str(_optimum(path))


def test_read_orlib_ignores_line_breaks(tmp_path):
    f = tmp_path / "tiny.txt"
    f.write_text(" 3\n4 1 3 2\n0 5\n3 2 2\n")
    assert read_orlib(str(f)).tolist() == [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
    assert solve_assignment(read_orlib(str(f)))[0] == 5


@pytest.mark.parametrize("seed", range(5))
def test_random_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(1, 40))
    cost = rng.integers(0, 1000, size=(rows, rows + int(rng.integers(0, 5))))
    r, c = linear_sum_assignment(cost)
    total, cols = solve_assignment(cost)
    assert total == int(cost[r, c].sum())
    assert len(set(cols)) == rows


def test_empty_and_bad_shapes():
    assert solve_assignment(np.zeros((0, 0), dtype=int)) == (0, [])
    with pytest.raises(ValueError):
        solve_assignment(np.ones((3, 2), dtype=int))
