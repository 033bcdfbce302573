"""Public statistics of field reports for a period: per category and per commune.

Counts by status group, the on-time rate (answered no later than the deadline, among the answered)
and the average time to answer, in hours. Counts come from one grouped query per breakdown; the
average reads two timestamps per answered report of the period and is computed in Python, because
duration arithmetic differs between SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from motcua.core.selectors.rows import filter_given

from ..models import OPEN_STATUSES, FieldReport, ReportStatus
from .map import public_reports

ANSWERED = (ReportStatus.ANSWERED, ReportStatus.CLOSED)


@dataclass
class StatRow:
    key: int | None
    label: str
    total: int = 0
    open: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    answer_hours: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        return round(100.0 * self.on_time / self.answered, 1) if self.answered else None


def _period_qs(date_from: datetime.date | None, date_to: datetime.date | None) -> QuerySet[FieldReport]:
    return filter_given(public_reports(), submitted_at__date__gte=date_from, submitted_at__date__lte=date_to)


def _rows(reports: QuerySet[FieldReport], key: str, label: str) -> list[StatRow]:
    grouped = (
        reports.values(key, label)
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            answered=Count("id", filter=Q(status__in=ANSWERED, answered_at__isnull=False)),
            on_time=Count("id", filter=Q(status__in=ANSWERED, answered_at__isnull=False, answered_at__lte=F("due_at"))),
            overdue=Count("id", filter=Q(overdue=True)),
        )
        .order_by(label)
    )
    rows = {
        g[key]: StatRow(g[key], g[label], g["total"], g["open"], g["answered"], g["on_time"], g["overdue"])
        for g in grouped
    }
    # Answer times: the answered reports of the period, two timestamps each (bounded by the period).
    sums: dict[int, list[float]] = {}
    answered = reports.filter(status__in=ANSWERED, answered_at__isnull=False)
    for group, submitted_at, answered_at in answered.values_list(key, "submitted_at", "answered_at").iterator():
        entry = sums.setdefault(group, [0.0, 0])
        entry[0] += (answered_at - submitted_at).total_seconds()
        entry[1] += 1
    for group, (seconds, n) in sums.items():
        if group in rows and n:
            rows[group].answer_hours = round(seconds / n / 3600, 1)
    return list(rows.values())


def _total(rows: list[StatRow]) -> StatRow:
    total = StatRow(None, "")
    weighted, answered_n = 0.0, 0
    for row in rows:
        total.total += row.total
        total.open += row.open
        total.answered += row.answered
        total.on_time += row.on_time
        total.overdue += row.overdue
        if row.answer_hours is not None:
            weighted += row.answer_hours * row.answered
            answered_n += row.answered
    total.answer_hours = round(weighted / answered_n, 1) if answered_n else None
    return total


def report_statistics(*, date_from: datetime.date | None, date_to: datetime.date | None) -> dict:
    reports = _period_qs(date_from, date_to)
    by_category = _rows(reports, "category_id", "category__name")
    by_unit = _rows(reports, "unit_id", "unit__name")
    return {"by_category": by_category, "by_unit": by_unit, "total": _total(by_category)}
