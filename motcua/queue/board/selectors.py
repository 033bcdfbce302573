"""What the display board shows. Public by design: a TV in the hall, no login. So every value here is
one a person in the hall can already see: ticket codes, counter numbers and names, group names,
counts and estimated waits. Never a citizen's name, phone number, person or officer."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import voice
from motcua.core.errors import NotFound
from motcua.core.models import Counter, OneStopOffice

from ..models import Ticket, TicketCall, TicketStatus
from ..selectors.estimates import waiting_summary

RECENT_CALLS = 8  # the "vừa gọi" column
CATCH_UP_LIMIT = 20  # calls replayed to a board that reconnects after a long drop
CATCH_UP_MINUTES = 10  # older calls are not called out again (the state still shows who is served)


def board_office(office_id: int) -> OneStopOffice:
    """The office a board shows: any active office (boards are public), else NotFound."""
    if not 0 < office_id < 2**31:  # an address like /bang/99999999999999999999/ is just not found
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="queue_office_not_found")
    office = OneStopOffice.objects.filter(pk=office_id, is_active=True).first()
    if office is None:
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="queue_office_not_found")
    return office


def call_payload(call: TicketCall) -> dict:
    """One call as the board receives it; `call` comes with ticket and counter loaded."""
    code, number = call.ticket.code, call.counter.number
    text = voice.call_text(code, number)
    return {
        "id": call.pk,
        "office": call.office_id,
        "code": code,
        "counter": number,
        "counter_name": call.counter.name,
        "kind": call.kind,
        "at": timezone.localtime(call.at).strftime("%H:%M"),
        "text": text,
        "speech": voice.speech_url(text),
    }


def _calls():
    return TicketCall.objects.select_related("ticket", "counter").only(
        "id", "office_id", "kind", "at", "ticket__code", "counter__number", "counter__name"
    )


def calls_after(
    office: OneStopOffice, after_id: int, *, limit: int = CATCH_UP_LIMIT, now: datetime.datetime | None = None
) -> list[dict]:
    """The office's calls with id > after_id made in the last CATCH_UP_MINUTES, oldest first; at most
    the newest `limit` of them. A board that was away longer (a TV left on overnight whose server
    restarted) gets the current state, not yesterday's call-outs read aloud again."""
    since = (now or timezone.now()) - datetime.timedelta(minutes=CATCH_UP_MINUTES)
    rows = list(_calls().filter(office=office, id__gt=after_id, at__gte=since).order_by("-id")[:limit])
    return [call_payload(call) for call in reversed(rows)]


def latest_call_id(office: OneStopOffice) -> int:
    return TicketCall.objects.filter(office=office).aggregate(last=Max("id"))["last"] or 0


def board_state(office: OneStopOffice, *, now: datetime.datetime | None = None) -> dict:
    """Everything the board draws: who is at each counter, the last calls, the waiting per group."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    counters = list(Counter.objects.filter(office=office, is_active=True).order_by("number"))
    busy = {
        counter_id: (code, status)
        for counter_id, code, status in Ticket.objects.filter(
            office=office, day=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING], counter__isnull=False
        )
        .order_by("called_at", "id")
        .values_list("counter_id", "code", "status")
    }
    start_of_day = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    recent = list(_calls().filter(office=office, at__gte=start_of_day).order_by("-id")[:RECENT_CALLS])
    return {
        "office": office.pk,
        "name": office.name,
        "counters": [
            {
                "number": counter.number,
                "name": counter.name,
                "code": busy.get(counter.pk, ("", ""))[0],
                "status": busy.get(counter.pk, ("", ""))[1],
            }
            for counter in counters
        ],
        "recent": [call_payload(call) for call in recent],
        "groups": [
            {key: row[key] for key in ("prefix", "name", "waiting", "wait_minutes", "last_called")}
            for row in waiting_summary(office, now=now)
        ],
    }
