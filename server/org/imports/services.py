"""Running an import: read and check every row, then write all of them or none.

The import record (server/org/models.ImportRun) shows progress: `processed` grows while the rows
are read and checked, through the `checkpoint` the caller passes (the HTTP view and the CLI commit
the record there — no row of the import itself is written before every row has passed).
"""
from ...audit.models import AuditEntry
from ...audit.services import record_audit
from ...errors import Invalid, NotFound
from ...extensions import db
from ...identity.models import District
from ...timeutil import utcnow
from .. import scoping
from ..models import ImportRun, ImportStatus
from .columns import KINDS
from .planners import PLANNERS
from .reader import read_rows
from .templates import template_workbook

PROGRESS_EVERY = 1000
MAX_ERRORS = 1000


def start_import(actor, kind: str, filename: str, dry_run: bool) -> ImportRun:
    """The import record, before any row is read (403 for anyone but an admin)."""
    scoping.admin_scope(actor)
    run = ImportRun(kind=kind, dry_run=dry_run, filename=(filename or "")[:200],
                    actor_id=actor.user_id, status=ImportStatus.RUNNING)
    db.session.add(run)
    db.session.flush()
    return run


def run_import(actor, run: ImportRun, data: bytes, *, checkpoint=lambda run: None,
               new_openid=None) -> ImportRun:
    """Read, check and (unless a dry run or a row is bad) write every row of the workbook."""
    scope = scoping.admin_scope(actor)
    planner = PLANNERS[run.kind](scope, new_openid=new_openid)

    def progress(count):
        if count % PROGRESS_EVERY == 0:
            run.processed = count
            checkpoint(run)

    rows = []
    try:
        for row in read_rows(run.kind, data, on_row=progress):
            if not row.errors:
                planner.check(row)
            rows.append(row)
    except Invalid as exc:  # not a workbook, columns missing: the record says so, then 422
        run.status, run.finished_at = ImportStatus.FAILED, utcnow()
        run.errors = [{"row": 1, "column": "", "message": exc.message}]
        checkpoint(run)
        raise
    run.rows = run.processed = len(rows)
    if not run.dry_run:
        _lock_imports()
    planner.check_all([r for r in rows if not r.errors])
    run.errors = [{"row": r.number, "column": column, "message": message}
                  for r in rows for column, message in r.errors][:MAX_ERRORS]
    if not run.errors and not run.dry_run:
        run.created, run.updated = planner.apply(rows)
    run.status = (ImportStatus.FAILED if run.errors else
                  ImportStatus.CHECKED if run.dry_run else ImportStatus.DONE)
    run.finished_at = utcnow()
    record_audit(actor, "org.import", "import", run.id, scope=scope.label(), detail={
        "kind": run.kind, "dry_run": run.dry_run, "status": str(run.status), "rows": run.rows,
        "created": run.created, "updated": run.updated, "errors": len(run.errors)})
    db.session.flush()
    return run


def get_template(actor, kind: str) -> bytes:
    """The empty workbook of one import kind (columns and one example row), for admins only."""
    scoping.admin_scope(actor)
    if kind not in KINDS:
        raise NotFound()
    return template_workbook(kind)


def get_import(actor, import_id: int) -> ImportRun:
    """An import record: its own admin's, or, for an admin whose scope is district-wide, one
    whose audit row's scope lies inside hers (an admin of another district sees none of it)."""
    scope = scoping.admin_scope(actor)
    run = db.session.execute(db.select(ImportRun).where(
        ImportRun.id == import_id, _visible(actor, scope))).scalar_one_or_none()
    if run is None:
        raise NotFound()
    return run


def list_imports(actor):
    """A select of the import records `get_import` would show the admin, newest first (the
    console's list of recent imports)."""
    scope = scoping.admin_scope(actor)
    return db.select(ImportRun).where(_visible(actor, scope)).order_by(ImportRun.id.desc())


def _visible(actor, scope: scoping.AdminScope):
    """Her own imports; for a district-wide admin also those whose `org.import` audit row has a
    scope she reads (scoping.AdminScope.audit_scopes: her districts, their streets and
    communities). The import record holds no scope of its own; its audit row does."""
    own = ImportRun.actor_id == actor.user_id
    if scope.everything:
        return ImportRun.id.is_not(None)
    if not scope.district_wide:
        return own
    audited = db.select(AuditEntry.id).where(
        AuditEntry.action == "org.import", AuditEntry.object_type == "import",
        AuditEntry.object_id == db.cast(ImportRun.id, db.String),
        AuditEntry.scope.in_(scope.audit_scopes()))
    return own | audited.exists()


def _lock_imports() -> None:
    """Two imports never write at once (SQLite serialises writers already; on PostgreSQL the
    district rows are locked), so the natural keys read above cannot be taken meanwhile."""
    db.session.execute(db.select(District.id).order_by(District.id).with_for_update()).all()
