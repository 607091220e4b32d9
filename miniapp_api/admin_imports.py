"""Excel imports of communities, units, volunteer rosters and residents (API.md part 2)."""
from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from server.config import settings
from server.errors import Invalid
from server.org import scoping
from server.org.imports import progress
from server.org.imports import services as imports

from .admin_org_schemas import ImportQuery, ImportSchema
from .common import BEARER, current_actor
from .downloads import XLSX
from .routes import Blueprint

blp = Blueprint("admin_imports", __name__, description="Excel 批量导入（管理员）")

# Endpoints that take a multipart upload instead of JSON (see miniapp_api/__init__.py).
UPLOADS = ("create_import",)
_FILE_DOC = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"}}}}}}}


def _upload() -> tuple[str, bytes]:
    """The uploaded workbook's name and bytes; 413 over the size limit (in the error shape)."""
    limit = settings().import_max_bytes
    if (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()
    request.max_content_length = limit
    upload = request.files.get("file")
    if upload is None:
        raise Invalid("请上传 .xlsx 文件", {"file": ["请上传 .xlsx 文件"]})
    return upload.filename or "", upload.read(limit + 1)


@blp.route("/admin/imports", methods=["POST"])
@blp.doc(security=BEARER, **_FILE_DOC)
@blp.arguments(ImportQuery, location="query")
@blp.response(201, ImportSchema)
def create_import(query):
    """导入 Excel（kind：communities 社区、units 单位、volunteers 报到党员、residents 居民）；
    dry_run=true 只检查不写入；任何一行有误则全部不写入；同一文件重复导入不会改变数据"""
    actor = current_actor()
    scoping.admin_scope(actor)  # who may, before what: a non-admin learns nothing about the input
    if query["kind"] is None:
        raise Invalid(errors={"kind": ["此项必填：communities、units、volunteers 或 residents"]})
    filename, data = _upload()
    run = imports.start_import(actor, query["kind"], filename, query["dry_run"])
    progress.commit_progress(run)
    return imports.run_import(actor, run, data, checkpoint=progress.commit_progress)


@blp.reads("/admin/imports/<int:import_id>", ImportSchema)
def get_import(import_id):
    """导入进度与结果"""
    return imports.get_import(current_actor(), import_id)


@blp.downloads("/admin/imports/templates/<string:kind>.xlsx")
def import_template(kind):
    """下载导入模板（列名与一行示例）"""
    return XLSX.answer(imports.get_template(current_actor(), kind), f"{kind}-template.xlsx")
