"""Where a ticket stands and how long it may wait.

The service time of a group is the median of its last 20 finished tickets (start to finish, any
day); with no history yet, QUEUE_DEFAULT_SERVICE_MINUTES (5). The wait of a ticket is the people
ahead of it times that median, shared among the group's active counters, in whole minutes
rounded up.
"""

from __future__ import annotations

import datetime
import math
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from motcua.core.models import OneStopOffice

from ..models import ServiceGroup, Ticket, TicketStatus
from .ordering import in_calling_order

RECENT_SERVICES = 20
DEFAULT_SERVICE_MINUTES = 5


def service_seconds(group: ServiceGroup) -> float:
    """Median service time of the group's last 20 finished tickets, in seconds."""
    rows = (
        Ticket.objects.filter(
            group=group, status=TicketStatus.DONE, started_at__isnull=False, finished_at__isnull=False
        )
        .order_by("-finished_at", "-id")
        .values_list("started_at", "finished_at")[:RECENT_SERVICES]
    )
    durations = [(end - start).total_seconds() for start, end in rows if end >= start]
    if not durations:
        return float(getattr(settings, "QUEUE_DEFAULT_SERVICE_MINUTES", DEFAULT_SERVICE_MINUTES) * 60)
    return float(statistics.median(durations))


def active_counters(group: ServiceGroup) -> int:
    return max(1, group.counters.filter(is_active=True).count())


def waiting_line(group: ServiceGroup, *, day: datetime.date, now: datetime.datetime) -> list[int]:
    """Ids of the group's waiting tickets (not sent to a particular counter), in calling order."""
    rows = Ticket.objects.filter(group=group, day=day, status=TicketStatus.WAITING, counter__isnull=True)
    return list(in_calling_order(rows, now=now).values_list("pk", flat=True))


@dataclass(frozen=True)
class Standing:
    status: str
    people_ahead: int
    wait_minutes: int
    called_counter: str  # the counter's name once called, else ""


def wait_minutes(people_ahead: int, group: ServiceGroup) -> int:
    seconds = people_ahead * service_seconds(group) / active_counters(group)
    return math.ceil(seconds / 60)


def standing(ticket: Ticket, *, now: datetime.datetime | None = None) -> Standing:
    now = now or timezone.now()
    counter_name = ""
    if ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING) and ticket.counter_id:
        counter_name = ticket.counter.name
    if ticket.status != TicketStatus.WAITING:
        return Standing(ticket.status, 0, 0, counter_name)
    if ticket.counter_id:
        # Sent to one counter: count who waits for that counter before it.
        line = [
            t.pk
            for t in in_calling_order(
                Ticket.objects.filter(counter_id=ticket.counter_id, day=ticket.day, status=TicketStatus.WAITING),
                now=now,
            )
        ]
    else:
        line = waiting_line(ticket.group, day=ticket.day, now=now)
    ahead = line.index(ticket.pk) if ticket.pk in line else 0
    return Standing(ticket.status, ahead, wait_minutes(ahead, ticket.group), "")


def waiting_summary(office: OneStopOffice, *, now: datetime.datetime | None = None) -> list[dict]:
    """Per active group of the office today: waiting count, the estimated wait of a new ticket, the
    service median and the last called code. Public figures (no personal data), used by the board."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    summary = []
    for group in ServiceGroup.objects.filter(office=office, is_active=True).order_by("sort_order", "code"):
        waiting = Ticket.objects.filter(group=group, day=day, status=TicketStatus.WAITING).count()
        last = (
            Ticket.objects.filter(group=group, day=day, called_at__isnull=False)
            .order_by("-called_at", "-id")
            .values_list("code", flat=True)
            .first()
        )
        summary.append(
            {
                "group_id": group.pk,
                "code": group.code,
                "name": group.name,
                "prefix": group.prefix,
                "waiting": waiting,
                "wait_minutes": wait_minutes(waiting, group),
                "service_minutes": round(service_seconds(group) / 60, 1),
                "last_called": last or "",
            }
        )
    return summary
