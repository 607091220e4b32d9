"""miniapp_api/routes.py: each helper stands for exactly the decorator stack it replaces, so an
endpoint written with it documents and behaves as one written out (issue 11, repeated code)."""
import marshmallow as ma
from flask import Flask
from flask_smorest import Api

from miniapp_api.common import BEARER, QueryPage
from miniapp_api.common import Blueprint as PlainBlueprint
from miniapp_api.idempotency import IDEMPOTENCY_DOC, idempotent
from miniapp_api.routes import Blueprint


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
