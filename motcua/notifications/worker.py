"""The outbox worker: claim due messages, hand them to providers, record what happened.

At most once, never lost:
- a claim (status "sending", claimed_at/by) is COMMITTED before the provider is called, so two
  workers never pick the same row, and a worker killed mid-send leaves a visible "sending" row;
- a "sending" row older than NOTIFY_STALE_SECONDS is claimed again and re-sent with the SAME
  dedupe key (RequestId / tracking_id), which the provider de-duplicates: the citizen gets it once;
- the outcome is recorded only while the row is still "sending", so a late worker never
  overwrites a receipt that already said "delivered".
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .broadcasts.sending import broadcasts_dispatch
from .models import SECRET_MASK, DeliveryAttempt, Message, MessageStatus
from .providers import Outcome, SendResult, get_provider, provider_rate
from .services.outbox import message_fallback_create
from .services.params import quiet_hours_release

log = logging.getLogger(__name__)

CLAIMABLE = (MessageStatus.CREATED, MessageStatus.TEMPORARY_FAILURE)
PENDING = (MessageStatus.CREATED, MessageStatus.TEMPORARY_FAILURE, MessageStatus.SENDING)


class TokenBucket:
    """`rate` sends per second with bursts up to `capacity`; the clock and sleep are injectable."""

    def __init__(self, rate: float, capacity: float | None = None, *, clock=time.monotonic, sleep=time.sleep):
        self.rate = float(rate)
        self.capacity = float(capacity if capacity is not None else max(1.0, rate))
        self.tokens = self.capacity
        self.clock, self.sleep = clock, sleep
        self.updated = clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def wait_time(self) -> float:
        """Seconds until one token is available (0 if one is there now), without taking it."""
        if self.rate <= 0:
            return 0.0
        self._refill()
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; returns the time slept."""
        if self.rate <= 0:
            return 0.0
        waited = self.wait_time()
        if waited > 0:
            self.sleep(waited)
            self._refill()
            # The sleep paid for this token; float rounding must not make us wait again.
            self.tokens = max(self.tokens, 1.0)
        self.tokens -= 1
        return waited


@dataclass
class RunStats:
    claimed: int = 0
    outcomes: dict = field(default_factory=dict)
    deferred: int = 0

    def count(self, key: str) -> None:
        self.outcomes[key] = self.outcomes.get(key, 0) + 1


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def backoff_seconds(attempts: int) -> float:
    """Exponential: base, 2×base, 4×base, … capped."""
    return min(settings.NOTIFY_BACKOFF_MAX_SECONDS, settings.NOTIFY_BACKOFF_SECONDS * 2 ** max(0, attempts - 1))


def claim(*, batch: int, worker_id: str, now: datetime.datetime | None = None) -> list[Message]:
    """Claim up to `batch` due messages for this worker and commit the claim."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.NOTIFY_STALE_SECONDS)
    due = Q(status__in=CLAIMABLE) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    due |= Q(status=MessageStatus.SENDING, claimed_at__lt=stale)
    # SQLite runs this in an IMMEDIATE transaction (see settings): claims are serialised there.
    with transaction.atomic():
        rows = Message.objects.filter(due).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        ids = list(rows.values_list("id", flat=True)[:batch])
        if ids:
            Message.objects.filter(pk__in=ids).update(
                status=MessageStatus.SENDING, claimed_at=now, claimed_by=worker_id[:64], attempts=F("attempts") + 1
            )
    return list(Message.objects.filter(pk__in=ids).select_related("template", "person").order_by("id"))


def _send(message: Message) -> tuple[str, SendResult]:
    provider = get_provider(message.channel)
    try:
        return provider.name, provider.send(message)
    except Exception as exc:  # an adapter bug must not kill the worker or lose the message
        log.exception("provider %s crashed on message %s", provider.name, message.pk)
        return provider.name, SendResult.technical(f"{type(exc).__name__}: {exc}")


def record(
    *, message: Message, provider: str, result: SendResult, worker_id: str, now: datetime.datetime | None = None
) -> str:
    """Write the attempt and move the message on; returns the status it ended in."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Message.objects.select_for_update().filter(pk=message.pk).first()
        DeliveryAttempt.objects.create(
            message=message,
            provider=provider,
            outcome=_attempt_outcome(result),
            http_status=result.http_status,
            response=result.response or {},
            error=result.reason[:2000],
        )
        if current is None or current.status != MessageStatus.SENDING or current.claimed_by != worker_id[:64]:
            # Someone else has it now (a receipt, or a worker that took over a stale claim).
            return current.status if current else ""
        update: dict = {"provider": provider, "claimed_by": "", "claimed_at": None}
        if result.outcome == Outcome.ACCEPTED:
            update.update(
                status=MessageStatus.DELIVERED if result.delivered else MessageStatus.SENT,
                provider_message_id=result.provider_message_id[:128],
                sent_at=now,
                last_error="",
            )
            if result.delivered:
                update["delivered_at"] = now
        elif result.outcome == Outcome.TEMPORARY:
            throttled = result.http_status == 429 or result.retry_after is not None
            attempts = current.attempts - 1 if throttled else current.attempts
            if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
                update.update(
                    status=MessageStatus.PERMANENT_FAILURE,
                    last_error=f"Đã thử {attempts} lần, lần cuối: {result.reason}"[:2000],
                )
            else:
                delay = (result.retry_after or 1.0) if throttled else backoff_seconds(attempts)
                update.update(
                    status=MessageStatus.TEMPORARY_FAILURE,
                    attempts=attempts,
                    last_error=result.reason,
                    not_before=now + datetime.timedelta(seconds=delay),
                )
        elif result.outcome == Outcome.PERMANENT:
            update.update(status=MessageStatus.PERMANENT_FAILURE, last_error=result.reason)
        else:
            update.update(status=MessageStatus.TECHNICAL_FAILURE, last_error=result.reason)
        if current.is_secret and update["status"] != MessageStatus.TEMPORARY_FAILURE:
            # Sent or given up: nobody needs the code any more, so it is not kept in the outbox.
            update.update(body=SECRET_MASK, params={})
        Message.objects.filter(pk=message.pk).update(**update, updated_at=now)
        if update["status"] in (MessageStatus.PERMANENT_FAILURE, MessageStatus.TECHNICAL_FAILURE):
            current.status = update["status"]
            message_fallback_create(message=current)
        return update["status"]


def _attempt_outcome(result: SendResult) -> str:
    return {
        Outcome.ACCEPTED: MessageStatus.DELIVERED if result.delivered else MessageStatus.SENT,
        Outcome.TEMPORARY: MessageStatus.TEMPORARY_FAILURE,
        Outcome.PERMANENT: MessageStatus.PERMANENT_FAILURE,
        Outcome.TECHNICAL: MessageStatus.TECHNICAL_FAILURE,
    }[result.outcome]


def _defer_for_quiet_hours(message: Message, now: datetime.datetime, worker_id: str) -> bool:
    """A non-urgent SMS that became due at night waits for morning, without using an attempt."""
    if message.channel != "sms" or message.urgent:
        return False
    release = quiet_hours_release(now)
    if release is None:
        return False
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING, claimed_by=worker_id[:64]).update(
        status=MessageStatus.CREATED,
        not_before=release,
        claimed_by="",
        claimed_at=None,
        attempts=F("attempts") - 1,
    )
    return True


_buckets: dict[str, TokenBucket] = {}


def bucket_for(channel: str) -> TokenBucket:
    rate = provider_rate(channel)
    bucket = _buckets.get(channel)
    if bucket is None or bucket.rate != rate:
        bucket = _buckets[channel] = TokenBucket(rate)
    return bucket


def run_once(
    *,
    batch: int = 50,
    worker_id: str | None = None,
    now: datetime.datetime | None = None,
    buckets: dict[str, TokenBucket] | None = None,
) -> RunStats:
    """Claim one batch and send it. Safe to run in many processes at once."""
    worker_id = worker_id or default_worker_id()
    stats = RunStats()
    messages = claim(batch=batch, worker_id=worker_id, now=now)
    stats.claimed = len(messages)
    for message in messages:
        moment = now or timezone.now()
        if _defer_for_quiet_hours(message, moment, worker_id):
            stats.deferred += 1
            continue
        bucket = buckets.get(message.channel) if buckets is not None else bucket_for(message.channel)
        if bucket is not None:
            bucket.acquire()
        provider, result = _send(message)
        stats.count(record(message=message, provider=provider, result=result, worker_id=worker_id, now=now))
    return stats


def pending_count() -> int:
    return Message.objects.filter(status__in=PENDING).count()


def run_forever(
    *,
    batch: int = 50,
    idle_sleep: float = 1.0,
    worker_id: str | None = None,
    exit_when_idle: bool = False,
    stop: threading.Event | None = None,
    dispatch_every: float = 15.0,
) -> None:
    stop = stop or threading.Event()
    worker_id = worker_id or default_worker_id()
    last_dispatch = None
    while not stop.is_set():
        # Broadcasts start (and are marked done) from this same loop, so one process per
        # machine is all the scheduling they need; dispatching is idempotent across workers.
        if last_dispatch is None or time.monotonic() - last_dispatch >= dispatch_every:
            broadcasts_dispatch()
            last_dispatch = time.monotonic()
        stats = run_once(batch=batch, worker_id=worker_id)
        if stats.claimed:
            continue
        if exit_when_idle and pending_count() == 0:
            return
        stop.wait(idle_sleep)
