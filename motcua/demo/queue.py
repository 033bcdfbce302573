"""Demo queue: service groups at every demo office's counters, and a morning of tickets today at a
few offices (some served, one at a counter, some waiting), so the kiosk, desk, follow page and
figures show something. Safe to run again: groups are kept, today's tickets are made once."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from motcua.core.models import Counter, OneStopOffice, Role, RoleAssignment
from motcua.queue.models import PriorityGroup, ServiceGroup, Ticket, TicketChannel, TicketStatus
from motcua.queue.priorities import priority_groups_ensure
from motcua.queue.services import call_next, finish_serving, issue_ticket, start_serving

GROUPS = (
    # code, name, prefix
    ("ho-tich", "Hộ tịch, chứng thực", "A"),
    ("dat-dai", "Đất đai, xây dựng", "B"),
    ("khac", "Lĩnh vực khác", "C"),
)
BUSY_OFFICES = 3
TICKETS_PER_OFFICE = 12
SERVED_PER_OFFICE = 6


@dataclass
class DemoQueueResult:
    groups_created: int = 0
    tickets_created: int = 0


def _groups_for(office: OneStopOffice, counters: list[Counter]) -> int:
    created = 0
    for order, (code, name, prefix) in enumerate(GROUPS):
        group, made = ServiceGroup.objects.get_or_create(
            office=office, code=code, defaults={"name": name, "prefix": prefix, "sort_order": order}
        )
        created += made
        if made:
            if code == "khac":
                group.counters.set(counters)
            else:
                group.counters.set([counters[order % len(counters)]])
    return created


def _morning(office: OneStopOffice, rng: random.Random, officer) -> int:
    """Today's tickets at one office, through the real services, then spread over the morning."""
    groups = list(ServiceGroup.objects.filter(office=office).order_by("sort_order"))
    priorities = list(PriorityGroup.objects.filter(is_active=True))
    tickets = []
    for _i in range(TICKETS_PER_OFFICE):
        priority = rng.choice(priorities) if priorities and rng.random() < 0.2 else None
        channel = TicketChannel.BOOKING if rng.random() < 0.15 else TicketChannel.KIOSK
        tickets.append(issue_ticket(group=rng.choice(groups), channel=channel, priority=priority))
    counters = list(Counter.objects.filter(office=office, is_active=True).order_by("number"))
    served = 0
    for counter in counters * SERVED_PER_OFFICE:
        if served >= SERVED_PER_OFFICE:
            break
        ticket = call_next(counter=counter, officer=officer)
        if ticket is None:
            continue
        finish_serving(start_serving(ticket, officer), officer)
        served += 1
    if counters:
        call_next(counter=counters[0], officer=officer)
    # Spread the times: arrivals every few minutes from 7:30, service of 4–12 minutes.
    start = timezone.localtime().replace(hour=7, minute=30, second=0, microsecond=0)
    now = timezone.now()
    for index, ticket in enumerate(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).order_by("number")):
        arrival = min(now, start + datetime.timedelta(minutes=4 * index + rng.randint(0, 3)))
        fields = {"issued_at": arrival, "arrival_at": arrival}
        if ticket.called_at:
            called = min(now, arrival + datetime.timedelta(minutes=rng.randint(3, 25)))
            fields["called_at"] = called
            if ticket.status == TicketStatus.DONE:
                fields["started_at"] = called
                fields["finished_at"] = min(now, called + datetime.timedelta(minutes=rng.randint(4, 12)))
        Ticket.objects.filter(pk=ticket.pk).update(**fields)
    return len(tickets)


def queue_demo_build(*, seed: int, province: str) -> DemoQueueResult:
    priority_groups_ensure(PriorityGroup)
    result = DemoQueueResult()
    in_province = (
        Q(agency__unit__code=province)
        | Q(agency__unit__parent__code=province)
        | Q(agency__unit__parent__parent__code=province)
    )
    offices = list(OneStopOffice.objects.filter(in_province, is_active=True).order_by("pk"))
    counters: dict[int, list[Counter]] = {}
    for counter in Counter.objects.filter(office__in=offices, is_active=True).order_by("number"):
        counters.setdefault(counter.office_id, []).append(counter)
    for office in offices:
        if counters.get(office.pk):
            result.groups_created += _groups_for(office, counters[office.pk])
    today = timezone.localdate()
    busy = 0
    for office in offices:
        if busy >= BUSY_OFFICES or not counters.get(office.pk):
            continue
        desk = (
            RoleAssignment.objects.filter(role=Role.RECEPTIONIST, agency=office.agency_id, user__is_officer=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if desk is None:
            continue
        busy += 1
        if Ticket.objects.filter(office=office, day=today).exists():
            continue
        rng = random.Random(f"motcua-demo:{seed}:queue:{office.pk}:{today}")
        result.tickets_created += _morning(office, rng, desk.user)
    return result
