"""What the WeChat calls return: the same types from the real client and from the fake."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

Suggest = Literal["pass", "review", "risky"]

# msgSecCheck v2 labels: 100 normal, 10001 ads, 20001 politics, 20002 porn, 20003 abuse,
# 20006 crime, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other.
LABEL_NORMAL = 100
LABEL_OTHER = 21000

_SEVERITY = {"pass": 0, "review": 1, "risky": 2}


class Session(TypedDict):
    """code2session's answer. session_key is secret: keep it server-side, never log it."""

    openid: str
    session_key: str
    unionid: NotRequired[str]


class PhoneNumber(TypedDict):
    phone: str  # as the user bound it; foreign numbers carry their country code
    pure_phone: str  # without country code
    country_code: str


@dataclass(frozen=True)
class CheckResult:
    """msgSecCheck's overall verdict: publish on "pass", hold on "review", refuse on "risky"."""

    suggest: Suggest
    label: int
    trace_id: str

    @property
    def passed(self) -> bool:
        return self.suggest == "pass"

    def worst(self, other: "CheckResult") -> "CheckResult":
        """The more severe of two verdicts (used when long text is checked in parts)."""
        return other if _SEVERITY[other.suggest] > _SEVERITY[self.suggest] else self
