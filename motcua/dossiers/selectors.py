"""Reads of dossiers, each with the access check inside, so that no page or API forgets it.

Who sees which dossier:
- a citizen: the dossiers they apply for (applicant_person is their person) or submitted;
- an officer: dossiers whose receiving agency, current agency, or any step's agency their roles cover
  (`agencies_covered_by`): a role scoped to a unit covers every agency in it (a province-unit role, such
  as the provincial managers' and administrators', the whole province); a role scoped to an agency
  covers that agency, and the other agencies of its commune when it is a commune's;
- a superuser: everything.
Outside that, a dossier is "not found" (never 403), so a code typed by hand reveals nothing.

The public lookup (`dossier_lookup`) needs no account: code + the last four digits of the applicant's
phone, throttled per client, and it answers with a deliberately small public view.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import COMMUNE_KINDS, Agency, OneStopOffice, RoleAssignment
from motcua.core.selectors import user_is_officer

from .models import (
    CLOCK_PAUSED,
    NATIONAL_STATUS_CODE,
    ApologyLetter,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStatus,
    DossierStep,
)

S = DossierStatus
# Open = the clock matters: received and not yet resolved (paused statuses included).
OPEN_STATUSES = (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED)
FINISHED_STATUSES = (S.RESOLVED, S.RETURNED)
# The office, due-soon and overdue queues; the partial queue indexes cover exactly these statuses.
QUEUE_STATUSES = (*OPEN_STATUSES, S.RESOLVED)
QUEUES = ("mine", "office", "waiting", "due_soon", "overdue")
QUEUE_LABELS = {
    "mine": gettext_lazy("Của tôi"),
    "office": gettext_lazy("Của cơ quan"),
    "waiting": gettext_lazy("Chờ tiếp nhận"),
    "due_soon": gettext_lazy("Sắp đến hạn"),
    "overdue": gettext_lazy("Quá hạn"),
}
# "Due soon" without relying on the periodic deadline job: within this many hours of the deadline.
DUE_SOON_HOURS = 48
MAX_LIMIT = 200

# A dossier code: `<agency code>-YYMMDD-NNNN`. Pages route on it, so it must never match a fixed
# path such as "can-bo" or "tra-cuu".
CODE_PATTERN = r"[0-9A-Za-z.]+-\d{6}-\d{4,}"
_CODE_RE = re.compile(rf"^{CODE_PATTERN}$")

# Public lookup throttle: failed attempts per client in a sliding-ish window (fixed window in cache).
LOOKUP_MAX_FAILURES = 20
LOOKUP_WINDOW_SECONDS = 600


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")


def user_sees_all_dossiers(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def agencies_covered_by(user) -> QuerySet[Agency]:
    """The agencies whose dossiers an officer's roles cover (lazy; used as a subquery, no query of its own).

    - A role scoped to a UNIT covers every agency in that unit and below: province managers and
      administrators see the whole province, a commune's manager or community team their commune.
    - A role scoped to an AGENCY covers that agency; when the agency sits in a commune it also covers
      the other agencies of the same commune (the committee's desk sees the commune police's joint
      steps). A provincial department's officer (agency unit = the province) covers that department
      only: a Sở Tư pháp specialist sees Sở Tư pháp's dossiers, not every commune's.
    """
    roles = RoleAssignment.objects.filter(user=user)
    units = roles.filter(unit__isnull=False).values("unit_id")
    agency_ids = roles.filter(agency__isnull=False).values("agency_id")
    communes = roles.filter(agency__isnull=False, agency__unit__kind__in=COMMUNE_KINDS).values("agency__unit_id")
    return Agency.objects.filter(
        Q(unit_id__in=units)
        | Q(unit__parent_id__in=units)
        | Q(unit__parent__parent_id__in=units)
        | Q(pk__in=agency_ids)
        | Q(unit_id__in=communes)
    )


def _scope_condition(agencies: QuerySet[Agency]) -> Q:
    step_in_scope = DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=agencies)
    return Q(receiving_agency__in=agencies) | Q(current_agency__in=agencies) | Q(Exists(step_in_scope))


def dossiers_visible_to(user, *, scope: set[int] | None = None) -> QuerySet[Dossier]:
    """Every dossier this user may read (lazy queryset); empty for anonymous visitors.

    `scope` (the caller's `user_scope_units(user)`) is accepted for compatibility and not needed:
    access follows the kind of each role (see `agencies_covered_by`), computed inside the query.
    """
    dossiers = Dossier.objects.all()
    if not getattr(user, "is_authenticated", False):
        return dossiers.none()
    if user_sees_all_dossiers(user):
        return dossiers.exclude(status=S.DRAFT)
    condition = Q(submitted_by=user)
    if user.person_id:
        condition |= Q(applicant_person_id=user.person_id)
    if user.is_officer:
        # Drafts are private to whoever writes them, even inside an officer's scope.
        condition |= _scope_condition(agencies_covered_by(user)) & ~Q(status=S.DRAFT)
    return dossiers.filter(condition)


def _with_relations(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.select_related(
        "procedure",
        "receiving_agency",
        "current_agency",
        "current_assignee",
        "office",
        "applicant_person",
    )


def dossier_get_for(user, code: str) -> Dossier:
    """One dossier by code, if this user may see it; NotFound otherwise."""
    if not code or not _CODE_RE.match(str(code)):
        raise _not_found()
    dossier = _with_relations(dossiers_visible_to(user)).filter(code=code).first()
    if dossier is None:
        raise _not_found()
    return dossier


def user_is_applicant(user, dossier: Dossier) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(
        (user.person_id and dossier.applicant_person_id == user.person_id) or dossier.submitted_by_id == user.pk
    )


def user_is_officer_for(user, dossier: Dossier) -> bool:
    """Whether the user reads this dossier as an officer in scope (not merely as its applicant)."""
    if user_sees_all_dossiers(user):
        return True
    if not user_is_officer(user):
        return False
    return Dossier.objects.filter(_scope_condition(agencies_covered_by(user)), pk=dossier.pk).exists()


def dossier_list_for_citizen(user) -> QuerySet[Dossier]:
    """The citizen's own dossiers (applied for or submitted), newest first, drafts included."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    condition = Q(submitted_by=user)
    if user.person_id:
        condition |= Q(applicant_person_id=user.person_id)
    return (
        Dossier.objects.filter(condition).select_related("procedure", "receiving_agency").order_by("-created_at", "-id")
    )


def dossier_detail_context(dossier: Dossier, *, public_only: bool) -> dict:
    """Steps, documents and events of one dossier (already access-checked), in a fixed number of queries."""
    events = dossier.events.select_related("actor", "step").order_by("at", "id")
    if public_only:
        events = events.filter(public=True)
    return {
        "steps": list(dossier.steps.select_related("agency", "assignee").order_by("order", "id")),
        "documents": list(dossier.documents.select_related("required_document").order_by("kind", "id")),
        "events": [(event, event_label(event.action)) for event in events],
        "supplement_requests": list(dossier.supplement_requests.order_by("created_at", "id")),
        "national_code": NATIONAL_STATUS_CODE.get(dossier.status),
    }


# --- Officer queues ---------------------------------------------------------------------------


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


def _office_agencies(user, *, scope: set[int] | None = None) -> QuerySet[Agency]:
    # `scope` is kept for callers' sake; coverage follows the kind of each role (agencies_covered_by).
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
) -> tuple[list[Dossier], str | None]:
    """One page of an officer's work queue, ordered by deadline; returns (items, next cursor or None).

    Queues: mine (assigned to me, or an active step assigned to me), office (open dossiers held by an
    agency in my scope), waiting (submitted online, waiting for the desk), due_soon (open, deadline within
    DUE_SOON_HOURS), overdue (open, past the deadline). Keyset pagination on (due_at, id): a page costs the
    same whatever its depth, and rows do not shift when others are added.
    """
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy hàng đợi hồ sơ."), code="queue_not_found")
    if queue not in QUEUES:
        raise DomainError(
            _("Hàng đợi “%(queue)s” không tồn tại.") % {"queue": str(queue)[:30]}, code="invalid_queue", status=422
        )
    now = now or timezone.now()
    limit = max(1, min(int(limit), MAX_LIMIT))
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


# --- Public lookup ----------------------------------------------------------------------------


_EVENT_LABELS = {
    "submit": gettext_lazy("Nộp hồ sơ"),
    "apology_drafted": gettext_lazy("Lập phiếu xin lỗi"),
    "apology_sent": gettext_lazy("Gửi phiếu xin lỗi và hẹn lại ngày trả kết quả"),
}


def event_label(action: str) -> str:
    try:
        from motcua.dossiers.services.workflow import ACTION_LABELS
    except ImportError:  # the workflow module is optional for reads
        ACTION_LABELS = {}
    label = ACTION_LABELS.get(action) or _EVENT_LABELS.get(action)
    return str(label) if label else _("Cập nhật hồ sơ")


def mask_name(name: str) -> str:
    """'Nguyễn Văn An' -> 'N*** V*** A***': enough for the applicant to recognise, not to identify."""
    return " ".join(f"{word[0]}***" for word in name.split() if word)


@dataclass
class PublicEvent:
    at: datetime.datetime
    label: str


@dataclass
class PublicDossier:
    """What anyone holding the code and phone digits may see. No ID, phone, address or documents."""

    code: str
    procedure_name: str
    status: str
    status_label: str
    national_status_code: int | None
    current_step: str | None
    expected_at: datetime.datetime | None
    apology: bool
    receiving_agency: str
    applicant_masked: str
    history: list[PublicEvent] = field(default_factory=list)


def _client_key(client: str | None) -> str:
    return f"dossier-lookup-fail:{client or 'unknown'}"


def lookup_is_throttled(client: str | None) -> bool:
    return (cache.get(_client_key(client)) or 0) >= LOOKUP_MAX_FAILURES


def _lookup_failed(client: str | None) -> None:
    key = _client_key(client)
    # add() starts the window only on the first failure; incr() keeps its expiry.
    if not cache.add(key, 1, LOOKUP_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, LOOKUP_WINDOW_SECONDS)


def dossier_lookup(code: str, phone4: str, *, client: str | None = None) -> PublicDossier:
    """The public view of a dossier, for the code and the last four digits of the applicant's phone.

    A wrong code and a wrong phone give the same NotFound. After LOOKUP_MAX_FAILURES failures from one
    client (IP address) within LOOKUP_WINDOW_SECONDS, every lookup from it answers 429.
    """
    if lookup_is_throttled(client):
        raise DomainError(
            _("Bạn đã tra cứu sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.")
            % {"minutes": LOOKUP_WINDOW_SECONDS // 60},
            code="too_many_attempts",
            status=429,
        )
    code = (code or "").strip().upper()
    phone4 = (phone4 or "").strip()
    dossier = None
    if _CODE_RE.match(code) and re.fullmatch(r"\d{4}", phone4):
        dossier = (
            Dossier.objects.select_related("procedure", "receiving_agency")
            .exclude(status=S.DRAFT)
            .filter(code=code)
            .first()
        )
    if dossier is None or len(dossier.applicant_phone) < 4 or dossier.applicant_phone[-4:] != phone4:
        _lookup_failed(client)
        raise NotFound(
            _("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập. Vui lòng kiểm tra lại."),
            code="dossier_not_found",
        )
    step = dossier.steps.filter(state=DossierStep.State.ACTIVE).order_by("order", "id").first()
    events = DossierEvent.objects.filter(dossier=dossier, public=True).order_by("at", "id").values_list("at", "action")
    return PublicDossier(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        status=dossier.status,
        status_label=str(dossier.get_status_display()),
        national_status_code=NATIONAL_STATUS_CODE.get(dossier.status),
        current_step=step.name if step else None,
        expected_at=dossier.apology_due_at or dossier.due_at,
        apology=dossier.apology_due_at is not None,
        receiving_agency=dossier.receiving_agency.name,
        applicant_masked=mask_name(dossier.applicant_name),
        history=[PublicEvent(at=at, label=event_label(action)) for at, action in events],
    )


def lookup_url(code: str) -> str:
    """Absolute address of the public lookup for a code (printed on the receipt and in its QR)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{settings.PUBLIC_BASE_URL}{reverse('dossiers:lookup')}?{urlencode({'code': code})}"


# --- Statistics -------------------------------------------------------------------------------


def _local_day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def agency_get_for_stats(user, agency_code: str) -> Agency:
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
    agency = _office_agencies(user).filter(code=agency_code).first()
    if agency is None:
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
    return agency


def stats_agencies_for(user) -> QuerySet[Agency]:
    """The agencies whose statistics this officer may see (for the page's choice list)."""
    if not user_is_officer(user):
        return Agency.objects.none()
    return _office_agencies(user).order_by("code")


def office_statistics(
    user,
    *,
    agency: Agency | str,
    date_from: datetime.date,
    date_to: datetime.date,
    now: datetime.datetime | None = None,
) -> dict:
    """Figures for dossiers received by one agency, over a period of local dates (both included).

    - received: received in the period;
    - finished_on_time / finished_late: resolved in the period; late when `finished_late`, or (not yet
      marked) resolved after the deadline, or asked for supplements more than once (national index rule);
    - in_progress (on_time / overdue): open now, received up to the period's end, overdue as of `now`
      (dossiers waiting on the applicant are never overdue);
    - by_procedure: the same figures per procedure.
    Aggregated in the database: two queries, whatever the number of dossiers.
    """
    if isinstance(agency, str):
        agency = agency_get_for_stats(user, agency)
    elif not user_is_officer(user) or not _office_agencies(user).filter(pk=agency.pk).exists():
        raise NotFound(_("Không tìm thấy cơ quan."), code="agency_not_found")
    if date_to < date_from:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), code="invalid_period", status=422)
    now = now or timezone.now()
    start, end = _local_day_start(date_from), _local_day_start(date_to + datetime.timedelta(days=1))

    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(status__in=FINISHED_STATUSES, resolved_at__gte=start, resolved_at__lt=end)
    late = (
        Q(finished_late=True) | Q(finished_late__isnull=True, resolved_at__gt=F("due_at")) | Q(supplement_count__gt=1)
    )
    in_progress = Q(status__in=OPEN_STATUSES, received_at__lt=end)
    overdue = Q(due_at__lt=now) & ~Q(status__in=CLOCK_PAUSED)
    figures = {
        "received": Count("pk", filter=received),
        "finished_on_time": Count("pk", filter=finished & ~late),
        "finished_late": Count("pk", filter=finished & late),
        "in_progress_on_time": Count("pk", filter=in_progress & ~overdue),
        "in_progress_overdue": Count("pk", filter=in_progress & overdue),
    }
    base = Dossier.objects.filter(receiving_agency=agency).filter(received | finished | in_progress)
    totals = base.aggregate(**figures)
    rows = (
        base.values("procedure_id", "procedure__code", "procedure__name")
        .annotate(**figures)
        .order_by("procedure__code")
    )
    by_procedure = [
        {
            "procedure_code": row["procedure__code"],
            "procedure_name": row["procedure__name"],
            **{key: row[key] for key in figures},
            "in_progress": row["in_progress_on_time"] + row["in_progress_overdue"],
            "finished": row["finished_on_time"] + row["finished_late"],
        }
        for row in rows
    ]
    return {
        "agency": agency,
        "date_from": date_from,
        "date_to": date_to,
        **totals,
        "finished": totals["finished_on_time"] + totals["finished_late"],
        "in_progress": totals["in_progress_on_time"] + totals["in_progress_overdue"],
        "by_procedure": by_procedure,
    }


# --- Tracking book ----------------------------------------------------------------------------


def office_get_for(user, office_id) -> OneStopOffice:
    try:
        office_id = int(office_id)
    except (TypeError, ValueError):
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="office_not_found")
    if not user_is_officer(user):
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="office_not_found")
    office = (
        OneStopOffice.objects.select_related("agency", "agency__parent")
        .filter(pk=office_id, agency__in=_office_agencies(user))
        .first()
    )
    if office is None:
        raise NotFound(_("Không tìm thấy bộ phận một cửa."), code="office_not_found")
    return office


def offices_for(user) -> QuerySet[OneStopOffice]:
    if not user_is_officer(user):
        return OneStopOffice.objects.none()
    return (
        OneStopOffice.objects.filter(agency__in=_office_agencies(user))
        .select_related("agency")
        .order_by("agency__code", "name")
    )


def tracking_book_rows(*, office: OneStopOffice, date_from: datetime.date, date_to: datetime.date) -> list[Dossier]:
    """Dossiers received at one office in a period (the caller has checked access to the office)."""
    start, end = _local_day_start(date_from), _local_day_start(date_to + datetime.timedelta(days=1))
    return list(
        Dossier.objects.filter(office=office, received_at__gte=start, received_at__lt=end)
        .select_related("procedure")
        .order_by("received_at", "id")
    )


# --- Documents and apology drafts (added for the dossier pages) -------------------------------

# The citizen sees a result file once the dossier is resolved: a file attached during processing
# may still be replaced before the leader signs.
RESULT_PUBLIC_STATUSES = (S.RESOLVED, S.RETURNED)
DOWNLOADABLE_KINDS = ("input", "supplement", "result")


def dossier_documents_for(user, dossier: Dossier, *, officer_view: bool | None = None) -> list[DossierDocument]:
    """The documents of an (already access-checked) dossier this user may see and download, in page order.

    Officers in scope see every file; the applicant sees inputs and supplements, and results once
    the dossier is resolved. Pass `officer_view` when the caller already knows it (saves a query).
    """
    if officer_view is None:
        officer_view = user_is_officer_for(user, dossier)
    documents = dossier.documents.filter(kind__in=DOWNLOADABLE_KINDS).select_related("required_document")
    if not officer_view and dossier.status not in RESULT_PUBLIC_STATUSES:
        documents = documents.exclude(kind="result")
    return list(documents.order_by("kind", "id"))


def dossier_document_get_for(user, code: str, document_id) -> DossierDocument:
    """One stored file of a dossier, for download: NotFound unless the user may read the dossier
    (applicant, or officer in scope) and the file is one `dossier_documents_for` shows them."""
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise NotFound(_("Không tìm thấy tài liệu."), code="document_not_found")
    dossier = dossier_get_for(user, code)
    document = next((d for d in dossier_documents_for(user, dossier) if d.pk == document_id), None)
    if document is None or not document.file:
        raise NotFound(_("Không tìm thấy tài liệu."), code="document_not_found")
    document.dossier = dossier
    return document


def apology_drafts_for(user, *, limit: int = 50) -> list[ApologyLetter]:
    """Apology letters drafted and not yet sent, for open dossiers this officer may read; the ones
    drafted for this officer first, then by the dossier's deadline."""
    if not user_is_officer(user):
        return []
    letters = (
        ApologyLetter.objects.filter(
            sent_at__isnull=True,
            dossier__in=dossiers_visible_to(user).filter(status__in=OPEN_STATUSES),
        )
        .select_related("dossier", "dossier__procedure", "drafted_by")
        .order_by(F("dossier__due_at").asc(nulls_last=True), "pk")
    )
    rows = list(letters[: max(1, min(int(limit), MAX_LIMIT))])
    return sorted(rows, key=lambda letter: letter.drafted_by_id != user.pk)
