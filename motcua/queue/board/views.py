"""The display board: the page, its state as JSON, and the Server-Sent Events stream.

The stream (`text/event-stream`) sends, in this order: `retry:` (the browser reconnects after
RETRY_MS), a `state` event with the whole board, the calls the board missed (ids above the
`Last-Event-ID` header the browser sends on reconnect, or the page's `?last=`), then each new call as
it happens (`event: call`, `id:` the TicketCall id) and a fresh `state` when the board changes. It
ends after STREAM_SECONDS so a WSGI thread is never held for ever by a TV that went away; the
browser reconnects by itself and misses nothing. A `ping` event every KEEPALIVE_SECONDS keeps
proxies from closing an idle stream, tells the server when a board has gone (the write fails), and
lets the page notice a link that died silently (no ping for 40 s: it reconnects).
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.core import voice
from motcua.core.shortcuts import found_or_404

from . import selectors
from .feed import feed

RETRY_MS = 1000
KEEPALIVE_SECONDS = 15.0


def _stream_seconds() -> float:
    return float(settings.QUEUE_BOARD_STREAM_SECONDS)


def _last_event_id(request) -> int | None:
    """The browser's Last-Event-ID (on its own reconnects), else the page's `?last=`; None if neither
    is a sensible id (a bad value is treated as absent: the board still gets the full state)."""
    for raw in (request.headers.get("Last-Event-ID"), request.GET.get("last")):
        if raw and raw.isascii() and raw.isdigit() and len(raw) <= 18:
            return int(raw)
    return None


def _sse(event: str, data: dict, *, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


@require_GET
@never_cache
def board_page(request, office_id: int):
    office = found_or_404(selectors.board_office, office_id)
    state = selectors.board_state(office)
    return render(
        request,
        "queue/board/board.html",
        {
            "office": office,
            "state": state,
            "last_id": selectors.latest_call_id(office),
            "chime_url": voice.chime_url(),
            # What the page's script writes when it redraws (the template writes the first drawing).
            "words": {"counter": _("quầy"), "counterTitle": _("Quầy"), "minutes": _("phút")},
        },
    )


@require_GET
@never_cache
def board_state_json(request, office_id: int):
    office = found_or_404(selectors.board_office, office_id)
    return JsonResponse({"state": selectors.board_state(office), "last_id": selectors.latest_call_id(office)})


@require_GET
def board_stream(request, office_id: int):
    office = found_or_404(selectors.board_office, office_id)
    last = _last_event_id(request)
    source = feed()
    source.start()  # before the catch-up query, so no call falls between the two
    state = selectors.board_state(office)
    if last is None:  # a new board: the page already shows the state; no old call-outs
        missed, since = [], selectors.latest_call_id(office)
    else:
        missed = selectors.calls_after(office, last)
        since = last
    source.release_connection()
    response = StreamingHttpResponse(
        _events(source, office.pk, state=state, missed=missed, since=since), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return response


def _events(source, office_id: int, *, state: dict, missed: list[dict], since: int):
    # Subscribed here, not in the view: a response never sent (the client left first) never runs
    # this generator, and so never leaves a subscription behind.
    source.subscribe(office_id)
    delivered: set[int] = set()
    version = 0
    try:
        yield f"retry: {RETRY_MS}\n\n"
        opening = [_sse("state", state)]
        for call in missed:
            delivered.add(call["id"])
            opening.append(_sse("call", call, event_id=call["id"]))
        yield "".join(opening)
        deadline = time.monotonic() + _stream_seconds()
        while (remaining := deadline - time.monotonic()) > 0 and not source.stopped:
            events, version, fresh = source.wait(
                office_id,
                delivered=delivered,
                since=since,
                state_version=version,
                timeout=min(KEEPALIVE_SECONDS, remaining),
            )
            chunk = []
            for call in events:
                delivered.add(call["id"])
                chunk.append(_sse("call", call, event_id=call["id"]))
            if fresh is not None and fresh != state:
                state = fresh
                chunk.append(_sse("state", fresh))
            yield "".join(chunk) or _sse("ping", {})
    finally:
        source.unsubscribe(office_id)
