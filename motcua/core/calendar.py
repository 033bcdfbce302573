"""Working-day calendar. INTERFACE STUB: the calendar work replaces the internals, keeping signatures."""

import datetime
from decimal import Decimal


def is_working_day(day: datetime.date) -> bool:
    raise NotImplementedError


def add_working_days(start: datetime.datetime, days: Decimal | int, *, paper: bool = False) -> datetime.datetime:
    """The moment `days` working days after `start` (aware datetime, Asia/Ho_Chi_Minh)."""
    raise NotImplementedError


def working_days_between(start: datetime.datetime, end: datetime.datetime) -> Decimal:
    raise NotImplementedError
