"""Queue figures for managers: tickets, waiting time (median, p90), service time, no-show rate and
bookings used, per office, group, counter, officer, hour of day and day.

Waiting time: from arrival to the first call. Service time: from start to finish. No-show rate:
tickets marked absent among those that were called and closed (done + absent).
"""

from __future__ import annotations

import datetime
import math
import statistics
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound

from ..models import Ticket, TicketChannel, TicketStatus
from .access import managed_offices

MAX_DAYS = 366


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


@dataclass
class Row:
    key: str
    label: str
    tickets: int = 0
    done: int = 0
    absent: int = 0
    bookings: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def add(self, ticket: Ticket) -> None:
        self.tickets += 1
        self.done += ticket.status == TicketStatus.DONE
        self.absent += ticket.status == TicketStatus.ABSENT
        self.bookings += ticket.channel == TicketChannel.BOOKING
        if ticket.called_at:
            self.waits.append(max(0.0, (ticket.called_at - ticket.arrival_at).total_seconds()))
        if ticket.started_at and ticket.finished_at and ticket.status == TicketStatus.DONE:
            self.services.append(max(0.0, (ticket.finished_at - ticket.started_at).total_seconds()))

    def as_dict(self) -> dict:
        closed = self.done + self.absent
        return {
            "key": self.key,
            "label": self.label,
            "tickets": self.tickets,
            "done": self.done,
            "absent": self.absent,
            "no_show_percent": round(100 * self.absent / closed, 1) if closed else None,
            "bookings": self.bookings,
            "wait_median_minutes": _minutes(statistics.median(self.waits) if self.waits else None),
            "wait_p90_minutes": _minutes(percentile(self.waits, 90)),
            "service_median_minutes": _minutes(statistics.median(self.services) if self.services else None),
        }


DIMENSIONS = ("office", "group", "counter", "officer", "hour", "day")


def _key(ticket: Ticket, dimension: str) -> tuple[str, str]:
    if dimension == "office":
        return str(ticket.office_id), ticket.office.name
    if dimension == "group":
        return str(ticket.group_id), f"{ticket.group.prefix} – {ticket.group.name}"
    if dimension == "counter":
        return (str(ticket.counter_id), ticket.counter.name) if ticket.counter_id else ("", _("Chưa gọi"))
    if dimension == "officer":
        if not ticket.officer_id:
            return "", _("Chưa gọi")
        return str(ticket.officer_id), ticket.officer.get_full_name() or ticket.officer.username
    if dimension == "hour":
        hour = timezone.localtime(ticket.arrival_at).hour
        return f"{hour:02d}", f"{hour:02d}:00–{hour:02d}:59"
    return ticket.day.isoformat(), ticket.day.strftime("%d/%m/%Y")


def _sort_key(dimension: str):
    if dimension in ("hour", "day"):
        return lambda row: row.key
    return lambda row: (row.key == "", row.label)


def figures_for(user, *, office_id: int | None = None, date_from: datetime.date, date_to: datetime.date) -> dict:
    """The figures of the offices the user manages (or one of them) between two days inclusive."""
    if date_to < date_from:
        raise DomainError(_("Ngày bắt đầu phải trước ngày kết thúc."), code="queue_period_invalid", status=422)
    if (date_to - date_from).days >= MAX_DAYS:
        raise DomainError(_("Chỉ xem được tối đa 366 ngày một lần."), code="queue_period_invalid", status=422)
    offices = managed_offices(user)
    if not offices.exists():
        raise NotFound(_("Không tìm thấy số liệu."), code="queue_figures_not_found")
    if office_id is not None:
        offices = offices.filter(pk=office_id)
        if not offices.exists():
            raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="queue_office_not_found")
    tickets = Ticket.objects.filter(office__in=offices, day__gte=date_from, day__lte=date_to).select_related(
        "office", "group", "counter", "officer"
    )
    total = Row("", _("Tổng cộng"))
    tables: dict[str, dict[str, Row]] = {d: {} for d in DIMENSIONS}
    for ticket in tickets.iterator(chunk_size=2000):
        total.add(ticket)
        for dimension in DIMENSIONS:
            key, label = _key(ticket, dimension)
            row = tables[dimension].get(key)
            if row is None:
                row = tables[dimension][key] = Row(key, label)
            row.add(ticket)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "offices": list(offices.order_by("name")),
        "total": total.as_dict(),
        "tables": {d: [r.as_dict() for r in sorted(rows.values(), key=_sort_key(d))] for d, rows in tables.items()},
    }
