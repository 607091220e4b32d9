"""build_subscribe_data: values fitted to WeChat's subscribe-message field rules."""
from datetime import date, datetime

import pytest

from server.wechat import build_subscribe_data
from server.wechat.errors import TemplateParamInvalid, error_for


def value(key, raw):
    return build_subscribe_data({key: raw})[key]["value"]


def test_values_are_wrapped_in_value_objects():
    assert build_subscribe_data({"thing1": "修水管", "phrase2": "已完成"}) == {
        "thing1": {"value": "修水管"}, "phrase2": {"value": "已完成"}}


def test_thing_of_twenty_characters_is_kept_whole():
    assert value("thing1", "一" * 20) == "一" * 20


def test_thing_over_twenty_is_cut_with_the_ellipsis_counted():
    cut = value("thing3", "帮独居老人更换厨房水龙头并检查燃气管道是否漏气")
    assert len(cut) == 20
    assert cut == "帮独居老人更换厨房水龙头并检查燃气管道" + "…"


def test_the_type_is_read_from_the_key_prefix_whatever_the_number():
    assert value("thing12", "a" * 30) == "a" * 19 + "…"
    assert value("phrase10", "一二三四五六") == "一二三四五"


@pytest.mark.parametrize("key, raw, expected", [
    ("name1", "欧阳娜娜娜娜娜娜娜娜娜", "欧阳娜娜娜娜娜娜娜娜"),  # 10 Chinese characters
    ("name1", "Alexander Hamilton Jr", "Alexander Hamilton J"),  # 20 letters when all ASCII
    ("phrase1", "已经完成了的", "已经完成了"),
    ("character_string1", "WX" + "9" * 40, "WX" + "9" * 30),
    ("letter1", "a" * 40, "a" * 32),
    ("symbol1", "%%%%%%%", "%%%%%"),
    ("car_number1", "粤A12345678", "粤A123456"),
])
def test_short_fields_are_cut_to_their_limit_without_an_ellipsis(key, raw, expected):
    assert value(key, raw) == expected


@pytest.mark.parametrize("key, raw", [
    ("number1", "12"), ("number1", "3.50"), ("number1", "9" * 32),
    ("phone_number1", "+86-0766-66888866"), ("phone_number1", "13800138000"),
    ("amount1", "¥100.00"), ("amount1", "100元"),
    ("time1", "15:01"), ("time1", "2019年10月1日 15:01"), ("time1", "2019-10-01 15:01"),
    ("date1", "2019年10月1日"), ("date1", "2019年10月1日 15:01"), ("date1", "2024-03-05"),
])
def test_well_formed_strict_values_pass_unchanged(key, raw):
    assert value(key, raw) == raw


@pytest.mark.parametrize("key, raw", [
    ("number1", "twelve"), ("number1", "9" * 33),
    ("phone_number1", "+86-0766-668888661"), ("phone_number1", "call me"),
    ("amount1", "一百元"),
    ("time1", "tomorrow"), ("time1", "25点"),
    ("date1", "next week"), ("date1", "15:01"),
])
def test_strict_values_that_do_not_fit_are_refused_not_cut(key, raw):
    with pytest.raises(ValueError, match=key):
        build_subscribe_data({key: raw})


def test_dates_and_datetimes_are_written_the_way_wechat_shows_them():
    assert value("time1", datetime(2024, 3, 5, 9, 7)) == "2024年3月5日 09:07"
    assert value("date2", date(2024, 3, 5)) == "2024年3月5日"


def test_whitespace_and_newlines_collapse_to_single_spaces():
    assert value("thing1", "  修\n水管\t  今天 ") == "修 水管 今天"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_values_are_refused(raw):
    with pytest.raises(ValueError):
        build_subscribe_data({"thing1": raw})


def test_no_fields_at_all_is_refused():
    with pytest.raises(ValueError):
        build_subscribe_data({})


def test_a_field_type_unknown_to_us_is_sent_as_is():
    assert value("newtype1", "x" * 50) == "x" * 50


@pytest.mark.parametrize("errcode, name, retryable", [
    (-1, "SystemBusy", True), (40001, "AccessTokenInvalid", True),
    (42001, "AccessTokenInvalid", True), (45011, "RateLimited", True),
    (40029, "InvalidCode", False), (40163, "CodeUsed", False), (40226, "RiskyUser", False),
    (43101, "SubscriptionRefused", False), (47003, "TemplateParamInvalid", False),
    (40003, "InvalidOpenid", False), (40037, "InvalidTemplate", False),
])
def test_error_for_maps_each_documented_errcode(errcode, name, retryable):
    error = error_for(errcode, "msg")
    assert type(error).__name__ == name
    assert (error.errcode, error.errmsg, error.retryable) == (errcode, "msg", retryable)


def test_template_param_invalid_is_final():
    assert TemplateParamInvalid(47003, "x").retryable is False
