"""Subscribe-message data: WeChat's per-field rules, applied before sending.

A template's keys are a type prefix and a number (``thing1``, ``time2``, ``phrase3``). WeChat
rejects a whole message (errcode 47003) when one value breaks its type's rule, so free text is cut
to fit here, and values that cannot be cut without changing their meaning (numbers, times, phone
numbers, amounts) raise ValueError instead. Lengths count characters, not bytes.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Mapping

ELLIPSIS = "…"

# prefix -> (max chars, ellipsis when cut). Mostly-free text is cut; codes are cut without "…"
# because "…" is not allowed in them.
_CUT_RULES: dict[str, tuple[int, bool]] = {
    "thing": (20, True),
    "character_string": (32, False),
    "letter": (32, False),
    "symbol": (5, False),
    "phrase": (5, False),
    "car_number": (8, False),
}

# prefix -> (max chars, pattern). These are refused, never cut.
_STRICT_RULES: dict[str, tuple[int, re.Pattern[str]]] = {
    "number": (32, re.compile(r"-?\d+(\.\d+)?")),
    "phone_number": (17, re.compile(r"\+?[\d\- ()]+")),
    "amount": (16, re.compile(r"[¥$€£]?\d{1,10}(\.\d{1,2})?元?")),
}

_DAY = r"(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2})"
_CLOCK = r"\d{1,2}:\d{2}(:\d{2})?"
_TIME_RE = re.compile(rf"({_DAY} )?{_CLOCK}|{_DAY}( {_CLOCK})?")
_DATE_RE = re.compile(rf"{_DAY}( {_CLOCK})?")


def _key_prefix(key: str) -> str:
    return key.rstrip("0123456789")


def _format_when(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return f"{value.year}年{value.month}月{value.day}日"


def _cut(value: str, limit: int, ellipsis: bool) -> str:
    if len(value) <= limit:
        return value
    if ellipsis:
        return value[: limit - 1] + ELLIPSIS
    return value[:limit]


def _name(value: str) -> str:
    # 10 Chinese characters, or 20 letters/symbols when the name is all ASCII.
    return value[: 20 if value.isascii() else 10]


def fit_value(key: str, value: object) -> str:
    """One value made to fit its field's type (from the key's prefix); ValueError if it cannot."""
    prefix = _key_prefix(key)
    if isinstance(value, (date, datetime)) and prefix in ("time", "date"):
        return _format_when(value)
    if value is None:
        raise ValueError(f"{key}: a value is required")
    text = " ".join(str(value).split())  # WeChat shows one line; newlines and tabs break it
    if not text:
        raise ValueError(f"{key}: a value is required")
    if prefix in _CUT_RULES:
        return _cut(text, *_CUT_RULES[prefix])
    if prefix == "name":
        return _name(text)
    if prefix in _STRICT_RULES:
        limit, pattern = _STRICT_RULES[prefix]
        if len(text) > limit or not pattern.fullmatch(text):
            raise ValueError(f"{key}: {text!r} is not a valid {prefix}")
        return text
    if prefix in ("time", "date"):
        if not (_TIME_RE if prefix == "time" else _DATE_RE).fullmatch(text):
            raise ValueError(f"{key}: {text!r} is not a valid {prefix}")
        return text
    return text  # a type WeChat added after this was written: send as is


def build_subscribe_data(fields: Mapping[str, object]) -> dict[str, dict[str, str]]:
    """``{"thing1": "x"}`` -> ``{"thing1": {"value": "x"}}``, each value fitted to its type."""
    if not fields:
        raise ValueError("a subscribe message needs at least one field")
    return {key: {"value": fit_value(key, value)} for key, value in fields.items()}
