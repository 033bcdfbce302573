"""Reads of dossiers, each with the access check inside, so that no page or API forgets it.

Who sees which dossier:
- a citizen: the dossiers they apply for (applicant_person is their person) or submitted;
- an officer: dossiers whose receiving agency, current agency, or any step's agency their roles cover
  (`agencies_covered_by`): a role scoped to a unit covers every agency in it (a province-unit role, such
  as the provincial managers' and administrators', the whole province); a role scoped to an agency
  covers that agency, and the other agencies of its commune when it is a commune's;
- a superuser: everything.
Outside that, a dossier is "not found" (never 403), so a code typed by hand reveals nothing.

The public lookup lives in selectors_lookup.py, office statistics and the tracking book in
selectors_stats.py.
"""

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

from motcua.core import scope
from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import Agency
from motcua.core.selectors import user_is_officer

from .models import (
    CLOCK_PAUSED,
    NATIONAL_STATUS_CODE,
    ApologyLetter,
    Dossier,
    DossierDocument,
    DossierStatus,
    DossierStep,
)
from .workflow_table import ACTION_LABELS

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


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")


def user_sees_all_dossiers(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def agencies_covered_by(user) -> QuerySet[Agency]:
    """The agencies whose dossiers an officer's roles cover: the rule is `motcua.core.scope.covered_agencies`."""
    return scope.covered_agencies(user)


def dossiers_handled_by(user) -> QuerySet[Dossier]:
    """Dossiers the officer's own agency handles (received, holds, or has a step at); no drafts.

    Unlike `dossiers_visible_to`, supervising a unit does not count: this is what ties an officer to
    the applicant's personal record and to the dossier's messages (see `motcua.core.scope`).
    """
    if not scope.is_officer(user):
        return Dossier.objects.none()
    agencies = scope.covered_agencies(user, agency_roles_only=True)
    return Dossier.objects.filter(_scope_condition(agencies)).exclude(status=S.DRAFT)


def _scope_condition(agencies: QuerySet[Agency]) -> Q:
    step_in_scope = DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=agencies)
    return Q(receiving_agency__in=agencies) | Q(current_agency__in=agencies) | Q(Exists(step_in_scope))


def dossiers_visible_to(user) -> QuerySet[Dossier]:
    """Every dossier this user may read (lazy queryset); empty for anonymous visitors.

    Access follows the kind of each role (see `agencies_covered_by`), computed inside the query.
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
    documents = dossier.documents.select_related("required_document").order_by("kind", "id")
    if public_only:
        events = events.filter(public=True)
        # Same rule as `dossier_documents_for`: a result may still be replaced until the dossier is resolved.
        if dossier.status not in RESULT_PUBLIC_STATUSES:
            documents = documents.exclude(kind="result")
    return {
        "steps": list(dossier.steps.select_related("agency", "assignee").order_by("order", "id")),
        # Lazy: the pages replace it with `dossier_documents_for`, so only the API reads it.
        "documents": documents,
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


# --- Event labels ---------------------------------------------------------------------------


_EVENT_LABELS = {
    "submit": gettext_lazy("Nộp hồ sơ"),
    "apology_drafted": gettext_lazy("Lập phiếu xin lỗi"),
    "apology_sent": gettext_lazy("Gửi phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "sign_result": gettext_lazy("Ký số kết quả giải quyết"),
}


def event_label(action: str) -> str:
    label = ACTION_LABELS.get(action) or _EVENT_LABELS.get(action)
    return str(label) if label else _("Cập nhật hồ sơ")


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
