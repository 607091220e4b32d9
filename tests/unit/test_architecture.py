"""Imports run one way (DESIGN.md): miniapp_api → server → matching; jobs → server."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "matching": ("server", "miniapp_api", "jobs", "flask", "flask_smorest", "sqlalchemy"),
    "server": ("miniapp_api", "jobs"),
    "jobs": ("miniapp_api",),
}
# The app factory is the composition root: it alone registers the HTTP layer's blueprints.
COMPOSITION_ROOT = {ROOT / "server" / "__init__.py"}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_run_one_way(package):
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if path in COMPOSITION_ROOT:
            continue
        bad = set(_imports(path)) & set(FORBIDDEN[package])
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offenders, offenders


def test_services_never_commit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "server").rglob("services.py")
                 if ".commit(" in p.read_text(encoding="utf-8")]
    assert not offenders, offenders


def test_the_checker_sees_a_violation(tmp_path):
    bad = tmp_path / "x.py"
    bad.write_text("from server.extensions import db\nimport flask\n")
    assert {"server", "flask"} <= set(_imports(bad))
