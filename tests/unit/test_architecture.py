"""Imports run one way (DESIGN.md): miniapp_api → server → matching; jobs → server."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = {
    "matching": ("server", "miniapp_api", "jobs", "flask", "flask_smorest", "sqlalchemy"),
    "server": ("miniapp_api", "jobs", "console"),
    "jobs": ("miniapp_api", "console"),
    "miniapp_api": ("console",),
    "console": ("miniapp_api", "jobs"),  # the second face (DESIGN.md): console → server
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


# The capability DAG (docs/architecture.md): a server package may import, at module level, only
# packages of earlier layers (the foundation's modules also each other, and so do the composition
# root's). Keep in step with the doc.
LAYERS = [
    {"extensions", "errors", "timeutil", "database", "config", "logsafe", "paging", "privacy",
     "ratelimit", "idempotency", "statemachine", "excel", "enums"},
    {"policy"},
    {"audit"},
    {"wechat"},
    {"identity"},
    {"console_auth"},  # signing in to the console reads users and their grants
    {"scheduling"},
    {"volunteers"},
    {"notifications"},
    {"points"},
    {"orders"},
    {"service_days"},
    {"wishes"},
    {"matching_runs"},
    {"org", "reports"},
    {"residents"},
    # the programmes of API.md part 2 (issues 14-16): each reads people, households, points
    {"donations", "care", "posts", "pairings", "projects", "checkins", "stars"},
    {"names"},  # the Chinese names of every machine's statuses (console pages, exports)
    {"volunteer_file"},  # 一人一档 reads every task of every programme
    {"privacy_lifecycle"},
    {"demo"},
    # the composition root: the app factory, its hooks (wiring), commands
    {"__init__", "models", "cli", "web", "wiring"},
]
RANK = {package: i for i, layer in enumerate(LAYERS) for package in layer}
# Known edges against the order, each to be removed, never added to (the test fails when one is
# gone, so the list only shrinks). file → the later package it imports.
# Empty since issue 11 (12 edges before): keep it so; an edge that cannot be avoided goes
# through a hook the composition root fills (server/wiring.py) instead.
DEBT: dict[tuple[str, str], str] = {}


def _server_targets(root: Path, path: Path, node) -> list[str]:
    """The server packages a module-level import statement reaches."""
    package_parts = list(path.relative_to(root).with_suffix("").parts)[:-1]
    if isinstance(node, ast.Import):
        return [a.name.split(".")[1] for a in node.names if a.name.startswith("server.")]
    if node.level == 0:
        module = node.module or ""
        if module == "server":
            return [a.name for a in node.names]
        return [module.split(".")[1]] if module.startswith("server.") else []
    full = package_parts[:len(package_parts) - (node.level - 1)]
    full += node.module.split(".") if node.module else []
    if len(full) >= 2:
        return [full[1]]
    return [a.name for a in node.names] if len(full) == 1 else []


def _layer_violations(root: Path) -> set[tuple[str, str]]:
    found = set()
    for path in sorted((root / "server").rglob("*.py")):
        source = path.relative_to(root / "server").parts[0].removesuffix(".py")
        assert source in RANK, f"{source} has no layer in LAYERS (docs/architecture.md)"
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            for target in _server_targets(root, path, node):
                assert target in RANK, f"{path}: {target} has no layer"
                # the foundation's modules, and the composition root's, import each other
                same_layer = RANK[target] == RANK[source] in (0, RANK["__init__"])
                if target != source and RANK[target] >= RANK[source] and not same_layer:
                    found.add((path.relative_to(root).as_posix(), target))
    return found


def test_server_packages_follow_the_capability_order():
    found = _layer_violations(ROOT)
    assert not found - DEBT.keys(), f"imports against docs/architecture.md: {sorted(found - DEBT.keys())}"
    assert not DEBT.keys() - found, f"fixed — remove from DEBT: {sorted(DEBT.keys() - found)}"


def test_the_order_checker_sees_a_back_edge(tmp_path):
    (tmp_path / "server" / "identity").mkdir(parents=True)
    (tmp_path / "server" / "identity" / "x.py").write_text("from ..wishes.models import Wish\n")
    assert _layer_violations(tmp_path) == {("server/identity/x.py", "wishes")}


def _function_level_imports(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for function in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    yield node, lines


def test_every_import_inside_a_function_says_why():
    """Imports belong at module level; one left in a function (start-up time, a cycle not yet
    broken) carries a comment on its line or on a comment line just above its block."""
    silent = []
    for path in sorted((ROOT / "server").rglob("*.py")):
        for node, lines in _function_level_imports(path):
            above = node.lineno - 2
            while above >= 0 and lines[above].lstrip().startswith(("from ", "import ")):
                above -= 1  # a block of imports shares one comment
            if "#" not in lines[node.lineno - 1] and (above < 0 or "#" not in lines[above]):
                silent.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not silent, silent


def test_no_task_type_branch_outside_the_source_registry():
    """Matching asks server/matching_runs/sources.py for a task's source; nothing branches on
    the kind of task (models.py holds the one SQL comparison, MatchProposal.about)."""
    allowed = {ROOT / "server" / "matching_runs" / "sources.py",
               ROOT / "server" / "matching_runs" / "models.py"}
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "server").rglob("*.py")) if path not in allowed
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if "task_type ==" in line or "task_type !=" in line]
    assert not offenders, offenders


def test_every_stored_task_type_has_a_source():
    """The registry and MatchProposal's check constraint name the same kinds of task, and each
    source has the TaskSource shape."""
    import re

    from server.matching_runs.models import MatchProposal
    from server.matching_runs.sources import SOURCES, TaskSource

    check = next(c for c in MatchProposal.__table__.constraints if "task_type_known" in str(c.name))
    assert set(re.findall(r"'(\w+)'", str(check.sqltext))) == set(SOURCES)
    for task_type, source in SOURCES.items():
        assert source.task_type == task_type
        assert all(callable(getattr(source, name)) for name in TaskSource.__dict__
                   if not name.startswith("_") and name != "task_type")


def test_the_composition_root_wires_the_leavers_releases(app):
    """policy.membership sits below what a leaver holds; create_app fills its RELEASES
    (server/wiring.py), so no release needs an import inside a function."""
    from server.policy.membership import RELEASES

    assert list(RELEASES)[:4] == ["wishes", "orders", "offerings", "proposals"]
    assert {"posts", "pairings"} <= set(RELEASES)  # the volunteer service system (issue 16)
    assert {f.__module__ for f in RELEASES.values()} >= {
        "server.wishes.services", "server.orders.leavers", "server.matching_runs.services",
        "server.posts.services", "server.pairings.services"}
    from server.wishes.maintenance import DUE_BY_SOURCE

    assert DUE_BY_SOURCE["matching"].__module__ == "server.matching_runs.services"


def test_an_unwired_hook_fails_closed(app, monkeypatch):
    """Without the wiring a leaver would keep what they hold, and a matched claimer could be a
    no-show before they were due: both refuse to run instead."""
    from server.policy import membership
    from server.wishes import maintenance

    monkeypatch.setattr(membership, "RELEASES", {})
    with pytest.raises(RuntimeError):
        membership.end_volunteering(None, object(), reason="x")
    monkeypatch.setattr(maintenance, "DUE_BY_SOURCE", {})
    with pytest.raises(RuntimeError):
        maintenance.clock_start(object(), object())
