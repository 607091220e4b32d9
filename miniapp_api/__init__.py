"""The HTTP face for the mini-program: flask-smorest blueprints, one module per capability."""

from flask import request, send_from_directory
from flask_smorest import Api
from werkzeug.exceptions import UnsupportedMediaType
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

from .common import (
    MAX_ID,
    ErrorSchema,
    PaginationHeaderSchema,
    computed2properties,
    current_actor,
    unsafe_fields,
)

API_PREFIX = "/api/v1"


class LianxinApi(Api):
    ERROR_SCHEMA = ErrorSchema

    # PRIVATE HOOK (flask-smorest 0.47): Api.__init__ always registers its own error handler
    # for HTTPException (a body without request_id) and offers no switch; server.errors handles
    # every error in the one shape, with a request id, so this override registers nothing.
    def _register_error_handlers(self):
        """server.errors handles every error in the one shape, with a request id."""

    # PRIVATE HOOK (flask-smorest 0.47): the PAGINATION header component is registered here,
    # with flask-smorest's own schema; registering ours afterwards through the public
    # spec.components.header would be refused as a duplicate name.
    def _register_pagination_header(self):
        """X-Pagination as API.md has it: total, total_pages, page, page_size."""
        self.spec.components.header("PAGINATION", {
            "description": "分页信息（JSON）", "schema": PaginationHeaderSchema}, lazy=True)


class BoundedIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class SafeStringConverter(UnicodeConverter):
    """A path segment holding text no database can store (a %00, say) matches no route: 404."""

    def to_python(self, value):
        if unsafe_fields(value):
            raise ValidationError()
        return value


def register_api(app) -> Api:
    import swagger_ui_bundle

    from . import i18n
    i18n.install()
    app.json.ensure_ascii = False
    if app.config["API_DOCS"]:
        app.config["OPENAPI_SWAGGER_UI_URL"] = "/swagger-ui-assets/"

        @app.route("/swagger-ui-assets/<path:filename>")
        def swagger_ui_assets(filename):
            return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)
    else:  # API_DOCS off (production's default): no /docs page; openapi.json stays the contract
        app.config["OPENAPI_SWAGGER_UI_PATH"] = None

    # Every <int:...> in a path is a positive 32-bit id, so no path reaches the database as an
    # out-of-range integer (PostgreSQL would refuse it with an error, not "not found").
    app.url_map.converters["int"] = BoundedIdConverter
    app.url_map.converters["string"] = app.url_map.converters["default"] = SafeStringConverter
    api = LianxinApi(app)
    api.ma_plugin.converter.add_attribute_function(computed2properties)
    modules = _modules()
    api.register_converter(BoundedIdConverter, lambda _conv: {
        "type": "integer", "format": "int32", "minimum": 1, "maximum": MAX_ID})
    api.register_converter(SafeStringConverter, lambda _conv: {"type": "string", "minLength": 1})
    for module in modules:
        api.register_blueprint(module.blp, url_prefix=API_PREFIX)
    public = {f"{m.blp.name}.{name}" for m in modules for name in getattr(m, "PUBLIC", ())}
    app.extensions["lianxin_public_endpoints"] = frozenset(public)
    uploads = {f"{m.blp.name}.{name}" for m in modules for name in getattr(m, "UPLOADS", ())}

    @app.before_request
    def _authenticate():
        """Every API endpoint needs a login unless its module lists it as public; checked
        before the body is parsed, so an anonymous caller always gets 401 first."""
        endpoint = request.endpoint
        if endpoint is None or not request.path.startswith(API_PREFIX + "/"):
            return
        if request.method in ("POST", "PUT", "PATCH") and request.content_length \
                and not request.is_json and endpoint not in uploads:
            raise UnsupportedMediaType()
        if endpoint in public or endpoint.startswith("api-docs."):
            return
        current_actor()

    from .public_cache import install_public_cache
    install_public_cache(app)
    app.extensions["lianxin_api"] = api
    return api


def _modules():
    # volunteer service system (issue 16a): posts, pairings, the volunteer's file
    from . import (
        admin_imports,
        admin_org,
        audit,
        care,  # care fund and casework
        care_cases,
        checkins,
        console_login,
        donations,  # donations and the love supermarket (issue 14)
        health,
        identity,
        matching,
        me_lifecycle,
        orders,
        pairings,
        points,
        posts,
        projects,
        reports,  # issue 13: reports
        residents,
        service_days,
        services_menu,
        stars,
        volunteer_file,
        volunteers,
        wishes,
    )
    return (identity, volunteers, wishes, points, matching, services_menu, orders, service_days,
            health, me_lifecycle) + (admin_org, admin_imports, audit, residents) \
        + (console_login,) + (posts, pairings, volunteer_file) \
        + (donations,) + (care, care_cases) \
        + (reports,) + (projects, checkins, stars)  # the console (13); 16a; donations (14); care (15); reports (13); 16b
