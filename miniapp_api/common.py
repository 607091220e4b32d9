"""Shared HTTP pieces: the blueprint class with our pagination header, paging of queries,
authentication of the caller, and common schemas."""
import json

import marshmallow as ma
from flask import current_app, g, request
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.pagination import Page
from marshmallow.utils import missing
from webargs.flaskparser import FlaskParser, is_json_request

from server.config import settings
from server.errors import Unauthorized
from server.extensions import db
from server.identity.services import load_actor
from server.identity.tokens import user_id_from_token
from server.paging import Paged
from server.timeutil import LOCAL_TZ, as_utc
from server.web import UNSAFE_TEXT_MESSAGE, unsafe_fields  # noqa: F401  (re-exported)

BEARER = [{"bearerAuth": []}]
MAX_OFFSET = 2**31
MAX_ID = 2**31 - 1  # ids are int32 in every table
ID_RANGE = ma.validate.Range(min=1, max=MAX_ID)  # validates every id a caller sends


class TextSafeParser(FlaskParser):
    """Reads JSON bodies through the app's bounded JSON (server.web.loads_bounded: depth,
    number length), and refuses, with a 422 naming the field, any argument whose text holds
    characters that cannot be stored (see server.web.UNSAFE_TEXT), before the schema sees it."""

    def load_json(self, req, schema):
        """webargs' public location loader for "json", through Flask's request.get_json."""
        if not is_json_request(req) or not req.get_data(cache=True):
            return missing
        return req.get_json(cache=True)  # a bad body raises BadRequest: 422 in the error shape

    def pre_load(self, location_data, *, schema, req, location):
        if location in ("query", "querystring"):
            raw = {key: values for key, values in req.args.lists()}
        elif location == "form":
            raw = {key: values for key, values in req.form.lists()}
        else:
            raw = location_data
        bad = unsafe_fields(raw)
        if bad:
            raise ma.ValidationError({name: [UNSAFE_TEXT_MESSAGE] for name in sorted(bad)})
        return location_data


class Blueprint(SmorestBlueprint):
    """X-Pagination carries total, total_pages, page and page_size (API.md); arguments pass
    through TextSafeParser."""

    ARGUMENTS_PARSER = TextSafeParser()

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 20, "max_page_size": 100}

    # PRIVATE HOOK (flask-smorest 0.47): flask-smorest has no public setting for what the
    # X-Pagination header holds; its docstring names this method as the one to override ("to set
    # pagination data another way"). API.md's header has total_pages, not first/last/next.
    def _set_pagination_metadata(self, page_params, result, headers):
        headers = headers or {}
        total, size = page_params.item_count, page_params.page_size
        headers[self.PAGINATION_HEADER_NAME] = json.dumps({
            "total": total, "total_pages": (total + size - 1) // size,
            "page": page_params.page, "page_size": size})
        return result, headers


class QueryPage(Page):
    """Pages a SQLAlchemy select (or a server.paging.Paged): one COUNT, one LIMIT/OFFSET."""

    def _paged(self) -> Paged:
        return self.collection if isinstance(self.collection, Paged) else Paged(self.collection)

    @property
    def items(self):
        paged, params = self._paged(), self.page_params
        if params.first_item >= MAX_OFFSET:
            return []  # far past the end; the database would refuse an offset this large
        result = db.session.execute(paged.query.limit(params.page_size).offset(params.first_item))
        rows = result.scalars().all() if paged.scalars else result.all()
        return [paged.transform(row) for row in rows]

    @property
    def item_count(self):
        query = self._paged().query.order_by(None).subquery()
        return db.session.execute(db.select(db.func.count()).select_from(query)).scalar_one()


def bearer_user_id() -> int | None:
    """The user id the bearer token names (checked: 401 when forged, expired or malformed);
    None when no Authorization header is sent. The database is not read."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return user_id_from_token(token.strip(), current_app.config["SECRET_KEY"],
                              max_ttl_s=settings().token_ttl_s)


def current_actor():
    """The authenticated caller; 401 without a valid bearer token."""
    actor = g.get("actor")
    if actor is not None:
        return actor
    user_id = bearer_user_id()
    if user_id is None:
        raise Unauthorized()
    g.actor = load_actor(user_id, request_id=g.get("request_id"))
    return g.actor


class ErrorSchema(ma.Schema):
    code = ma.fields.Int(required=True)
    status = ma.fields.Str(required=True)
    message = ma.fields.Str(required=True)
    errors = ma.fields.Dict()
    request_id = ma.fields.Str(allow_none=True)


class PaginationHeaderSchema(ma.Schema):
    total = ma.fields.Int(required=True)
    total_pages = ma.fields.Int(required=True)
    page = ma.fields.Int(required=True)
    page_size = ma.fields.Int(required=True)


class ContactSchema(ma.Schema):
    """A person's contact (a wish's owner, an order's resident), for the parties only: the
    policies decide who sees it, and the view model leaves it None for everyone else."""
    name = ma.fields.Str()
    phone = ma.fields.Str(allow_none=True)
    phone_verified_via = ma.fields.Str(allow_none=True)  # wechat | staff; unverified never shown
    address = ma.fields.Str(allow_none=True)
    lat = ma.fields.Float()
    lng = ma.fields.Float()


class ReasonSchema(ma.Schema):
    reason = ma.fields.Str(validate=ma.validate.Length(max=200), load_default=None)


class Computed(ma.fields.Function):
    """A value the view computes from the object, documented in OpenAPI exactly as `as_field`
    (a field instance: its type, format, nested schema and nullability), so no property of a
    response is left without a type. Give as_field allow_none=True when the value can be null."""

    def __init__(self, serialize, as_field: ma.fields.Field, **kwargs):
        super().__init__(serialize, **kwargs)
        self.as_field = as_field


def computed2properties(self, field, **_kwargs) -> dict:
    """apispec attribute function (registered in miniapp_api.register_api) for Computed."""
    if isinstance(field, Computed):
        return self.field2property(field.as_field)
    return {}


class LocalDateTime(ma.fields.AwareDateTime):
    """ISO 8601 with offset; stored in UTC, shown in Asia/Shanghai (DESIGN.md)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = as_utc(value).astimezone(LOCAL_TZ)
        return super()._serialize(value, attr, obj, **kwargs)


def optional_actor():
    """The caller on public endpoints: None when anonymous, 401 when a token is sent but bad."""
    if not request.headers.get("Authorization"):
        return None
    return current_actor()
