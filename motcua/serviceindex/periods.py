"""Periods of the index: a month, a quarter or a year, written `2026-11`, `2026-Q4` or `2026`."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def local_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year
    start: datetime.date  # first day (a month's first day)
    months: int

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""
        return add_months(self.start, self.months)

    @property
    def key(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("Năm %(y)s") % {"y": self.start.year}
        if self.kind == "quarter":
            return _("Quý %(q)s/%(y)s") % {"q": (self.start.month - 1) // 3 + 1, "y": self.start.year}
        return _("Tháng %(m)s") % {"m": f"{self.start:%m/%Y}"}

    def previous(self) -> Period:
        return Period(self.kind, add_months(self.start, -self.months), self.months)

    def month_starts(self) -> list[datetime.date]:
        return [add_months(self.start, i) for i in range(self.months)]


def current_month(now: datetime.datetime | None = None) -> Period:
    return Period("month", month_of(now or timezone.now()), 1)


def period_parse(text: str | None, *, now: datetime.datetime | None = None) -> Period:
    """`2026-11`, `2026-Q4`, `2026`; empty = this month. Anything else: a DomainError in Vietnamese."""
    text = (text or "").strip()
    if not text:
        return current_month(now)
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return Period("month", datetime.date(year, month, 1), 1)
    elif m := _QUARTER.match(text):
        year, quarter = int(m[1]), int(m[2])
        if 2000 <= year <= 2100:
            return Period("quarter", datetime.date(year, 3 * quarter - 2, 1), 3)
    elif (m := _YEAR.match(text)) and 2000 <= int(m[1]) <= 2100:
        return Period("year", datetime.date(int(m[1]), 1, 1), 12)
    raise DomainError(
        _("Kỳ không hợp lệ: ghi tháng (2026-11), quý (2026-Q4) hoặc năm (2026)."), code="index_bad_period", status=422
    )
