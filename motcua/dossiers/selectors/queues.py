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
from .measures import CHANNELS, MEASURES, measure_condition, period_bounds

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


def _figure_condition(*, measure, date_from, date_to, agency, unit, channel, now) -> Q | None:
    """The statistics filters of the officer list as one condition (None when none is asked for)."""
    condition = Q()
    if measure:
        if measure not in MEASURES:
            raise DomainError(_("Chỉ số thống kê không hợp lệ."), code="invalid_measure", status=422)
        if date_from is None or date_to is None or date_to < date_from:
            raise DomainError(_("Kỳ thống kê không hợp lệ."), code="invalid_period", status=422)
        start, end = period_bounds(date_from, date_to)
        condition &= measure_condition(measure, start, end, now or timezone.now())
    if agency:
        condition &= Q(receiving_agency__code=agency)
    if unit not in (None, ""):
        try:
            condition &= Q(receiving_agency__unit_id=int(unit))
        except (TypeError, ValueError):
            raise DomainError(_("Địa bàn không hợp lệ."), code="invalid_unit", status=422)
    if channel:
        if channel not in CHANNELS:
            raise DomainError(_("Hình thức nộp không hợp lệ."), code="invalid_channel", status=422)
        condition &= Q(channel=channel)
    return condition if condition else None


def _office_agencies(user) -> QuerySet[Agency]:
    if user_sees_all_dossiers(user):
        return Agency.objects.all()
    return agencies_covered_by(user)


def dossier_queue(
    user,
    *,
    queue: str = "office",
    q: str | None = None,
    procedure: str | None = None,
    status: str | None = None,
    after: str | None = None,
    limit: int = 50,
    now: datetime.datetime | None = None,
    measure: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    agency: str | None = None,
    unit: str | int | None = None,
    channel: str | None = None,
) -> tuple[list[Dossier], str | None]:
    """One page of an officer's work queue, ordered by deadline; returns (items, next cursor or None).

    Queues: mine (assigned to me, or an active step assigned to me), office (open dossiers held by an
    agency in my scope), waiting (submitted online, waiting for the desk), due_soon (open, deadline within
    DUE_SOON_HOURS), overdue (open, past the deadline). Keyset pagination on (due_at, id): a page costs the
    same whatever its depth, and rows do not shift when others are added.

    The dossiers behind a statistics figure: `measure` (one of `measures.MEASURES`, over the local dates
    `date_from`..`date_to`), narrowed by receiving `agency` (code), its `unit` (id) and `channel`, all
    within the reader's scope. With a measure the office queue holds every dossier the figure counts
    (finished ones included), by receiving agency, as the statistics count them.
    """
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy hàng đợi hồ sơ."), code="queue_not_found")
    if queue not in QUEUES:
        raise DomainError(
            _("Hàng đợi “%(queue)s” không tồn tại.") % {"queue": str(queue)[:30]}, code="invalid_queue", status=422
        )
    now = now or timezone.now()
    limit = max(1, min(int(limit), MAX_LIMIT))
    figure = _figure_condition(
        measure=measure, date_from=date_from, date_to=date_to, agency=agency, unit=unit, channel=channel, now=now
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
    elif queue == "office" and measure:
        dossiers = dossiers.exclude(status=S.DRAFT)
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
    if figure is not None:
        dossiers = dossiers.filter(figure)
    if q and q.strip():
        dossiers = dossiers.filter(_search(q))
    if procedure:
        dossiers = dossiers.filter(procedure__code=procedure)
    if status:
        dossiers = dossiers.filter(status=status)
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
