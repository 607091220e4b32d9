"""Schemas of the reports: the query (scope, dates, grouping) and the rows."""
import marshmallow as ma
from marshmallow import validate as v

from server.reports.request import REPORT_KINDS, GroupBy

_DATE_MESSAGES = {"invalid": "日期格式无效，应为 2026-11-20"}


class ReportQuery(ma.Schema):
    """`scope` and `id` name the community, street or district (both or neither: neither is the
    caller's widest grant); `from`/`to` are local dates, inclusive (default: the last 30 days)."""
    scope = ma.fields.Str(validate=v.OneOf([str(k) for k in REPORT_KINDS]),
                          metadata={"description": "community | street | district"})
    id = ma.fields.Int(validate=v.Range(min=1, max=2**31 - 1))
    from_ = ma.fields.Date(data_key="from", error_messages=_DATE_MESSAGES)
    to = ma.fields.Date(error_messages=_DATE_MESSAGES)

    @ma.post_load
    def _rename(self, data, **_):
        if "from_" in data:
            data["from"] = data.pop("from_")
        return data


class FiguresQuery(ReportQuery):
    group_by = ma.fields.Str(validate=v.OneOf([str(g) for g in GroupBy]),
                             metadata={"description": "day | week | month (default day)"})


class FiguresRowSchema(ma.Schema):
    period = ma.fields.Str(required=True)
    start = ma.fields.Date(required=True)
    end = ma.fields.Date(required=True)
    wishes_posted = ma.fields.Int(required=True)
    wishes_claimed = ma.fields.Int(required=True)
    wishes_confirmed = ma.fields.Int(required=True)
    wishes_open = ma.fields.Int(allow_none=True)
    median_hours_to_claim = ma.fields.Float(allow_none=True)
    claims_measured = ma.fields.Int(required=True)
    orders_requested = ma.fields.Int(allow_none=True)
    orders_done = ma.fields.Int(allow_none=True)
    volunteers_active = ma.fields.Int(allow_none=True)
    volunteer_hours = ma.fields.Float(allow_none=True)
    points_awarded = ma.fields.Int(required=True)
    households_helped = ma.fields.Int(required=True)
    days_without_snapshot = ma.fields.Int(required=True)


class LedgerRowSchema(ma.Schema):
    volunteer_id = ma.fields.Int(required=True)
    name = ma.fields.Str(allow_none=True)
    phone = ma.fields.Str(allow_none=True, metadata={"description": "always masked"})
    community_id = ma.fields.Int(required=True)
    community = ma.fields.Str(required=True)
    unit = ma.fields.Str(allow_none=True)
    status = ma.fields.Str(required=True)
    wishes_done = ma.fields.Int(required=True)
    orders_done = ma.fields.Int(required=True)
    tasks = ma.fields.Int(required=True)
    hours = ma.fields.Float(required=True)
    points = ma.fields.Int(required=True)
    ratings = ma.fields.Int(required=True)
    average_rating = ma.fields.Float(allow_none=True)


class CommunityRowSchema(ma.Schema):
    community_id = ma.fields.Int(required=True)
    community = ma.fields.Str(required=True)
    wishes_posted = ma.fields.Int(required=True)
    wishes_confirmed = ma.fields.Int(required=True)
    orders_done = ma.fields.Int(required=True)
    volunteer_hours = ma.fields.Float(required=True)
    points_awarded = ma.fields.Int(required=True)
