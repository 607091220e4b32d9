"""Every schema in the OpenAPI document has a name of its own: two schema classes with the same
name make apispec publish the second as `Name1`, a name no client can guess (issue 11 follow-up:
the stock adjustment and the fund adjustment were both `Adjustment`)."""
import re


def test_no_schema_name_is_taken_twice(app):
    names = set(app.extensions["lianxin_api"].spec.to_dict()["components"]["schemas"])
    suffixed = sorted(name for name in names
                      if (m := re.fullmatch(r"(.+?)(\d+)", name)) and m.group(1) in names)
    assert not suffixed, suffixed
    assert {"StockAdjustment", "FundAdjustment"} <= names
