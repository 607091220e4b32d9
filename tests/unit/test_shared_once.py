"""Issue 11 ("Shared helpers, once"), the programmes' round: what the programmes copied is written
once (server/database.py, policy.scope, policy.membership, timeutil, statemachine) and used."""
import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = ROOT / "server"
DATABASE = SERVER / "database.py"


def _sources():
    for path in sorted(SERVER.rglob("*.py")):
        yield path, path.read_text(encoding="utf-8")


def _defined(name: str) -> list[str]:
    """Where a module-level function, class or constant called `name` is defined in server/."""
    found = []
    for path, text in _sources():
        for node in ast.parse(text).body:
            names = ([node.name] if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else
                     [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)])
            if name in names:
                found.append(str(path.relative_to(ROOT)))
    return found


def test_each_shared_helper_is_defined_once():
    shared = ("get_or_404", "rows_of", "add_once", "known", "quoted", "Keyed", "InCommunity",
              "Authored", "Created", "Updated", "Reviewed", "Decided", "Ended", "local_date",
              "communities_in", "release_each", "end_tenures", "fit_message", "Tenure",
              "RowSource", "_truth")
    for name in shared:
        assert len(_defined(name)) == 1, (name, _defined(name))
    # the copies they replace: a CHECK's value list, a local day, a scope's communities
    for copy in ("_STATUS_LIST", "_STATUSES", "_today", "_scope_communities"):
        assert not _defined(copy), (copy, _defined(copy))


# The exact column lines of the mixins: a model takes the mixin instead of writing them again.
MIXIN_LINES = [
    'id: Mapped[int] = mapped_column(primary_key=True)',
    'created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)',
    'created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))',
    'updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)',
    'reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))',
    'review_reason: Mapped[str | None] = mapped_column(String(200))',
    'end_reason: Mapped[str | None] = mapped_column(String(200))',
    'community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"), index=True)',
]


def test_models_take_the_column_groups_from_the_mixins():
    offenders = [f"{path.relative_to(ROOT)}:{n}"
                 for path, text in _sources() if path != DATABASE
                 for n, line in enumerate(text.splitlines(), 1) if line.strip() in MIXIN_LINES]
    assert not offenders, offenders


_COPIES = {
    # a unique constraint's loser as a 409: database.add_once
    "savepoint insert": re.compile(r"begin_nested\(\):[^\n]*\n\s+db\.session\.add\(\w+\)\n"
                                   r"\s+except IntegrityError:"),
    # a row by key or 404: database.get_or_404
    "get or 404": re.compile(r"(\w+) = db\.session\.get\(\w+, \w+\)\n\s+if \1 is None:\n"
                             r"\s+raise NotFound\("),
    # an enum's values for a CHECK: database.known / quoted
    "CHECK value list": re.compile(r"""",".join\(f"'\{"""),
    # a scope's communities from the org tree: policy.scope.communities_in
    "scope reach": re.compile(r"Community\.street_id == scope\.id"),
}


def test_no_second_copy_of_the_shared_reads():
    allowed = {"savepoint insert": DATABASE, "get or 404": DATABASE, "CHECK value list": DATABASE,
               "scope reach": SERVER / "policy" / "scope.py"}
    offenders = [f"{name}: {path.relative_to(ROOT)}"
                 for path, text in _sources() for name, pattern in _COPIES.items()
                 if path != allowed[name] and pattern.search(text)]
    assert not offenders, offenders


def test_known_spells_the_check_of_an_enum():
    """`known(Enum)` spells the CHECK the migrations created: `status in ('a','b',…)`."""
    from server.database import known
    from server.pairings.models import Pairing, PairingKind

    check = known(PairingKind, "kind")
    assert (check.name, str(check.sqltext)) == (
        "kind_known", "kind in ('one_to_one','elderly','hardship','child')")
    names = {c.name for c in Pairing.__table__.constraints}
    assert {"ck_pairings_status_known", "ck_pairings_kind_known"} <= names


def test_tenures_share_one_machine():
    from server.pairings.models import PAIRING, PairingStatus
    from server.posts.models import HOLDER, HolderStatus
    from server.statemachine import Tenure

    assert PairingStatus is HolderStatus is Tenure
    for machine in (PAIRING, HOLDER):
        assert machine.transitions == {Tenure.ACTIVE: frozenset({Tenure.ENDED})}
