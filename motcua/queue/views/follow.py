"""The follow page on the citizen's phone (from the slip's QR): where the ticket stands. Shows the
number, group, office and counter only, never a name or phone number; refreshes itself."""

from __future__ import annotations

from django.shortcuts import render

from motcua.core.shortcuts import found_or_404

from .. import selectors
from ..models import TicketStatus
from ..selectors import pages

REFRESH_SECONDS = 20


def follow_view(request, token: str):
    ticket = found_or_404(pages.ticket_for_follow, token)
    standing = selectors.standing(ticket)
    return render(
        request,
        "queue/follow.html",
        {
            "ticket": ticket,
            "standing": standing,
            "your_turn": ticket.status in (TicketStatus.CALLED, TicketStatus.SERVING),
            "finished": ticket.status in (TicketStatus.DONE, TicketStatus.ABSENT),
            "refresh": REFRESH_SECONDS if ticket.status in (TicketStatus.WAITING, TicketStatus.CALLED) else 0,
        },
    )
