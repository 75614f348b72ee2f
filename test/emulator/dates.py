"""Dates as Planhat writes them (docs/planhat-api.md §2.6).

- ISO-8601 UTC with milliseconds: "2021-07-27T20:25:44.430Z"
- Date fields: the same at midnight UTC
- day numbers: whole days since 1970-01-01
"""

import re
from datetime import datetime, timedelta, timezone

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2})?$")


class DateError(ValueError):
    pass


def parse(value):
    """A JSON value (ISO string or epoch milliseconds) -> aware datetime."""
    if isinstance(value, bool):
        raise DateError(value)
    if isinstance(value, (int, float)):
        return EPOCH + timedelta(milliseconds=value)
    if not isinstance(value, str):
        raise DateError(value)
    m = _ISO.match(value.strip())
    if not m:
        raise DateError(value)
    y, mo, d, hh, mi, ss, frac, tz = m.groups()
    micro = int((frac or "0")[:6].ljust(6, "0"))
    try:
        dt = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0),
                      int(ss or 0), micro, tzinfo=timezone.utc)
    except ValueError as e:
        raise DateError(value) from e
    if tz and tz not in ("Z", "z"):
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        dt -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt


def iso(dt):
    """Aware datetime -> "YYYY-MM-DDTHH:MM:SS.mmmZ"."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def normalize(value):
    return iso(parse(value))


def midnight(value):
    dt = parse(value)
    return iso(datetime(dt.year, dt.month, dt.day, tzinfo=timezone.utc))


def day_number(dt):
    return (dt - EPOCH).days


def day_to_iso(day):
    return iso(EPOCH + timedelta(days=day))


class Clock:
    """'now' for writes: the real time, or a fixed instant (--fixed-time)."""

    def __init__(self, fixed=None):
        self.fixed = parse(fixed) if fixed else None

    def now(self):
        return self.fixed or datetime.now(timezone.utc)

    def now_iso(self):
        return iso(self.now())
