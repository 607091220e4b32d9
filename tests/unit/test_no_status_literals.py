"""No status or role string literal outside its enum module in server/ (issue 11, item 1).

Walks server/ with ast and fails on a string constant equal to a status/role enum value where it
is used as a status: in a comparison, in a tuple/list/set tested with `in`, assigned to
`.status`, or passed as `status=` (filter_by, a constructor). Exceptions are listed explicitly
below and the list should only shrink.
"""
import ast
from enum import StrEnum
from pathlib import Path

from server.console_auth.models import ConsoleLoginStatus
from server.identity.models import Role
from server.matching_runs.models import ProposalStatus, RunStatus
from server.notifications.models import OutboxStatus
from server.orders.models import OfferingStatus, OrderStatus
from server.org.models import ImportStatus
from server.volunteers.models import VolunteerStatus
from server.wishes.models import ClaimStatus, WishStatus

ENUMS: list[type[StrEnum]] = [Role, ProposalStatus, RunStatus, OutboxStatus, ImportStatus,
                              OfferingStatus, OrderStatus, VolunteerStatus, ClaimStatus, WishStatus,
                              ConsoleLoginStatus]
SERVER = Path(__file__).resolve().parents[2] / "server"
# Modules that define the enums (and the CHECK constraints built from them) may spell values.
ENUM_MODULES = {"identity/models.py", "matching_runs/models.py", "notifications/models.py",
                "org/models.py", "orders/models.py", "volunteers/models.py", "wishes/models.py",
                "console_auth/models.py"}
# Explicit exceptions: (path under server/, literal) where the word is not a status or a role.
# Shrink, never grow.
ALLOWED: set[tuple[str, str]] = {
    ("idempotency/services.py", "done"),  # an idempotency key's `state`, not a status
    ("privacy_lifecycle/erase.py", "volunteer"),  # AuditEntry.object_type
    ("privacy_lifecycle/export.py", "volunteer"),  # AuditEntry.object_type
    ("wishes/queries.py", "volunteer"),  # the ?role=owner|volunteer filter of /me/wishes
    ("volunteers/services.py", "released"),  # the audit detail's count of released tasks
    ("wishes/maintenance.py", "expired"),  # a job's count of expired wishes
}
SKIP_DIRS = {"demo"}  # demo data


def _values() -> set[str]:
    return {member.value for enum in ENUMS for member in enum}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for elt in node.elts for s in _strings(elt)]
    return []


def _is_status_target(target: ast.AST) -> bool:
    return isinstance(target, ast.Attribute) and target.attr == "status"


def _suspects(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                yield node.lineno, _strings(operand)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            flat = [t for tgt in targets
                    for t in (tgt.elts if isinstance(tgt, ast.Tuple) else [tgt])]
            if any(_is_status_target(t) for t in flat) and node.value is not None:
                yield node.lineno, _strings(node.value)
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr == "in_":
                yield node.lineno, [s for arg in node.args for s in _strings(arg)]
            for keyword in node.keywords:
                if keyword.arg in ("status", "volunteer_status"):
                    yield node.lineno, _strings(keyword.value)


def _collections(tree: ast.AST, values: set[str]):
    """Tuples, lists, sets and dict keys made only of enum values: a status or role set."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            elts = node.elts
        elif isinstance(node, ast.Dict):
            elts = [k for k in node.keys if k is not None]
        else:
            continue
        strings = [e.value for e in elts if isinstance(e, ast.Constant)]
        if elts and len(strings) == len(elts) and all(isinstance(v, str) and v in values
                                                      for v in strings):
            yield node.lineno, strings


def find_literals() -> list[str]:
    values = _values()
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        rel = path.relative_to(SERVER).as_posix()
        if rel in ENUM_MODULES or rel.split("/")[0] in SKIP_DIRS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for lineno, strings in [*_suspects(tree), *_collections(tree, values)]:
            for s in strings:
                if s in values and (rel, s) not in ALLOWED:
                    found.append(f"server/{rel}:{lineno}: {s!r}")
    return sorted(set(found))


def test_no_status_or_role_literals_outside_their_enums():
    found = find_literals()
    assert not found, "use the StrEnum member instead:\n" + "\n".join(found)


def test_allowed_exceptions_are_still_needed():
    values = _values()
    for rel, literal in ALLOWED:
        assert literal in values
        assert f"\"{literal}\"" in (SERVER / rel).read_text(encoding="utf-8"), (rel, literal)


def test_no_system_role_check_by_hand():
    offenders = [str(p) for p in SERVER.rglob("*.py")
                 if '"system" in actor.roles' in p.read_text(encoding="utf-8")
                 or '"system" not in actor.roles' in p.read_text(encoding="utf-8")]
    assert not offenders
