"""The HTTP face for the mini-program: flask-smorest blueprints, one module per capability."""
import os

from flask import send_from_directory
from flask_smorest import Api
from werkzeug.routing import IntegerConverter

from .common import ErrorSchema

API_PREFIX = "/api/v1"


class LianxinApi(Api):
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        """server.errors handles every error in the one shape, with a request id."""


class BoundedIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def register_api(app) -> Api:
    import swagger_ui_bundle

    from . import i18n
    i18n.install()
    app.json.ensure_ascii = False
    app.config["OPENAPI_SWAGGER_UI_URL"] = "/swagger-ui-assets/"

    @app.route("/swagger-ui-assets/<path:filename>")
    def swagger_ui_assets(filename):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)

    # Every <int:...> in a path is a positive 32-bit id, so no path reaches the database as an
    # out-of-range integer (PostgreSQL would refuse it with an error, not "not found").
    app.url_map.converters["int"] = BoundedIdConverter
    api = LianxinApi(app)
    api.register_converter(BoundedIdConverter, lambda _conv: {
        "type": "integer", "format": "int32", "minimum": 1, "maximum": 2**31 - 1})
    from . import identity, volunteers
    for module in (identity, volunteers):
        api.register_blueprint(module.blp, url_prefix=API_PREFIX)
    app.extensions["lianxin_api"] = api
    return api
