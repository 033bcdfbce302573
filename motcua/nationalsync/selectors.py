"""Reads of the national-portal sync: the reconciliation list (access-checked) and the index figures.

Who sees the reconciliation list: superusers and administrators or managers, each over the
agencies their roles cover (`scope.covered_agencies`): a commune's administrator sees that
commune's dossiers only, the province's administrator every dossier. Other officers and citizens
see nothing (the page answers 404, the API 404, as for any record one may not see).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from motcua.core import scope
from motcua.core.errors import NotFound
from motcua.core.models import Agency, Role
from motcua.dossiers.models import Dossier

from .models import UNSENT_STATES, SyncMessage, SyncState

READER_ROLES = (Role.ADMINISTRATOR, Role.MANAGER)


def _unsent(state=None):
    rows = SyncMessage.objects.filter(dossier_id=OuterRef("pk"))
    return rows.filter(state=state) if state else rows.filter(state__in=UNSENT_STATES)


def _in_period(rows: QuerySet[Dossier], *, agencies, start, end) -> QuerySet[Dossier]:
    rows = rows.filter(received_at__gte=start, received_at__lt=end)
    if agencies is not None:
        rows = rows.filter(receiving_agency__in=agencies)
    return rows


def sync_rate(*, agencies=None, start: datetime.datetime, end: datetime.datetime) -> tuple[int, int]:
    """(numerator, denominator) of the "dossiers synchronised" sub-indicator.

    Denominator: dossiers received in [start, end) (by `received_at`), of `agencies` when given (an
    Agency queryset or ids). Numerator: those of them with at least one message and every message
    accepted by the national portal (SENT). Two COUNT queries, no access check: figures, not records.
    """
    received = _in_period(Dossier.objects.all(), agencies=agencies, start=start, end=end)
    synced = received.filter(Exists(SyncMessage.objects.filter(dossier_id=OuterRef("pk")))).exclude(Exists(_unsent()))
    return synced.count(), received.count()


def unsynced_dossiers(
    *, agencies=None, start: datetime.datetime | None = None, end: datetime.datetime | None = None,
    state: str | None = None,
) -> QuerySet[Dossier]:  # fmt: skip
    """Dossiers with a message the national portal has not accepted (the drill-down of `sync_rate`:
    with start/end, the denominator's dossiers missing from its numerator). `state` narrows to
    dossiers with a message in that state (e.g. REJECTED). No access check: callers pass `agencies`."""
    rows = Dossier.objects.all()
    if start is not None and end is not None:
        rows = _in_period(rows, agencies=agencies, start=start, end=end)
        missing = ~Exists(SyncMessage.objects.filter(dossier_id=OuterRef("pk")))
        rows = rows.filter(Exists(_unsent(state)) if state else (Exists(_unsent()) | missing))
    else:
        if agencies is not None:
            rows = rows.filter(receiving_agency__in=agencies)
        rows = rows.filter(Exists(_unsent(state)))
    return rows


def may_read(user) -> bool:
    return scope.is_signed_in(user) and (user.is_superuser or scope.has_role(user, READER_ROLES))


def reader_agencies(user) -> QuerySet[Agency] | None:
    """The agencies whose sync state `user` may read; None = all (superuser). Raises NotFound otherwise."""
    if not may_read(user):
        raise NotFound(code="sync_not_found")
    if user.is_superuser:
        return None
    return scope.covered_agencies(user, roles=READER_ROLES)


@dataclass
class Filters:
    state: str = ""  # "" all unsynced | rejected | waiting
    agency: int | None = None
    q: str = ""


def reconciliation_for(user, filters: Filters | None = None) -> QuerySet[Dossier]:
    """Dossiers not yet synchronised (or rejected) that `user` may see, newest change first, with
    their unsent messages prefetched (`unsent`) for the reason column."""
    filters = filters or Filters()
    agencies = reader_agencies(user)
    state = SyncState.REJECTED if filters.state == "rejected" else None
    rows = unsynced_dossiers(agencies=agencies, state=state)
    if filters.state == "waiting":
        rows = rows.exclude(Exists(_unsent(SyncState.REJECTED)))
    if filters.agency:
        rows = rows.filter(receiving_agency_id=filters.agency)
    if filters.q:
        rows = rows.filter(code__icontains=filters.q.strip()[:48])
    unsent = SyncMessage.objects.filter(state__in=UNSENT_STATES).order_by("seq")
    return (
        rows.select_related("procedure", "receiving_agency")
        .prefetch_related(Prefetch("sync_messages", queryset=unsent, to_attr="unsent"))
        .order_by("-updated_at", "-id")
    )


def dossier_sync_for(user, code: str) -> tuple[Dossier, list[SyncMessage]]:
    """One dossier's messages, for a reader covering it; NotFound otherwise."""
    agencies = reader_agencies(user)
    rows = Dossier.objects.filter(code=code)
    if agencies is not None:
        rows = rows.filter(receiving_agency__in=agencies)
    dossier = rows.select_related("receiving_agency").first()
    if dossier is None:
        raise NotFound(code="dossier_not_found")
    return dossier, list(dossier.sync_messages.order_by("seq"))


def reader_agency_choices(user) -> QuerySet[Agency]:
    agencies = reader_agencies(user)
    rows = Agency.objects.all() if agencies is None else agencies
    return rows.order_by("name")
