"""Reads of dossiers, each with the access check inside, so that no page or API forgets it.

Who sees which dossier:
- a citizen: the dossiers they apply for (applicant_person is their person) or submitted;
- an officer: dossiers whose receiving agency, current agency, or any step's agency their roles cover
  (`agencies_covered_by`): a role scoped to a unit covers every agency in it (a province-unit role, such
  as the provincial managers' and administrators', the whole province); a role scoped to an agency
  covers that agency, and the other agencies of its commune when it is a commune's;
- a superuser: everything.
Outside that, a dossier is "not found" (never 403), so a code typed by hand reveals nothing.

The officer queues live in `queues`, the public lookup in `lookup`, office statistics and the
tracking book in `stats` (modules of this package).
"""

from __future__ import annotations

import re

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import scope
from motcua.core.errors import NotFound
from motcua.core.models import Agency
from motcua.core.selectors import user_is_officer

from ..models import (
    NATIONAL_STATUS_CODE,
    ApologyLetter,
    Dossier,
    DossierDocument,
    DossierStatus,
    DossierStep,
)
from ..workflow_table import ACTION_LABELS
from .form_data import form_answer_groups, form_answers

S = DossierStatus
# Open = the clock matters: received and not yet resolved (paused statuses included).
OPEN_STATUSES = (S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED)
FINISHED_STATUSES = (S.RESOLVED, S.RETURNED)
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
    steps = list(dossier.steps.select_related("agency", "assignee").order_by("order", "id"))
    events = list(events)
    for event in events:
        event.from_label = status_label(event.from_status)
        event.to_label = status_label(event.to_status)
    # The applicant's pages do not name officers per step: no internal events are read for them.
    step_officers_attach(steps, [] if public_only else events)
    return {
        "steps": steps,
        # Lazy: the pages replace it with `dossier_documents_for`, so only the API reads it.
        "documents": documents,
        "events": [(event, event_label(event.action)) for event in events],
        "supplement_requests": list(dossier.supplement_requests.order_by("created_at", "id")),
        "national_code": NATIONAL_STATUS_CODE.get(dossier.status),
        "form_answer_groups": form_answer_groups(form_answers(dossier)),
    }


# --- Event labels ---------------------------------------------------------------------------


# Events written outside the workflow machine (whose actions are labelled in `ACTION_LABELS`).
_EVENT_LABELS = {
    "draft": gettext_lazy("Tạo bản nháp"),
    "submit": gettext_lazy("Nộp hồ sơ"),
    "apology_drafted": gettext_lazy("Lập phiếu xin lỗi"),
    "apology_sent": gettext_lazy("Gửi phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "sign_result": gettext_lazy("Ký số kết quả giải quyết"),
    "result_uploaded": gettext_lazy("Đính kèm tệp kết quả"),
    "return_unsigned": gettext_lazy("Trả kết quả bản giấy không ký số"),
    "due_recomputed": gettext_lazy("Tính lại hạn do thay đổi lịch làm việc"),
}


def event_label(action: str) -> str:
    """What an event row says to a person: the machine's label, never the internal action code."""
    label = ACTION_LABELS.get(action) or _EVENT_LABELS.get(action)
    return str(label) if label else _("Cập nhật hồ sơ")


def status_label(status: str) -> str:
    """A status code as people read it ("received" -> "Được tiếp nhận"); empty for none.

    An unknown code (a status since retired) reads as a generic phrase rather than the code itself.
    """
    if not status:
        return ""
    try:
        return str(DossierStatus(status).label)
    except ValueError:
        return _("Trạng thái khác")


def step_officers_attach(steps: list[DossierStep], events) -> None:
    """Set `step.officer` to whoever holds or held each step: its assignee, else the last officer who
    acted on it (an appraisal or approval taken by any holder of the step's role leaves no assignee).

    `events` are the dossier's events with their actor loaded (the step's own events name it).
    """
    acted: dict[int, object] = {}
    for event in events:
        if event.step_id and event.actor_id and getattr(event.actor, "is_officer", False):
            acted[event.step_id] = event.actor
    for step in steps:
        step.officer = step.assignee if step.assignee_id else acted.get(step.pk)


# --- Documents and apology drafts ------------------------------------------------------------

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
