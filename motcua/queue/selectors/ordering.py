"""The calling order of waiting tickets.

1. Tickets of a booking whose appointment time has come (appointment_at <= now), by that time;
2. then by priority weight (highest first; ordinary tickets weigh 0);
3. then by arrival (kept when a ticket is transferred), then number.

So nobody waits forever behind a stream of priority tickets, after `priority_streak_max` calls in
a row of priority tickets (among the groups a counter serves) the next call goes to the ordinary
ticket that has waited longest, if there is one. The limit is per office (QueueSettings) or the
QUEUE_PRIORITY_STREAK_MAX setting; 0 switches alternation off.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Case, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from motcua.core.models import Counter

from ..models import QueueSettings, Ticket, TicketCall, TicketCallKind, TicketStatus

DEFAULT_PRIORITY_STREAK_MAX = 2


def priority_streak_max(office_id: int) -> int:
    row = QueueSettings.objects.filter(office_id=office_id).values_list("priority_streak_max", flat=True).first()
    if row is not None:
        return row
    return int(getattr(settings, "QUEUE_PRIORITY_STREAK_MAX", DEFAULT_PRIORITY_STREAK_MAX))


def in_calling_order(tickets: QuerySet[Ticket], *, now: datetime.datetime) -> QuerySet[Ticket]:
    return tickets.annotate(
        due_at=Case(
            When(appointment_at__lte=now, then=F("appointment_at")),
            default=Value(None),
            output_field=DateTimeField(),
        ),
        weight=Coalesce(F("priority__weight"), Value(0), output_field=IntegerField()),
    ).order_by(F("due_at").asc(nulls_last=True), "-weight", "arrival_at", "number")


def waiting_for_counter(counter: Counter, *, day: datetime.date) -> QuerySet[Ticket]:
    """Today's waiting tickets this counter may call: those of the groups it serves that were not
    sent to another counter, and those transferred to it."""
    return Ticket.objects.filter(
        Q(group__counters=counter, group__is_active=True, counter__isnull=True) | Q(counter=counter),
        office_id=counter.office_id,
        day=day,
        status=TicketStatus.WAITING,
    ).distinct()


def priority_streak(counter: Counter, *, day: datetime.date, limit: int) -> int:
    """How many of the latest first calls (up to `limit`) for this counter's groups, in a row, were
    priority tickets."""
    group_ids = list(counter.service_groups.values_list("pk", flat=True))
    recent = (
        TicketCall.objects.filter(
            office_id=counter.office_id, kind=TicketCallKind.CALL, ticket__day=day, ticket__group_id__in=group_ids
        )
        .order_by("-id")
        .values_list("ticket__priority_id", flat=True)[:limit]
    )
    streak = 0
    for priority_id in recent:
        if priority_id is None:
            break
        streak += 1
    return streak


def next_candidates(counter: Counter, *, now: datetime.datetime, day: datetime.date) -> list[Ticket]:
    """The tickets to try, best first (a few, in case another counter takes one at the same time)."""
    waiting = in_calling_order(waiting_for_counter(counter, day=day), now=now).select_related("priority")
    limit = priority_streak_max(counter.office_id)
    if limit and priority_streak(counter, day=day, limit=limit) >= limit:
        # Alternate: the longest-waiting ordinary ticket goes next (a booking whose time has come
        # still goes first).
        head = list(waiting[:1])
        if head and head[0].due_at is None and head[0].priority_id is not None:
            ordinary = list(waiting.filter(priority__isnull=True).order_by("arrival_at", "number")[:5])
            if ordinary:
                return ordinary
    return list(waiting[:5])
