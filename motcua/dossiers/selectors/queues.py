"""The officer's queues of dossiers (mine, office, waiting, due soon, overdue), keyset-paginated."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import Agency
from motcua.core.selectors import user_is_officer

from ..models import CLOCK_PAUSED, Dossier, DossierStatus, DossierStep
from .dossiers import (
    MAX_LIMIT,
    OPEN_STATUSES,
    _with_relations,
    agencies_covered_by,
    dossiers_visible_to,
    user_sees_all_dossiers,
)

S = DossierStatus
# The office, due-soon and overdue queues; the partial queue indexes cover exactly these statuses.
QUEUE_STATUSES = (*OPEN_STATUSES, S.RESOLVED)
QUEUES = ("mine", "office", "waiting", "due_soon", "overdue")
# "Due soon" without relying on the periodic deadline job: within this many hours of the deadline.
DUE_SOON_HOURS = 48
QUEUE_LABELS = {
    "mine": gettext_lazy("Của tôi"),
    "office": gettext_lazy("Của cơ quan"),
    "waiting": gettext_lazy("Chờ tiếp nhận"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": gettext_lazy("Quá hạn"),
}


def encode_cursor(due_at: datetime.datetime | None, pk: int) -> str:
    payload = json.dumps([due_at.isoformat() if due_at else None, pk], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime.datetime | None, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        due, pk = json.loads(raw)
        due_at = datetime.datetime.fromisoformat(due) if due is not None else None
        if not isinstance(pk, int):
            raise ValueError
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise DomainError(_("Con trỏ phân trang không hợp lệ."), code="invalid_cursor", status=422)
    return due_at, pk


def _page_keys(dossiers: QuerySet[Dossier], after: str | None, size: int) -> list[tuple[int, datetime.datetime | None]]:
    """(id, due_at) of up to `size` dossiers after the cursor, in (due_at ASC NULLS LAST, id ASC) order.

    Each query is one index range: the row comparison `(due_at, id) > (x, y)` is an index condition on
    the queue indexes, where the equivalent OR (`due_at > x OR (due_at = x AND id > y) OR due_at IS
    NULL`) made PostgreSQL read every row before the cursor. Dossiers without a deadline are a final
    segment of their own, read only when the dated ones run out, so a first page is a single query.
    Only keys are read here, so the joins for the page's columns are done for its rows alone.
    """
    keys = dossiers.values_list("pk", "due_at")
    ordered = keys.order_by(F("due_at").asc(nulls_last=True), "pk")
    if not after:
        return list(ordered[:size])
    due_at, pk = decode_cursor(after)
    undated = keys.filter(due_at__isnull=True).order_by("pk")
    if due_at is None:
        return list(undated.filter(pk__gt=pk)[:size])
    rows = list(ordered.filter(TupleGreaterThan(Tuple(F("due_at"), F("pk")), (due_at, pk)))[:size])
    if len(rows) < size:
        rows += undated[: size - len(rows)]
    return rows


def _search(q: str) -> Q:
    """Code (exact or prefix), applicant name (contains), personal ID or phone (exact).

    Limits: the name match is `icontains` — accents matter ("Nguyen" does not find "Nguyễn") and on
    PostgreSQL it scans the candidate rows (no trigram index); IDs and phones must be typed in full.
    """
    q = q.strip()
    compact = re.sub(r"[\s.]", "", q)
    condition = Q(code__iexact=q) | Q(code__istartswith=q) if "-" in q else Q(pk__in=[])
    if compact.isdigit():
        if len(compact) == 12:
            condition |= Q(applicant_personal_id=compact)
        phone = normalize_phone_or_none(q)
        if phone:
            condition |= Q(applicant_phone=phone)
        return condition
    return condition | Q(applicant_name__icontains=q)


def _office_agencies(user) -> QuerySet[Agency]:
    if user_sees_all_dossiers(user):
        return Agency.objects.all()
    return agencies_covered_by(user)


def _queue_rows(
    user,
    *,
    queue: str,
    q: str | None,
    procedure: str | None,
    status: str | None,
    step: str | None,
    now: datetime.datetime,
) -> QuerySet[Dossier]:
    """The rows of one queue with its filters (unordered, lazy): the page and the count share them."""
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy hàng đợi hồ sơ."), code="queue_not_found")
    if queue not in QUEUES:
        raise DomainError(
            _("Hàng đợi “%(queue)s” không tồn tại.") % {"queue": str(queue)[:30]}, code="invalid_queue", status=422
        )
    all_agencies = user_sees_all_dossiers(user)
    # Only "mine" needs the visibility filter. In the other queues a non-draft dossier received or held
    # by an agency the user covers is visible to them by definition (dossiers_visible_to), and leaving
    # out its ORs and EXISTS lets the planner walk the queue indexes in order. The agencies are read
    # first (one small query): with their ids as literals the planner can tell a commune's two agencies
    # (per-agency index ranges) from a province's hundred (one walk along the deadline index).
    dossiers = Dossier.objects.all()
    agencies: list[int] = []
    if queue != "mine" and not all_agencies:
        agencies = list(_office_agencies(user).order_by().values_list("pk", flat=True))
    if queue == "mine":
        dossiers = dossiers_visible_to(user)
        my_step = DossierStep.objects.filter(dossier=OuterRef("pk"), assignee=user, state=DossierStep.State.ACTIVE)
        dossiers = dossiers.filter(Q(current_assignee=user) | Q(Exists(my_step))).exclude(status__in=[S.DRAFT])
        dossiers = dossiers.filter(status__in=(S.REGISTERED, *OPEN_STATUSES, S.RESOLVED))
    elif queue == "waiting":
        dossiers = dossiers.filter(status=S.REGISTERED)
        if not all_agencies:
            dossiers = dossiers.filter(receiving_agency__in=agencies)
    else:
        # "Held here": the current agency, or the receiving one while none holds it. One expression,
        # the first column of `dossier_office_queue_idx`, instead of an OR across two columns.
        dossiers = dossiers.filter(status__in=QUEUE_STATUSES)
        if not all_agencies:
            dossiers = dossiers.alias(held_by=Coalesce("current_agency", "receiving_agency")).filter(
                held_by__in=agencies
            )
        if queue == "due_soon":
            dossiers = dossiers.filter(
                due_at__gte=now, due_at__lt=now + datetime.timedelta(hours=DUE_SOON_HOURS), status__in=OPEN_STATUSES
            ).exclude(status__in=CLOCK_PAUSED)
        elif queue == "overdue":
            dossiers = dossiers.filter(due_at__lt=now, status__in=OPEN_STATUSES).exclude(status__in=CLOCK_PAUSED)
    if q and q.strip():
        dossiers = dossiers.filter(_search(q))
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure)
    if status:
        dossiers = dossiers.filter(status=status)
    if step:
        # An active step of that kind (StepKind: "approve" is the leader's "waiting to sign").
        active = DossierStep.objects.filter(dossier=OuterRef("pk"), kind=step, state=DossierStep.State.ACTIVE)
        if queue == "mine":
            active = active.filter(assignee=user)
        dossiers = dossiers.filter(Exists(active))
    return dossiers


def dossier_queue_count(
    user,
    *,
    queue: str = "office",
    q: str | None = None,
    procedure: str | None = None,
    status: str | None = None,
    step: str | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """How many dossiers one queue holds with these filters (the same rows `dossier_queue` pages)."""
    rows = _queue_rows(user, queue=queue, q=q, procedure=procedure, status=status, step=step, now=now or timezone.now())
    return rows.count()


def dossier_queue(
    user,
    *,
    queue: str = "office",
    q: str | None = None,
    procedure: str | None = None,
    status: str | None = None,
    step: str | None = None,
    after: str | None = None,
    limit: int = 50,
    now: datetime.datetime | None = None,
) -> tuple[list[Dossier], str | None]:
    """One page of an officer's work queue, ordered by deadline; returns (items, next cursor or None).

    Queues: mine (assigned to me, or an active step assigned to me), office (open dossiers held by an
    agency in my scope), waiting (submitted online, waiting for the desk), due_soon (open, deadline within
    DUE_SOON_HOURS), overdue (open, past the deadline). `step` keeps the dossiers with an active step of
    that kind (in "mine", assigned to me). Keyset pagination on (due_at, id): a page costs the
    same whatever its depth, and rows do not shift when others are added.
    """
    now = now or timezone.now()
    dossiers = _queue_rows(user, queue=queue, q=q, procedure=procedure, status=status, step=step, now=now)
    limit = max(1, min(int(limit), MAX_LIMIT))
    keys = _page_keys(dossiers, after, limit + 1)
    by_pk = _with_relations(Dossier.objects.filter(pk__in=[pk for pk, _due in keys[:limit]])).in_bulk() if keys else {}
    items = [by_pk[pk] for pk, _due in keys[:limit] if pk in by_pk]
    for dossier in items:
        dossier.is_overdue = bool(
            dossier.due_at
            and dossier.due_at < now
            and dossier.status in OPEN_STATUSES
            and dossier.status not in CLOCK_PAUSED
        )
    next_cursor = encode_cursor(keys[limit - 1][1], keys[limit - 1][0]) if len(keys) > limit else None
    return items, next_cursor


def dossier_month_figures(user, *, now: datetime.datetime | None = None) -> dict:
    """Headline figures over the dossiers this officer may read, for the month of `now` (local time).

    received: dossiers received since the month began; finished: of those and any others, the ones
    resolved since then; on_time: finished no later than their deadline (a dossier without a deadline
    counts as on time); on_time_percent: None when nothing finished yet.
    """
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy hàng đợi hồ sơ."), code="queue_not_found")
    now = now or timezone.now()
    local = timezone.localtime(now)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    visible = dossiers_visible_to(user).exclude(status=S.DRAFT)
    received = visible.filter(received_at__gte=month_start, received_at__lte=now).count()
    finished = visible.filter(resolved_at__gte=month_start, resolved_at__lte=now)
    finished_count = finished.count()
    on_time = finished.filter(Q(due_at__isnull=True) | Q(resolved_at__lte=F("due_at"))).count()
    return {
        "received": received,
        "finished": finished_count,
        "on_time": on_time,
        "on_time_percent": round(100 * on_time / finished_count) if finished_count else None,
        "month_start": month_start,
    }
