"""Dates as the library reads and writes them: a leaf module that imports nothing of ours.

Dates are written YYYY-MM-DD in the data and in queries; "today" is always the data's date
(``facts.as_of``), passed in, never the computer's clock.

>>> format_date(as_date("2016-07-26"))
'26 July 2016'
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTHS = ("January February March April May June July August September October November December").split()


def is_iso_date(text: str) -> bool:
    """Whether ``text`` is a real date written YYYY-MM-DD.

    >>> is_iso_date("2016-07-26"), is_iso_date("2016-02-30"), is_iso_date("26.07.2016")
    (True, False, False)
    """
    if not ISO_DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def as_date(on, today=None) -> pd.Timestamp:
    """A date from a string written YYYY-MM-DD, a ``date`` or ``datetime``; ``None`` means ``today``
    (the functions here pass the data's date, ``facts.as_of``: never the computer's clock).

    >>> as_date("2016-07-26")
    Timestamp('2016-07-26 00:00:00')
    """
    if on is None:
        if today is None:
            raise ValueError("no date given: pass on='YYYY-MM-DD' (or the data's date, facts.as_of)")
        on = today
    if isinstance(on, str):
        text = on.strip()
        if not is_iso_date(text):
            raise ValueError(f"not a date: {on!r} (write it as YYYY-MM-DD, e.g. '2016-07-26')")
        return pd.Timestamp(dt.date.fromisoformat(text))
    if isinstance(on, (dt.date, pd.Timestamp)):
        return pd.Timestamp(on).normalize()
    raise TypeError(f"on= takes a string, date or datetime, not {type(on).__name__}")


def format_date(day, precision: str | None = "day") -> str:
    """A date as a reader should see it: no day that the sources do not give.

    >>> format_date(pd.Timestamp("1992-07-01"), "month"), format_date(pd.Timestamp("1995-01-01"), "year")
    ('July 1992', '1995')
    >>> format_date(pd.Timestamp("2016-07-26"))
    '26 July 2016'
    """
    if day is None or pd.isna(day):
        return ""
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
