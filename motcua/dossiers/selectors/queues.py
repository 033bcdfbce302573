"""The officer's queues of dossiers (mine, office, waiting, due soon, overdue), keyset-paginated."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re

from django.db.models import (
    BigIntegerField,
    Case,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import scope
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


def _b64(payload: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def encode_cursor(due_at: datetime.datetime | None, pk: int) -> str:
    return _b64([due_at.isoformat() if due_at else None, pk])


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


def _office_cursor(late: bool, due_at: datetime.datetime | None, pk: int, cutoff: datetime.datetime) -> str:
    return _b64(["late" if late else "new", due_at.isoformat() if due_at else None, pk, cutoff.isoformat()])


def _office_cursor_decode(cursor: str) -> tuple[bool, datetime.datetime | None, int, datetime.datetime]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        segment, due, pk, cutoff = json.loads(raw)
        if segment not in ("late", "new") or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
        due_at = datetime.datetime.fromisoformat(due) if due is not None else None
        cutoff_at = datetime.datetime.fromisoformat(cutoff)
        if (segment == "late" and due_at is None) or cutoff_at.tzinfo is None or (due_at and due_at.tzinfo is None):
            raise ValueError
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise DomainError(_("Con trỏ phân trang không hợp lệ."), code="invalid_cursor", status=422)
    return segment == "late", due_at, pk, cutoff_at


def _late(cutoff: datetime.datetime) -> Q:
    """Open, the clock running, past the deadline at `cutoff`: what an office must see first."""
    running = [s for s in OPEN_STATUSES if s not in CLOCK_PAUSED]
    return Q(status__in=running, due_at__lt=cutoff)


def _office_page_keys(
    dossiers: QuerySet[Dossier], after: str | None, size: int, now: datetime.datetime
) -> list[tuple[int, str]]:
    """(id, cursor after it) of up to `size` dossiers for the office tab: overdue first, then newest.

    The office tab is where new work must show up: ordered by deadline alone, a dossier received today
    (deadline in weeks) sat behind every dossier due sooner, past the first page of 50, and could only
    be found by its code. So two segments, read in one query:
    1. overdue (open, clock running, deadline passed), most overdue first: (due_at, id) ascending;
    2. everything else, newest first: id descending (ids follow creation, so the latest submitted or
       received dossier is on top).
    The cut-off between the two is the first page's `now`, carried in the cursor, so a dossier that
    falls due while an officer pages through does not move from the unread segment to the read one.
    The open dossiers of an office are a few thousand rows (the partial queue index holds only them),
    so the sort is cheap; later pages are keyset ranges within a segment.
    """
    if after:
        in_late, due_at, pk, cutoff = _office_cursor_decode(after)
    else:
        in_late, due_at, pk, cutoff = True, None, None, now
    late = _late(cutoff)
    keys = dossiers.annotate(
        segment=Case(When(late, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).alias(
        late_due=Case(When(late, then=F("due_at")), default=None, output_field=DateTimeField()),
        order_pk=Case(When(late, then=F("pk")), default=-F("pk"), output_field=BigIntegerField()),
    )
    if pk is not None and in_late:
        keys = keys.filter((late & TupleGreaterThan(Tuple(F("due_at"), F("pk")), (due_at, pk))) | ~late)
    elif pk is not None:
        keys = keys.filter(~late, pk__lt=pk)
    rows = keys.order_by("segment", F("late_due").asc(nulls_last=True), "order_pk").values_list(
        "pk", "due_at", "segment"
    )[:size]
    return [(row_pk, _office_cursor(segment == 0, row_due, row_pk, cutoff)) for row_pk, row_due, segment in rows]


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


def _free_steps_condition(user) -> Q | None:
    """Steps nobody holds yet that this officer may take: no assignee, a role the officer holds at
    the step's agency (an agency-scoped role at that agency, or a unit-scoped one over its unit), the
    same rule the workflow applies when the officer acts (`workflow_context.agency_roles`). None
    when the officer holds no role at all."""
    roles = set(scope.assignments(user).values_list("role", flat=True))
    if not roles:
        return None
    held = [
        Q(role=role, agency__in=scope.covered_agencies(user, roles=[role], commune_siblings=False))
        for role in sorted(roles)
    ]
    condition = held[0]
    for more in held[1:]:
        condition |= more
    return Q(assignee__isnull=True) & condition


DUE_FILTERS = ("today",)


def _office_agencies(user) -> QuerySet[Agency]:
    if user_sees_all_dossiers(user):
        return Agency.objects.all()
    return agencies_covered_by(user)


def _queue_rows(
    user,
    *,
    now: datetime.datetime,
    queue: str = "office",
    q: str | None = None,
    procedure: str | None = None,
    status: str | None = None,
    step: str | None = None,
    due: str | None = None,
    measure: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    agency: str | None = None,
    unit: str | int | None = None,
    channel: str | None = None,
) -> QuerySet[Dossier]:
    """The rows of one queue with its filters (unordered, lazy): the page and the count share them."""
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy hàng đợi hồ sơ."), code="queue_not_found")
    if queue not in QUEUES:
        raise DomainError(
            _("Hàng đợi “%(queue)s” không tồn tại.") % {"queue": str(queue)[:30]}, code="invalid_queue", status=422
        )
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
        active = DossierStep.objects.filter(dossier=OuterRef("pk"), state=DossierStep.State.ACTIVE)
        mine = Q(current_assignee=user) | Q(Exists(active.filter(assignee=user)))
        free = _free_steps_condition(user)
        if free is not None:
            mine |= Q(Exists(active.filter(free)))
        dossiers = dossiers.filter(mine).exclude(status__in=[S.DRAFT])
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
    if due == "today":
        # Open, on the clock, and due on the local calendar day of `now`.
        start, end = period_bounds(timezone.localdate(now), timezone.localdate(now))
        dossiers = dossiers.filter(due_at__gte=start, due_at__lt=end, status__in=OPEN_STATUSES).exclude(
            status__in=CLOCK_PAUSED
        )
    if step:
        # An active step of that kind (StepKind: "approve" is the leader's "waiting to sign").
        active = DossierStep.objects.filter(dossier=OuterRef("pk"), kind=step, state=DossierStep.State.ACTIVE)
        if queue == "mine":
            free = _free_steps_condition(user)
            active = active.filter(Q(assignee=user) | free if free is not None else Q(assignee=user))
        dossiers = dossiers.filter(Exists(active))
    return dossiers


def dossier_queue_count(user, *, now: datetime.datetime | None = None, **filters) -> int:
    """How many dossiers one queue holds: the same rows `dossier_queue` pages, with the same filters
    (`queue`, `q`, `procedure`, `status`, `step` and a statistics figure's), as keyword arguments."""
    return _queue_rows(user, now=now or timezone.now(), **filters).count()


def dossier_queue(
    user,
    *,
    queue: str = "office",
    after: str | None = None,
    limit: int = 50,
    now: datetime.datetime | None = None,
    **filters,
) -> tuple[list[Dossier], str | None]:
    """One page of an officer's work queue; returns (items, next cursor or None).

    Queues: mine (assigned to me, an active step assigned to me, or an active step nobody holds yet
    whose role I hold at its agency: the work waiting for me to pick up), office (open dossiers held by
    an agency in my scope: overdue first, then newest, see `_office_page_keys`), waiting (submitted
    online, waiting for the desk), due_soon (open, deadline within DUE_SOON_HOURS), overdue (open, past
    the deadline). Keyset pagination (by deadline, except the office tab's second segment): a page
    costs the same whatever its depth, and rows do not shift when others are added.

    `filters` are `_queue_rows`' keywords: `q` (code, name, ID, phone), `procedure` (code), `status`;
    `step` keeps the dossiers with an active step of that kind (in "mine", one I hold or may take);
    `due="today"` the open ones due on today's local date (other values are ignored).

    The dossiers behind a statistics figure: `measure` (one of `measures.MEASURES`, over the local dates
    `date_from`..`date_to`), narrowed by receiving `agency` (code), its `unit` (id) and `channel`, all
    within the reader's scope. With a measure the office queue holds every dossier the figure counts
    (finished ones included), by receiving agency, as the statistics count them.
    """
    now = now or timezone.now()
    dossiers = _queue_rows(user, queue=queue, now=now, **filters)
    limit = max(1, min(int(limit), MAX_LIMIT))
    if queue == "office":
        keys = _office_page_keys(dossiers, after, limit + 1, now)
        next_cursor = keys[limit - 1][1] if len(keys) > limit else None
    else:
        keys = _page_keys(dossiers, after, limit + 1)
        next_cursor = encode_cursor(keys[limit - 1][1], keys[limit - 1][0]) if len(keys) > limit else None
    by_pk = _with_relations(Dossier.objects.filter(pk__in=[pk for pk, _k in keys[:limit]])).in_bulk() if keys else {}
    items = [by_pk[pk] for pk, _k in keys[:limit] if pk in by_pk]
    for dossier in items:
        dossier.is_overdue = bool(
            dossier.due_at
            and dossier.due_at < now
            and dossier.status in OPEN_STATUSES
            and dossier.status not in CLOCK_PAUSED
        )
    return items, next_cursor
