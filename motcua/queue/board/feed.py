"""One poller per web process that turns new TicketCall rows into board events.

Why a thread and not a query per board: under granian's WSGI every open event stream holds a worker
thread, and a thread that queries holds a database connection. Fifty boards polling four times a
second would hold fifty PostgreSQL connections and run 200 queries a second. Here the stream threads
hand their connection back before streaming and only wait on a condition; this one thread runs one
index range query on TicketCall's primary key every POLL_SECONDS for the whole process (all offices),
and recomputes an office's board state (waiting counts change without a call) every STATE_SECONDS
while boards of that office are connected.

Ids are not committed in order (two counters call at once; the higher id may commit first), so each
poll looks back LOOKBACK ids and keeps what it has already seen: a late commit still reaches the
boards. Boards keep the ids they have been sent, so nothing is delivered twice.
"""

from __future__ import annotations

import collections
import logging
import threading
import time

from django.db import DatabaseError, close_old_connections, connection

from motcua.core.models import OneStopOffice

from ..models import TicketCall
from . import selectors

log = logging.getLogger(__name__)

POLL_SECONDS = 0.25
STATE_SECONDS = 3.0
LOOKBACK = 64  # ids re-read each poll, for calls whose transaction committed after a higher id's
KEEP_PER_OFFICE = 64  # events kept in memory per office for boards that reconnect
ERROR_BACKOFF_SECONDS = 1.0


class CallFeed:
    def __init__(self, *, threaded: bool = True):
        self.threaded = threaded
        self._changed = threading.Condition()
        self._events: dict[int, collections.deque] = collections.defaultdict(
            lambda: collections.deque(maxlen=KEEP_PER_OFFICE)
        )
        self._states: dict[int, tuple[int, dict]] = {}  # office -> (version, state)
        self._state_at: dict[int, float] = {}
        self._listeners: collections.Counter[int] = collections.Counter()
        self._seen: collections.deque = collections.deque(maxlen=LOOKBACK * 16)
        self._seen_set: set[int] = set()
        self._max_seen: int | None = None
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self.stopped = False

    # --- boards -----------------------------------------------------------------------------------

    def start(self) -> None:
        """Make sure the polling thread runs (it polls only while some board listens)."""
        if self.threaded:
            self._ensure_thread()

    def subscribe(self, office_id: int) -> None:
        with self._changed:
            self._listeners[office_id] += 1
            self._state_at.pop(office_id, None)  # a fresh state on the next poll
        self.start()

    def unsubscribe(self, office_id: int) -> None:
        with self._changed:
            self._listeners[office_id] -= 1
            if self._listeners[office_id] <= 0:
                del self._listeners[office_id]

    def listeners(self, office_id: int) -> int:
        return self._listeners.get(office_id, 0)

    def release_connection(self) -> None:
        """A stream thread gives its database connection back before it starts waiting."""
        if self.threaded:
            connection.close()

    def wait(self, office_id: int, *, delivered: set[int], since: int, state_version: int, timeout: float):
        """Events of the office not yet delivered (ids > since), and the board state if newer than
        `state_version`; waits up to `timeout` seconds for either. Returns (events, version, state)."""
        if not self.threaded:
            self.poll_once()
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                events = [e for e in self._events.get(office_id, ()) if e["id"] > since and e["id"] not in delivered]
                version, state = self._states.get(office_id, (0, None))
                if events or version > state_version or not self.threaded or self.stopped:
                    return events, version, (state if version > state_version else None)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return [], state_version, None
                self._changed.wait(remaining)

    # --- polling ----------------------------------------------------------------------------------

    def _ensure_thread(self) -> None:
        with self._start_lock:
            if self.stopped:
                return
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="queue-board-feed", daemon=True)
                self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop polling and end every stream of this feed (tests; a process that shuts down)."""
        with self._changed:
            self.stopped = True
            self._changed.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            connection.close()

    def _loop(self) -> None:
        while not self.stopped:
            try:
                if self._listeners:
                    self.poll_once()
                else:
                    # Idle: start again from the newest ids when a board comes, rather than reading
                    # every call made in the meantime.
                    self._max_seen = None
                time.sleep(POLL_SECONDS)
            except DatabaseError:
                log.warning("board feed: database error, retrying", exc_info=True)
                connection.close()
                time.sleep(ERROR_BACKOFF_SECONDS)
            except Exception:  # the feed must outlive any one bad row
                log.exception("board feed: unexpected error")
                time.sleep(ERROR_BACKOFF_SECONDS)

    def poll_once(self) -> None:
        """One round: new calls for every office, then board states that are due."""
        if self.threaded:
            close_old_connections()
        if self._max_seen is None:
            self._max_seen = max(
                0, (TicketCall.objects.order_by("-id").values_list("id", flat=True).first() or 0) - LOOKBACK
            )
        floor = max(0, self._max_seen - LOOKBACK)
        fresh = [
            pk
            for pk in TicketCall.objects.filter(id__gt=floor).values_list("id", flat=True)
            if pk not in self._seen_set
        ]
        calls = []
        if fresh:
            calls = [selectors.call_payload(call) for call in selectors._calls().filter(id__in=fresh).order_by("id")]
        offices_called = {call["office"] for call in calls}
        # The calls go out first: the boards show and announce them while the states are computed.
        with self._changed:
            for call in calls:
                self._events[call["office"]].append(call)
                self._seen.append(call["id"])
                self._seen_set.add(call["id"])
                self._max_seen = max(self._max_seen, call["id"])
            self._seen_set.intersection_update(self._seen)
            if calls:
                self._changed.notify_all()
            offices = set(self._listeners) if self.threaded else set(self._listeners) | offices_called
        now = time.monotonic()
        due = {o for o in offices if o in offices_called or now - self._state_at.get(o, -1e9) >= STATE_SECONDS}
        states = {office.pk: selectors.board_state(office) for office in OneStopOffice.objects.filter(pk__in=due)}
        with self._changed:
            for office_id, state in states.items():
                self._state_at[office_id] = now
                version, previous = self._states.get(office_id, (0, None))
                if state != previous:
                    self._states[office_id] = (version + 1, state)
            if states:
                self._changed.notify_all()


_feed: CallFeed | None = None
_feed_lock = threading.Lock()


def feed() -> CallFeed:
    """This process's feed (tests put a non-threaded one in its place)."""
    global _feed
    with _feed_lock:
        if _feed is None:
            _feed = CallFeed()
        return _feed


def set_feed(replacement: CallFeed | None) -> None:
    global _feed
    with _feed_lock:
        _feed = replacement
