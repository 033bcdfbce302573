"""The "your turn is near" SMS: queued once per ticket with a phone number, through the outbox,
when at most NEAR_TURN_AHEAD people are ahead of it."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from motcua.notifications.services import message_send_direct

from ..models import ServiceGroup, Ticket, TicketStatus
from ..selectors.estimates import waiting_line

NEAR_TURN_AHEAD = 3
EVENT = "queue.near_turn"


def near_turn_notify(*, office_id: int, day: datetime.date, now: datetime.datetime) -> int:
    """Queue the SMS for every ticket of the office that has come within reach; returns how many."""
    pending = Ticket.objects.filter(
        office_id=office_id, day=day, status=TicketStatus.WAITING, near_notice_at__isnull=True
    ).exclude(phone="")
    group_ids = set(pending.values_list("group_id", flat=True))
    sent = 0
    for group in ServiceGroup.objects.filter(pk__in=group_ids).select_related("office"):
        line = waiting_line(group, day=day, now=now)
        for ahead, ticket_id in enumerate(line[: NEAR_TURN_AHEAD + 1]):
            ticket = pending.filter(pk=ticket_id).first()
            if ticket is None:
                continue
            # Claim it first: a concurrent call never queues the same SMS twice.
            if not Ticket.objects.filter(pk=ticket.pk, near_notice_at__isnull=True).update(near_notice_at=now):
                continue
            text = _("Số %(code)s tại %(office)s: còn %(ahead)s người trước bạn. Vui lòng đến gần quầy.") % {
                "code": ticket.code,
                "office": group.office.name,
                "ahead": ahead,
            }
            message_send_direct(
                phone=ticket.phone,
                event=EVENT,
                params={"noi_dung": text, "so": ticket.code, "con_truoc": ahead},
                dedupe_key=f"queue-near:{ticket.pk}",
                urgent=True,
            )
            sent += 1
    return sent


def near_turn_mark_on_issue(ticket: Ticket, *, people_ahead: int, now: datetime.datetime) -> None:
    """A ticket issued already within reach needs no SMS: the slip told them."""
    if ticket.phone and people_ahead <= NEAR_TURN_AHEAD:
        Ticket.objects.filter(pk=ticket.pk).update(near_notice_at=now)
        ticket.near_notice_at = now
