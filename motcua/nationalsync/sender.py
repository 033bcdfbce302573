"""The sender: drains the SyncMessage outbox to the national portal, in order per dossier.

Rules (tests/nationalsync/test_sender.py checks each):
- in order: a message is claimable only when every earlier message of its dossier is SENT; so at
  most one message per dossier is in flight, and a REJECTED one holds back the rest of its dossier
  (only that dossier) until an administrator resends it;
- two workers at once: the claim takes rows FOR UPDATE SKIP LOCKED (PostgreSQL) and commits the
  SENDING mark before the remote is called; SQLite runs one writer at a time (IMMEDIATE transactions);
- never lost: rows are only marked. A worker killed after the remote accepted but before it marked
  leaves a SENDING row; after NATIONAL_SYNC_STALE_SECONDS another claim takes it and sends it again
  with the same MaGoiTin, which the remote uses to ignore the duplicate;
- transient failures back off exponentially (base × 2^(attempts-1), capped) and never give up.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import threading

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from .client import NationalSyncClient, Outcome, SyncResult
from .models import SyncMessage, SyncState

log = logging.getLogger(__name__)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


def backoff_seconds(attempts: int) -> float:
    base, cap = settings.NATIONAL_SYNC_BACKOFF_SECONDS, settings.NATIONAL_SYNC_BACKOFF_MAX_SECONDS
    return min(cap, base * 2 ** max(0, attempts - 1))


def _due(now: datetime.datetime) -> Q:
    stale = now - datetime.timedelta(seconds=settings.NATIONAL_SYNC_STALE_SECONDS)
    waiting = Q(state__in=(SyncState.PENDING, SyncState.RETRY)) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    return waiting | Q(state=SyncState.SENDING, claimed_at__lt=stale)


def claim(*, batch: int, worker_id: str, now: datetime.datetime | None = None) -> list[SyncMessage]:
    """Claim up to `batch` due messages, at most one per dossier (its next one), and commit the claim."""
    now = now or timezone.now()
    earlier_unsent = SyncMessage.objects.filter(dossier_id=OuterRef("dossier_id"), seq__lt=OuterRef("seq")).exclude(
        state=SyncState.SENT
    )
    with transaction.atomic():
        rows = SyncMessage.objects.filter(_due(now)).filter(~Exists(earlier_unsent)).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        ids = list(rows.values_list("id", flat=True)[:batch])
        if ids:
            SyncMessage.objects.filter(pk__in=ids).update(
                state=SyncState.SENDING, claimed_at=now, claimed_by=worker_id[:64], attempts=F("attempts") + 1
            )
    return list(SyncMessage.objects.filter(pk__in=ids).order_by("id"))


def record(*, message: SyncMessage, result: SyncResult, worker_id: str, now: datetime.datetime | None = None) -> str:
    """Mark the message after one attempt; returns its new state (or the state someone else left)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = SyncMessage.objects.select_for_update().filter(pk=message.pk).first()
        if current is None or current.state != SyncState.SENDING or current.claimed_by != worker_id[:64]:
            # A worker that took over a stale claim owns it now; the remote de-duplicates our send.
            return current.state if current else ""
        update: dict = {"claimed_by": "", "claimed_at": None, "updated_at": now}
        if result.outcome == Outcome.ACCEPTED:
            update.update(state=SyncState.SENT, sent_at=now, last_error="", reject_code="")
        elif result.outcome == Outcome.REJECTED:
            update.update(state=SyncState.REJECTED, last_error=result.reason[:2000], reject_code=result.code[:32])
        else:
            update.update(
                state=SyncState.RETRY,
                last_error=result.reason[:2000],
                not_before=now + datetime.timedelta(seconds=backoff_seconds(current.attempts)),
            )
        SyncMessage.objects.filter(pk=message.pk).update(**update)
        return update["state"]


def send(client: NationalSyncClient, message: SyncMessage) -> SyncResult:
    try:
        return client.sync_dossier(message.payload)
    except Exception as exc:  # an adapter bug must not kill the worker; the message waits and is retried
        log.exception("national sync of message %s crashed", message.pk)
        return SyncResult(Outcome.TEMPORARY, f"{type(exc).__name__}: {exc}")


def run_once(
    *, client: NationalSyncClient | None = None, batch: int = 50, worker_id: str | None = None,
    now: datetime.datetime | None = None, force: bool = False,
) -> dict:  # fmt: skip
    """Claim one batch and send it; returns counts by resulting state. Nothing when sync is off."""
    if not (settings.NATIONAL_SYNC_ENABLED or force):
        return {"claimed": 0}
    worker_id = worker_id or default_worker_id()
    client = client or NationalSyncClient()
    messages = claim(batch=batch, worker_id=worker_id, now=now)
    counts: dict = {"claimed": len(messages)}
    for message in messages:
        state = record(message=message, result=send(client, message), worker_id=worker_id, now=now)
        counts[state] = counts.get(state, 0) + 1
    return counts


def run_forever(*, batch: int = 50, idle_sleep: float = 2.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    worker_id = default_worker_id()
    client = NationalSyncClient()
    while not stop.is_set():
        counts = run_once(client=client, batch=batch, worker_id=worker_id)
        # A claimed batch may have unblocked the next messages of the same dossiers: go again now.
        if counts["claimed"] and counts.get(SyncState.SENT):
            continue
        stop.wait(idle_sleep)
