"""Desk intake: a receptionist takes a dossier at the counter or from the post.

The dossier is created with its code and the papers ticked or scanned, then received, sent back
for supplement, or refused through the workflow's `dossier_act` — in the same transaction.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure
from motcua.core import scope
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import Agency, Person, Role, User
from motcua.dossiers.files import attach_file, check_upload, cleanup_on_error
from motcua.dossiers.models import Channel, DocumentKind, Dossier, DossierDocument, DossierStatus

from .form_data import form_data_clean
from .intake import _register
from .intake_documents import _missing_error, _required_document, dossier_missing_documents
from .intake_drafts import Contact, Delivery, applicant_fields, dossier_for_idempotency_key
from .workflow import dossier_act

DESK_OUTCOMES = ("receive", "request_supplement", "refuse_intake")


@dataclass
class DeskPaper:
    required_document_id: int
    received: bool = False
    upload: UploadedFile | None = None


def receptionist_agencies(user: User) -> QuerySet[Agency]:
    """Agencies whose desk this user staffs: receptionist roles on the agency, or on a unit above it."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    roles = scope.assignments(user, roles=[Role.RECEPTIONIST]).select_related("unit")
    condition = Q(pk__in=[])
    for role in roles:
        condition |= Q(pk=role.agency_id) if role.agency_id else Q(unit__in=scope.units_in_scope(role.unit))
    return Agency.objects.filter(condition, is_active=True).order_by("code")


def dossier_desk_intake(
    *,
    actor: User,
    procedure: Procedure,
    person: Person,
    agency: Agency,
    papers: Iterable[DeskPaper],
    outcome: str,
    supplement_items: Iterable[str] = (),
    refusal_reason: str = "",
    channel: str = Channel.COUNTER,
    contact: Contact | None = None,
    delivery: Delivery | None = None,
    idempotency_key: str | None = None,
    form_data: dict | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """A receptionist takes a dossier at the counter (or from the post): the dossier is created
    with its code and papers, then received, sent back for supplement, or refused through the
    workflow — all in one transaction, so there is never a coded dossier in limbo. The
    application form's answers (`form_data`) must be complete to receive the dossier; answers given
    with the other outcomes are checked and kept.

    `now` exists for imports of historical dossiers and the demo data; live callers omit it."""
    existing = dossier_for_idempotency_key(actor=actor, key=idempotency_key)
    if existing is not None:
        return existing
    if not receptionist_agencies(actor).filter(pk=agency.pk).exists():
        raise PermissionDenied(
            _("Tài khoản này không phải của cán bộ tiếp nhận thuộc cơ quan này."), code="not_receptionist"
        )
    if outcome not in DESK_OUTCOMES:
        raise DomainError(_("Kết quả tiếp nhận không hợp lệ."), code="invalid_outcome", status=422)
    if channel not in (Channel.COUNTER, Channel.POST):
        raise DomainError(_("Hình thức nộp không hợp lệ."), code="invalid_channel", status=422)
    if not procedure.is_active:
        raise NotFound(code="procedure_not_found")
    items = [" ".join(i.split()) for i in supplement_items if i and i.strip()]
    reason = " ".join((refusal_reason or "").split())
    if outcome == "refuse_intake" and not reason:
        raise DomainError(_("Vui lòng ghi rõ lý do từ chối tiếp nhận."), code="refusal_reason_required", status=422)
    papers = list(papers)
    checked = {p.required_document_id: check_upload(p.upload) for p in papers if p.upload is not None}
    fields = applicant_fields(person, contact, delivery)
    fields["form_data"] = form_data_clean(procedure.form_schema or [], form_data, complete=outcome == "receive")

    with cleanup_on_error(), transaction.atomic():
        now = now or timezone.now()
        dossier = Dossier(
            procedure=procedure,
            channel=channel,
            status=DossierStatus.DRAFT,
            receiving_agency=agency,
            submitted_by=actor,
            idempotency_key=(idempotency_key or None) and idempotency_key[:64],
            **fields,
        )
        dossier.save()
        for paper in papers:
            required = _required_document(dossier, paper.required_document_id)
            if not paper.received and paper.required_document_id not in checked:
                continue
            document = DossierDocument(
                dossier=dossier,
                kind=DocumentKind.INPUT,
                required_document=required,
                name=required.name,
                paper_received=paper.received,
                uploaded_by=actor,
            )
            if paper.required_document_id in checked:
                attach_file(document, checked[paper.required_document_id])
                # A scan made by the desk from the original is the digitised copy the law asks for.
                document.is_digitised = True
            document.save()
        missing = dossier_missing_documents(dossier)
        if outcome == "receive" and missing:
            raise _missing_error(missing)
        if outcome == "request_supplement":
            items = items or [d.name for d in missing]
            if not items:
                raise DomainError(
                    _("Vui lòng liệt kê đầy đủ nội dung cần bổ sung."), code="supplement_items_required", status=422
                )
        _register(dossier=dossier, actor=actor, now=now, from_status="")
        params: dict = {}
        if outcome == "request_supplement":
            params["items"] = items
        elif outcome == "refuse_intake":
            params["reason"] = reason
        dossier = dossier_act(dossier=dossier, actor=actor, action=outcome, now=now, **params)
    return dossier
