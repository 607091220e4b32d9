"""批量导入 (admins): choose a kind, download its template, upload a workbook (a dry run or for
real), then the import's result — status, rows, created / updated and the bad cells — and the
recent imports. The services of POST /admin/imports, GET /admin/imports/{id} and
GET /admin/imports/templates/{kind}.xlsx (server.org.imports.services): the same checks, the same
all-or-nothing write, the same audit row, the same size limit (settings().import_max_bytes)."""
from flask import Response, flash, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from server.config import settings
from server.errors import Invalid
from server.excel import XLSX_MIMETYPE
from server.org import scoping
from server.org.imports import progress
from server.org.imports import services as imports
from server.org.models import KIND_NAMES, STATUS_NAMES, ImportKind, ImportStatus

from .. import bp
from ..auth import actor
from ..queues import first_rows

RECENT = 20
ERROR_ROWS = 1000  # the service keeps at most the first 1,000 bad cells


@bp.route("/imports", endpoint="imports")
def imports_page():
    rows = first_rows(imports.list_imports(actor()), RECENT)
    return render_template("imports.html", rows=rows, kinds=KIND_NAMES,
                           status_names=STATUS_NAMES,
                           limit_mb=settings().import_max_bytes / 1024 / 1024)


@bp.route("/imports/templates/<string:kind>.xlsx")
def import_template(kind: str):
    body = imports.get_template(actor(), kind)
    return Response(body, mimetype=XLSX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{kind}-template.xlsx"'})


def _upload() -> tuple[str, bytes]:
    """The uploaded workbook's name and bytes; 413 over the size limit (as the API)."""
    limit = settings().import_max_bytes
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Invalid("请选择要上传的 .xlsx 文件", {"file": ["请上传 .xlsx 文件"]})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise RequestEntityTooLarge()
    return upload.filename, data


@bp.route("/imports", methods=["POST"])
def import_upload():
    staff = actor()
    scoping.admin_scope(staff)  # who may, before what: a non-admin learns nothing about the input
    kind = request.form.get("kind", "")
    if kind not in set(ImportKind):
        raise Invalid("请选择导入类型", {"kind": ["请选择导入类型"]})
    filename, data = _upload()
    run = imports.start_import(staff, kind, filename, request.form.get("dry_run") == "1")
    progress.commit_progress(run)
    try:
        imports.run_import(staff, run, data, checkpoint=progress.commit_progress)
    except Invalid as exc:  # not a workbook, columns missing: the record (committed) says so
        flash(exc.message)
    return redirect(url_for("console.import_result", import_id=run.id), code=303)


@bp.route("/imports/<int:import_id>")
def import_result(import_id: int):
    run = imports.get_import(actor(), import_id)
    return render_template("import_result.html", run=run, kinds=KIND_NAMES,
                           status_names=STATUS_NAMES, running=run.status == ImportStatus.RUNNING,
                           errors=run.errors[:ERROR_ROWS])
