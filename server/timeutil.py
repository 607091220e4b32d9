"""Times are stored in UTC and shown in Asia/Shanghai."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def local_date(moment: datetime) -> date:
    """The calendar day of `moment` in Asia/Shanghai."""
    return moment.astimezone(LOCAL_TZ).date()


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        value = as_utc(value)
        if value is not None and dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return as_utc(value)


def local_text(moment: datetime) -> str:
    """A moment as people read it in a message: 「3月5日 09:30」 (Asia/Shanghai, no year)."""
    local = moment.astimezone(LOCAL_TZ)
    return f"{local.month}月{local.day}日 {local:%H:%M}"
