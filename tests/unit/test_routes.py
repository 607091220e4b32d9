"""miniapp_api/routes.py: each helper stands for exactly the decorator stack it replaces, so an
endpoint written with it documents and behaves as one written out (issue 11, repeated code)."""
from pathlib import Path

import marshmallow as ma
from flask import Flask
from flask_smorest import Api

from miniapp_api.common import BEARER, QueryPage
from miniapp_api.common import Blueprint as PlainBlueprint
from miniapp_api.downloads import PDF, XLSX
from miniapp_api.idempotency import IDEMPOTENCY_DOC, idempotent
from miniapp_api.routes import Blueprint
from server.excel import XLSX_MIMETYPE

ROOT = Path(__file__).resolve().parents[2]


class Body(ma.Schema):
    name = ma.fields.Str(required=True)


class Query(ma.Schema):
    q = ma.fields.Str()


class Out(ma.Schema):
    id = ma.fields.Int()


def _spec(blp) -> dict:
    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app)
    api.register_blueprint(blp)
    spec = api.spec.to_dict()
    return {path: ops for path, ops in spec["paths"].items()}, sorted(
        (str(r.rule), r.endpoint, tuple(sorted(r.methods))) for r in app.url_map.iter_rules())


def _written_out():
    blp = PlainBlueprint("things", __name__)

    @blp.route("/things", methods=["POST"])
    @idempotent
    @blp.doc(security=BEARER, **IDEMPOTENCY_DOC)
    @blp.arguments(Body)
    @blp.response(201, Out)
    def create(body):
        """新建"""

    @blp.route("/things", methods=["GET"])
    @blp.arguments(Query, location="query")
    @blp.response(200, Out(many=True))
    @blp.paginate(QueryPage)
    def index(query):
        """列表"""

    @blp.route("/things/<int:thing_id>")
    @blp.doc(security=BEARER)
    @blp.response(200, Out)
    def show(thing_id):
        """详情"""

    @blp.route("/things/<int:thing_id>/close", methods=["POST"])
    @blp.doc(security=BEARER)
    @blp.arguments(Body)
    @blp.response(200, Out)
    def close(body, thing_id):
        """关闭"""
    return blp


def _with_helpers():
    blp = Blueprint("things", __name__)

    @blp.creates("/things", Body, Out)
    def create(body):
        """新建"""

    @blp.lists("/things", Query, Out, public=True)
    def index(query):
        """列表"""

    @blp.reads("/things/<int:thing_id>", Out)
    def show(thing_id):
        """详情"""

    @blp.acts("/things/<int:thing_id>/close", Out, Body)
    def close(body, thing_id):
        """关闭"""
    return blp


def test_the_helpers_document_and_route_as_the_decorators_written_out():
    assert _spec(_with_helpers()) == _spec(_written_out())


def test_a_created_thing_keeps_the_idempotency_header_in_the_docs():
    paths, _ = _spec(_with_helpers())
    parameters = paths["/things"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" for p in parameters)
    assert paths["/things"]["post"]["security"] == BEARER
    assert "security" not in paths["/things"]["get"]


# --- the variants (issue 11, "Shared helpers, once"): files, changes, unfiltered and named lists --

FILE_DOC = {"200": {"description": "Excel 工作簿", "content": {
    XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary"}}}}}


def _variants_written_out():
    blp = PlainBlueprint("things", __name__)

    @blp.route("/things.xlsx")
    @blp.doc(security=BEARER, responses=FILE_DOC)
    @blp.arguments(Query, location="query")
    def export(query):
        """导出"""

    @blp.route("/things/<int:thing_id>/labels.pdf")
    @blp.doc(security=BEARER, responses={"200": {"description": "PDF", "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}})
    def labels(thing_id):
        """打印"""

    @blp.route("/things/mine")
    @blp.doc(security=BEARER)
    @blp.response(200, Out(many=True))
    @blp.paginate(QueryPage, page_size=100)
    def mine():
        """我的"""

    @blp.route("/things/<int:thing_id>", methods=["PATCH"])
    @blp.doc(security=BEARER)
    @blp.arguments(Body)
    @blp.response(200, Out)
    def edit(body, thing_id):
        """修改"""

    @blp.route("/things/<int:thing_id>", methods=["DELETE"])
    @blp.doc(security=BEARER)
    @blp.response(204)
    def remove(thing_id):
        """删除"""

    @blp.route("/sessions", methods=["POST"])
    @blp.response(201, Out)
    def open_session():
        """公开"""

    @blp.route("/kinds", endpoint="list_kinds")
    @blp.doc(security=BEARER, summary="类别")
    @blp.response(200, Out(many=True))
    @blp.paginate(QueryPage)
    def _list():
        pass

    @blp.route("/tags")
    @blp.response(200, Out(many=True))
    def tags():
        """标签（不分页）"""
    return blp


def _variants_with_helpers():
    blp = Blueprint("things", __name__)

    @blp.downloads("/things.xlsx", query=Query)
    def export(query):
        """导出"""

    @blp.downloads("/things/<int:thing_id>/labels.pdf", kind=PDF)
    def labels(thing_id):
        """打印"""

    @blp.lists("/things/mine", None, Out, page_size=100)
    def mine():
        """我的"""

    @blp.acts("/things/<int:thing_id>", Out, Body, method="PATCH")
    def edit(body, thing_id):
        """修改"""

    @blp.acts("/things/<int:thing_id>", None, method="DELETE", status=204)
    def remove(thing_id):
        """删除"""

    @blp.acts("/sessions", Out, status=201, public=True)
    def open_session():
        """公开"""

    @blp.lists("/kinds", None, Out, endpoint="list_kinds", summary="类别")
    def _list():
        pass

    @blp.reads("/tags", Out(many=True), public=True)
    def tags():
        """标签（不分页）"""
    return blp


def test_the_variants_document_and_route_as_the_decorators_written_out():
    assert _spec(_variants_with_helpers()) == _spec(_variants_written_out())


def test_a_file_answer_names_the_file_for_the_browser():
    app = Flask(__name__)
    with app.test_request_context():
        workbook = XLSX.answer(b"PK", "stock.xlsx")
        label = PDF.answer(b"%PDF", "labels-7.pdf")
    assert workbook.mimetype == XLSX_MIMETYPE and workbook.get_data() == b"PK"
    assert workbook.headers["Content-Disposition"] == 'attachment; filename="stock.xlsx"'
    assert label.mimetype == "application/pdf"
    assert label.headers["Content-Disposition"] == 'inline; filename="labels-7.pdf"'


# Where an endpoint still writes flask-smorest's decorators out, and why (keep this list short).
WRITTEN_OUT = {
    "identity.py": 2,  # /me and /admin/roles: MethodViews (two methods on one path)
    "admin_imports.py": 1,  # the upload: a multipart body, documented by hand
}
VIEW_MODULES = [p for p in sorted((ROOT / "miniapp_api").glob("*.py"))
                if not p.name.endswith("_schemas.py")
                and p.name not in ("common.py", "routes.py", "downloads.py", "idempotency.py")]


def test_every_endpoint_uses_a_helper_unless_it_cannot():
    routes = {p.name: p.read_text(encoding="utf-8").count("@blp.route(") for p in VIEW_MODULES}
    assert {name: n for name, n in routes.items() if n} == WRITTEN_OUT


def test_file_answers_are_built_in_one_place():
    offenders = [p.name for p in VIEW_MODULES
                 if "Content-Disposition" in p.read_text(encoding="utf-8")
                 or "Response(" in p.read_text(encoding="utf-8")]
    assert not offenders, offenders
