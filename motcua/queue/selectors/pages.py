"""Reads behind the kiosk, follow and counter desk pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.models import Counter, OneStopOffice

from ..models import PriorityGroup, ServiceGroup, Ticket, TicketStatus
from .access import desk_counters, desk_offices
from .ordering import in_calling_order, waiting_for_counter


def kiosk_office(office_id) -> OneStopOffice:
    """An active office for the kiosk (public: the kiosk stands in the office, no login)."""
    office = OneStopOffice.objects.select_related("agency").filter(pk=office_id, is_active=True).first()
    if office is None:
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="queue_office_not_found")
    return office


def kiosk_groups(office: OneStopOffice):
    return ServiceGroup.objects.filter(office=office, is_active=True).order_by("sort_order", "code")


def kiosk_group(office: OneStopOffice, code: str) -> ServiceGroup:
    group = kiosk_groups(office).filter(code=code).first()
    if group is None:
        raise NotFound(_("Không tìm thấy nhóm dịch vụ."), code="queue_group_not_found")
    return group


def priorities_active():
    return PriorityGroup.objects.filter(is_active=True).order_by("-weight", "code")


def priority_by_code(code: str) -> PriorityGroup | None:
    """None for an empty code; NotFound for an unknown or retired one."""
    if not code:
        return None
    found = priorities_active().filter(code=code).first()
    if found is None:
        raise NotFound(_("Không tìm thấy đối tượng ưu tiên."), code="queue_priority_not_found")
    return found


def ticket_for_follow(token: str) -> Ticket:
    """The ticket behind a follow link (public: the token is the secret; no personal data is shown)."""
    ticket = (
        Ticket.objects.select_related("group", "office", "counter").filter(follow_token=token).first()
        if token and len(token) <= 40
        else None
    )
    if ticket is None:
        raise NotFound(_("Không tìm thấy số thứ tự."), code="queue_ticket_not_found")
    return ticket


def desk_counter_list(user):
    return desk_counters(user).select_related("office").order_by("office__name", "number")


def counter_for_desk(user, counter_id) -> Counter:
    counter = desk_counters(user).select_related("office__agency").filter(pk=counter_id).first()
    if counter is None:
        raise NotFound(_("Không tìm thấy quầy."), code="queue_counter_not_found")
    return counter


def ticket_for_desk(user, ticket_id) -> Ticket:
    """A ticket now at one of the user's counters (called or serving there)."""
    ticket = (
        Ticket.objects.select_related("group", "counter", "person", "office")
        .filter(pk=ticket_id, counter__in=desk_counters(user))
        .first()
    )
    if ticket is None:
        raise NotFound(_("Không tìm thấy số thứ tự."), code="queue_ticket_not_found")
    return ticket


def office_ticket_for_desk(user, ticket_id) -> Ticket:
    """A ticket of an office whose counters the user operates (to set a waiting ticket's priority)."""
    ticket = Ticket.objects.filter(pk=ticket_id, office__in=desk_offices(user)).first()
    if ticket is None:
        raise NotFound(_("Không tìm thấy số thứ tự."), code="queue_ticket_not_found")
    return ticket


@dataclass
class DeskState:
    counter: Counter
    current: Ticket | None
    waiting: int
    upcoming: list[Ticket]
    groups: list[ServiceGroup]
    counters: list[Counter]
    last_done: Ticket | None
    priorities: list[PriorityGroup]


def desk_state(user, counter_id) -> DeskState:
    counter = counter_for_desk(user, counter_id)
    now = timezone.now()
    day = timezone.localdate(now)
    current = (
        Ticket.objects.select_related("group", "priority", "person")
        .filter(counter=counter, day=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING])
        .order_by("-called_at")
        .first()
    )
    waiting = waiting_for_counter(counter, day=day)
    upcoming = list(in_calling_order(waiting, now=now).select_related("group", "priority")[:5])
    last_done = (
        Ticket.objects.select_related("group", "person")
        .filter(counter=counter, day=day, status=TicketStatus.DONE)
        .order_by("-finished_at")
        .first()
    )
    return DeskState(
        counter=counter,
        current=current,
        waiting=waiting.count(),
        upcoming=upcoming,
        groups=list(ServiceGroup.objects.filter(office_id=counter.office_id, is_active=True)),
        counters=list(Counter.objects.filter(office_id=counter.office_id, is_active=True).exclude(pk=counter.pk)),
        last_done=last_done,
        priorities=list(priorities_active()),
    )
