"""The kiosk's one write: a ticket for a walk-in, rate-limited per kiosk address (the kiosk page
needs no login, so the limit keeps a script from emptying the day's numbers)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.throttle import counter_hit

from ..models import ServiceGroup, Ticket, TicketChannel
from .issuing import issue_ticket

KIOSK_LIMIT = 120  # tickets per address per window: a busy kiosk issues one every few seconds at most
KIOSK_WINDOW_SECONDS = 600


def kiosk_issue(*, group: ServiceGroup, priority=None, phone: str = "", client: str) -> Ticket:
    limit = int(getattr(settings, "QUEUE_KIOSK_LIMIT", KIOSK_LIMIT))
    hit = counter_hit(f"queue-kiosk:{group.office_id}:{client}", limit=limit, window_seconds=KIOSK_WINDOW_SECONDS)
    if not hit.allowed:
        raise DomainError(
            _("Máy lấy số đang bận, vui lòng thử lại sau ít phút hoặc liên hệ cán bộ tại quầy."),
            code="queue_kiosk_throttled",
            status=429,
        )
    return issue_ticket(group=group, channel=TicketChannel.KIOSK, priority=priority, phone=phone)
