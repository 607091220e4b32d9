"""Field factories and field groups the schema modules share, so each shape is written once.

What a caller sends (`*_in`) carries its validation: ids are positive int32, text has a length,
days and years a range, positions the earth's. What a response holds says whether the value is
always there (`req_*`: required in OpenAPI) or may be null (`opt_*`: nullable). Every factory
returns a plain marshmallow field, so OpenAPI publishes exactly the type, format, bounds and
nullability written here; the groups are plain schemas whose fields the subclasses inherit."""
from collections.abc import Callable, Iterable
from datetime import date
from enum import Enum
from operator import attrgetter

import marshmallow as ma
from marshmallow import validate as v

from server.privacy import mask_name
from server.timeutil import LOCAL_TZ, utcnow

from .common import ID_RANGE, Computed, LocalDateTime

# Calendar days a person might pick; far-off years would overflow time-zone arithmetic.
DAY_RANGE = v.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))
YEAR_RANGE = v.Range(min=2000, max=2100)
FEN_MAX = 10**9  # ten million yuan: no gift, card, contribution or aid is larger
REASON_MAX = 200


# --- what a caller sends ----------------------------------------------------------------------

def id_in(**kwargs) -> ma.fields.Int:
    """An id the caller sends: a positive int32 (optional unless required=True)."""
    return ma.fields.Int(validate=ID_RANGE, **kwargs)


def req_id() -> ma.fields.Int:
    """An id the caller must send."""
    return id_in(required=True)


def text_in(max_len: int, min_len: int = 1, **kwargs) -> ma.fields.Str:
    """Text the caller sends: min_len to max_len characters."""
    return ma.fields.Str(validate=v.Length(min=min_len, max=max_len), **kwargs)


def upto(max_len: int, **kwargs) -> ma.fields.Str:
    """Text the caller sends: at most max_len characters, empty allowed."""
    return ma.fields.Str(validate=v.Length(max=max_len), **kwargs)


def reason_in(**kwargs) -> ma.fields.Str:
    """A reason the caller may give: at most 200 characters."""
    return upto(REASON_MAX, **kwargs)


def reason_req() -> ma.fields.Str:
    """A reason the caller must give: 1 to 200 characters."""
    return text_in(REASON_MAX, required=True)


def values(choices: Iterable) -> list:
    """The values of an enum's members (or the items of a list, the keys of a dict)."""
    return [c.value if isinstance(c, Enum) else c for c in choices]


def choice_in(choices: Iterable, **kwargs) -> ma.fields.Str:
    """One of `choices` (an enum class, a list, or a dict's keys), as the caller sends it."""
    return ma.fields.Str(validate=v.OneOf(values(choices)), **kwargs)


def decision_in(choices: Iterable) -> ma.fields.Str:
    """The required decision of a decision body: one of `choices`."""
    return choice_in(choices, required=True)


def int_in(low: int, high: int, **kwargs) -> ma.fields.Int:
    """A whole number the caller sends, from low to high."""
    return ma.fields.Int(validate=v.Range(min=low, max=high), **kwargs)


def fen_in(low: int = 0, **kwargs) -> ma.fields.Int:
    """An amount of money in fen the caller sends, from low to ten million yuan."""
    return int_in(low, FEN_MAX, **kwargs)


def day_in(**kwargs) -> ma.fields.Date:
    """A calendar day the caller sends (2000-01-01 to 2100-12-31)."""
    return ma.fields.Date(validate=DAY_RANGE, **kwargs)


def year_in(**kwargs) -> ma.fields.Int:
    """A year the caller sends (2000 to 2100)."""
    return ma.fields.Int(validate=YEAR_RANGE, **kwargs)


def this_year() -> int:
    """The current year in Asia/Shanghai."""
    return utcnow().astimezone(LOCAL_TZ).year


def year_query() -> ma.fields.Int:
    """A year filter that defaults to the current one."""
    return year_in(load_default=this_year)


def lat_in(**kwargs) -> ma.fields.Float:
    """A latitude the caller sends (-90 to 90, no NaN)."""
    return ma.fields.Float(validate=v.Range(min=-90, max=90), allow_nan=False, **kwargs)


def lng_in(**kwargs) -> ma.fields.Float:
    """A longitude the caller sends (-180 to 180, no NaN)."""
    return ma.fields.Float(validate=v.Range(min=-180, max=180), allow_nan=False, **kwargs)


def skills_in(**kwargs) -> ma.fields.List:
    """The skills the caller names: up to 10 codes of 1 to 40 characters."""
    return ma.fields.List(text_in(40), validate=v.Length(max=10), **kwargs)


def radius_in() -> ma.fields.Int:
    """A search radius in metres (100 m to 50 km)."""
    return int_in(100, 50_000)


# --- what a response holds --------------------------------------------------------------------

def req_int(**kwargs) -> ma.fields.Int:
    """An integer that is always there."""
    return ma.fields.Int(required=True, **kwargs)


def opt_int(**kwargs) -> ma.fields.Int:
    """An integer that may be null."""
    return ma.fields.Int(allow_none=True, **kwargs)


def req_str(**kwargs) -> ma.fields.Str:
    """Text that is always there."""
    return ma.fields.Str(required=True, **kwargs)


def opt_str(**kwargs) -> ma.fields.Str:
    """Text that may be null."""
    return ma.fields.Str(allow_none=True, **kwargs)


def req_float(**kwargs) -> ma.fields.Float:
    """A number that is always there."""
    return ma.fields.Float(required=True, **kwargs)


def opt_float(**kwargs) -> ma.fields.Float:
    """A number that may be null."""
    return ma.fields.Float(allow_none=True, **kwargs)


def req_date(**kwargs) -> ma.fields.Date:
    """A calendar day that is always there."""
    return ma.fields.Date(required=True, **kwargs)


def opt_date(**kwargs) -> ma.fields.Date:
    """A calendar day that may be null."""
    return ma.fields.Date(allow_none=True, **kwargs)


def req_bool(**kwargs) -> ma.fields.Bool:
    """A yes/no that is always there."""
    return ma.fields.Bool(required=True, **kwargs)


def req_when(**kwargs) -> LocalDateTime:
    """A moment that is always there (shown in Asia/Shanghai)."""
    return LocalDateTime(required=True, **kwargs)


def opt_when(**kwargs) -> LocalDateTime:
    """A moment that may be null (shown in Asia/Shanghai)."""
    return LocalDateTime(allow_none=True, **kwargs)


def str_list(**kwargs) -> ma.fields.List:
    """A list of texts."""
    return ma.fields.List(ma.fields.Str(), **kwargs)


def rows_of(schema: type[ma.Schema], **kwargs) -> ma.fields.List:
    """A list of nested `schema` objects."""
    return ma.fields.List(ma.fields.Nested(schema), **kwargs)


def by_key(of: ma.fields.Field | None = None) -> ma.fields.Dict:
    """A mapping from text keys to integers (or to `of` fields)."""
    return ma.fields.Dict(keys=ma.fields.Str(), values=of or ma.fields.Int())


def state_out(choices: Iterable) -> ma.fields.Str:
    """A state shown with its possible values documented as the enum."""
    return ma.fields.Str(metadata={"enum": values(choices)})


def read_from(owner: str) -> Callable[..., ma.fields.Field]:
    """A factory of fields read from the view model's `owner` object: field(kind, attr, ...)
    is kind(attribute="<owner>.<attr>", ...)."""
    def field(kind: type[ma.fields.Field], attr: str, **kwargs) -> ma.fields.Field:
        return kind(attribute=f"{owner}.{attr}", **kwargs)
    return field


def masked_name(path: str) -> Computed:
    """The masked name (张*) of the person at the dotted attribute `path`."""
    person_name = attrgetter(path)
    return Computed(lambda obj: mask_name(person_name(obj)), ma.fields.Str())


# --- field groups -----------------------------------------------------------------------------

class LatLngPaired(ma.Schema):
    """The subclass's optional lat and lng come together or not at all (no fields of its own,
    so the subclass keeps its fields' order)."""

    @ma.validates_schema
    def _lat_lng_paired(self, data, **_):
        if ("lat" in data) != ("lng" in data):
            raise ma.ValidationError("经纬度需要同时提供", "lng")


def _extended(query: type[ma.Schema], rule: type[ma.Schema], **fields) -> type[ma.Schema]:
    """`query` (same name, module and doc) with `rule`'s hooks and `fields` after its own."""
    return type(query.__name__, (query, rule), {
        "__module__": query.__module__, "__doc__": query.__doc__, **fields})


def nearby(query: type[ma.Schema]) -> type[ma.Schema]:
    """Class decorator: `query` also narrowed to within radius_m metres of (lat, lng), the two
    given together or not at all; the three come after the query's own parameters."""
    return _extended(query, LatLngPaired, lat=lat_in(), lng=lng_in(), radius_m=radius_in())


class _FromKeyword(ma.Schema):
    """Loads the `from` parameter, declared as from_ (`from` is a Python keyword), as "from"."""

    @ma.post_load
    def _from_keyword(self, data, **_):
        if "from_" in data:
            data["from"] = data.pop("from_")
        return data


def from_to(kind: Callable[..., ma.fields.Field]) -> Callable[[type[ma.Schema]], type[ma.Schema]]:
    """Class decorator: the query also takes the bounds `from` and `to` (fields made by kind(),
    both inclusive) after its own parameters, loaded as "from" and "to"."""
    return lambda query: _extended(query, _FromKeyword, from_=kind(data_key="from"), to=kind())


class CommunityQuery(ma.Schema):
    """A list narrowed to one community (optional: the caller's scope otherwise)."""
    community_id = id_in()


class DecisionBody(ma.Schema):
    """A decision with the reason the caller may give; the subclass names its choices:
    `decision = decision_in(...)`."""
    reason = reason_in()


class CodeName(ma.Schema):
    """An entry of a fixed list (a category, a skill): its code and its display name."""
    code = ma.fields.Str()
    name = ma.fields.Str()


class IdName(ma.Schema):
    """A named record: its id and its name."""
    id = ma.fields.Int()
    name = ma.fields.Str()


class PairedPeople(ma.Schema):
    """The volunteer and the household of a pairing (or a proposed one): ids, masked names."""
    volunteer_id = ma.fields.Int()
    volunteer_name = masked_name("volunteer.user.name")
    household_id = ma.fields.Int()
    household_name = masked_name("household.name")
