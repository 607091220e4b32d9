"""Schemas of the reports: the query (scope, dates, grouping) and the rows."""
import marshmallow as ma

from server.reports.request import REPORT_KINDS, GroupBy

from .fields import (
    choice_in,
    from_to,
    id_in,
    opt_float,
    opt_int,
    opt_str,
    req_date,
    req_float,
    req_int,
    req_str,
)


def _day(**kwargs) -> ma.fields.Date:
    """A local date of the report's period."""
    return ma.fields.Date(error_messages={"invalid": "日期格式无效，应为 2026-11-20"}, **kwargs)


@from_to(_day)
class ReportQuery(ma.Schema):
    """`scope` and `id` name the community, street or district (both or neither: neither is the
    caller's widest grant); `from`/`to` are local dates, inclusive (default: the last 30 days)."""
    scope = choice_in(REPORT_KINDS, metadata={"description": "community | street | district"})
    id = id_in()


class FiguresQuery(ReportQuery):
    group_by = choice_in(GroupBy, metadata={"description": "day | week | month (default day)"})


class FiguresRowSchema(ma.Schema):
    period = req_str()
    start = req_date()
    end = req_date()
    wishes_posted = req_int()
    wishes_claimed = req_int()
    wishes_confirmed = req_int()
    wishes_open = opt_int()
    median_hours_to_claim = opt_float()
    claims_measured = req_int()
    orders_requested = opt_int()
    orders_done = opt_int()
    volunteers_active = opt_int()
    volunteer_hours = opt_float()
    points_awarded = req_int()
    households_helped = req_int()
    days_without_snapshot = req_int()


class CommunityRowSchema(ma.Schema):
    community_id = req_int()
    community = req_str()
    wishes_posted = req_int()
    wishes_confirmed = req_int()
    orders_done = req_int()
    volunteer_hours = req_float()
    points_awarded = req_int()


class LedgerRowSchema(ma.Schema):
    volunteer_id = req_int()
    name = opt_str()
    phone = opt_str(metadata={"description": "always masked"})
    community_id = req_int()
    community = req_str()
    unit = opt_str()
    status = req_str()
    wishes_done = req_int()
    orders_done = req_int()
    tasks = req_int()
    hours = req_float()
    points = req_int()
    ratings = req_int()
    average_rating = opt_float()
