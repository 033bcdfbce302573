"""Outgoing documents: draft, review/approval steps (data), numbering at issue, delivery, changes."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import calendar
from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import Agency, Role, User
from motcua.core.transitions import StateMachine, audit_record, row_lock

from ..access import CLERK_ROLES, HEAD, held_roles
from ..models import (
    ApprovalStep,
    Confidentiality,
    DocumentEvent,
    DocumentOffice,
    DocumentType,
    OutgoingDocument,
    OutgoingStatus,
    SeriesKind,
    Urgency,
)
from .numbering import number_take

S = OutgoingStatus
MACHINE = StateMachine(
    name="outgoing_document",
    noun=gettext_lazy("văn bản đi"),
    transitions={
        S.DRAFT: {"submit": S.IN_REVIEW},
        S.IN_REVIEW: {"approve": S.APPROVED, "return": S.DRAFT},
        S.APPROVED: {"issue": S.ISSUED, "return": S.DRAFT},
        S.ISSUED: {"withdraw": S.WITHDRAWN, "replace": S.REPLACED},
    },
    roles={
        "submit": frozenset(CLERK_ROLES),
        # The step's own role is checked on top (see `outgoing_approve`).
        "approve": frozenset({*Role.values, HEAD}),
        "return": frozenset({*Role.values, HEAD}),
        "issue": frozenset(CLERK_ROLES),
        "withdraw": frozenset({Role.LEADER, HEAD}),
        "replace": frozenset({Role.LEADER, HEAD}),
    },
    labels={
        "submit": gettext_lazy("Trình duyệt"),
        "approve": gettext_lazy("Duyệt"),
        "return": gettext_lazy("Trả lại để sửa"),
        "issue": gettext_lazy("Cấp số và ban hành"),
        "withdraw": gettext_lazy("Thu hồi"),
        "replace": gettext_lazy("Thay thế"),
    },
)


def _event(document, actor, action: str, note: str = "") -> None:
    DocumentEvent.objects.create(outgoing=document, actor=actor, action=action, note=note)


def steps_for(document: OutgoingDocument) -> list[ApprovalStep]:
    """The steps for this document's agency and type, else the agency's general ones."""
    steps = list(ApprovalStep.objects.filter(agency_id=document.agency_id, doc_type=document.doc_type))
    if not steps:
        steps = list(ApprovalStep.objects.filter(agency_id=document.agency_id, doc_type__isnull=True))
    return steps


def agency_abbreviation(agency: Agency) -> str:
    office = DocumentOffice.objects.filter(agency=agency).first()
    if office and office.abbreviation:
        return office.abbreviation
    return "UBND" if agency.kind in ("commune_committee", "province_committee") else (agency.short_name or agency.code)


def build_code(*, number: int, year: int, doc_type: DocumentType, abbreviation: str) -> str:
    """ "15/QĐ-UBND"; legal normative "30/2020/QĐ-UBND"; a type printed without name "15/UBND"."""
    body = f"{doc_type.printed}-{abbreviation}" if doc_type.in_code else abbreviation
    if doc_type.is_legal_normative:
        return f"{number}/{year}/{body}"
    return f"{number}/{body}"


def _act(document_id, actor, action: str) -> OutgoingDocument:
    document = row_lock(OutgoingDocument, document_id, related=("agency", "doc_type"), not_found="document_not_found")
    reason = MACHINE.permits(document.status, action, held_roles(actor, document.agency))
    if reason:
        raise MACHINE.refusal(action=action, reason=reason, status_label=document.get_status_display())
    return document


def outgoing_draft(
    *,
    agency: Agency,
    actor: User,
    doc_type: DocumentType | str,
    title: str,
    summary: str = "",
    body: str = "",
    signer: User | None = None,
    signer_position: str = "",
    recipients_text: str = "",
    internal_recipients=(),
    confidentiality: str = Confidentiality.NORMAL,
    urgency: str = Urgency.NORMAL,
    readers=(),
    replaces: OutgoingDocument | None = None,
    amends: OutgoingDocument | None = None,
    change_reason: str = "",
) -> OutgoingDocument:
    if not held_roles(actor, agency) & set(CLERK_ROLES):
        raise PermissionDenied(_("Tài khoản này không được soạn văn bản của cơ quan này."), code="documents_forbidden")
    if isinstance(doc_type, str):
        doc_type = DocumentType.objects.filter(code=doc_type).first()
    if doc_type is None:
        raise DomainError(_("Loại văn bản không hợp lệ."), code="invalid_document_type", status=422)
    title = (title or "").strip()
    if not title or len(title) > 500:
        raise DomainError(_("Tên, trích yếu văn bản phải có từ 1 đến 500 ký tự."), code="invalid_document", status=422)
    if confidentiality not in Confidentiality.values or urgency not in Urgency.values:
        raise DomainError(_("Độ mật hoặc độ khẩn không hợp lệ."), code="invalid_document", status=422)
    for old in (replaces, amends):
        if old is not None:
            if old.agency_id != agency.pk or old.status != S.ISSUED:
                raise DomainError(
                    _("Chỉ thay thế, sửa đổi văn bản đã ban hành của chính cơ quan."), code="invalid_change", status=422
                )
            if not (change_reason or "").strip():
                raise DomainError(_("Cần ghi lý do thay thế, sửa đổi."), code="reason_required", status=422)
    with transaction.atomic():
        document = OutgoingDocument.objects.create(
            agency=agency,
            doc_type=doc_type,
            title=title,
            summary=(summary or "").strip(),
            body=body or "",
            signer=signer,
            signer_position=(signer_position or "").strip()[:120],
            recipients_text=(recipients_text or "").strip(),
            confidentiality=confidentiality,
            urgency=urgency,
            replaces=replaces,
            amends=amends,
            change_reason=(change_reason or "").strip(),
            drafted_by=actor,
        )
        if internal_recipients:
            document.internal_recipients.set(internal_recipients)
        document.readers.set([*readers, actor] if confidentiality != Confidentiality.NORMAL else readers)
        _event(document, actor, "draft")
        audit_record(actor=actor, action="documents.outgoing_draft", obj=document)
    return document


def outgoing_submit(*, document: OutgoingDocument, actor: User) -> OutgoingDocument:
    with transaction.atomic():
        document = _act(document.pk, actor, "submit")
        steps = steps_for(document)
        document.step = 1
        document.status = S.IN_REVIEW if steps else S.IN_REVIEW
        document.save(update_fields=["status", "step", "updated_at"])
        _event(document, actor, "submit")
        audit_record(actor=actor, action="documents.outgoing_submit", obj=document)
    return document


def current_step(document: OutgoingDocument) -> ApprovalStep | None:
    steps = steps_for(document)
    return steps[document.step - 1] if 1 <= document.step <= len(steps) else None


def outgoing_approve(*, document: OutgoingDocument, actor: User, note: str = "") -> OutgoingDocument:
    """Approve the current step; the last step (or the leader when there are no steps) approves the document."""
    with transaction.atomic():
        document = _act(document.pk, actor, "approve")
        steps = steps_for(document)
        held = held_roles(actor, document.agency)
        needed = steps[document.step - 1].role if 1 <= document.step <= len(steps) else Role.LEADER
        if needed not in held and not (needed == Role.LEADER and HEAD in held):
            raise PermissionDenied(
                _("Bước duyệt này do vai trò “%(role)s” thực hiện.")
                % {"role": Role(needed).label if needed in Role.values else needed},
                code="action_forbidden",
            )
        if document.step < len(steps):
            document.step += 1
        else:
            document.status = S.APPROVED
        document.save(update_fields=["status", "step", "updated_at"])
        _event(document, actor, "approve", note)
        audit_record(actor=actor, action="documents.outgoing_approve", obj=document, data={"step": document.step})
    return document


def outgoing_return(*, document: OutgoingDocument, actor: User, note: str) -> OutgoingDocument:
    if not (note or "").strip():
        raise DomainError(_("Cần ghi lý do trả lại."), code="reason_required", status=422)
    with transaction.atomic():
        document = _act(document.pk, actor, "return")
        document.status = S.DRAFT
        document.step = 0
        document.save(update_fields=["status", "step", "updated_at"])
        _event(document, actor, "return", note)
        audit_record(actor=actor, action="documents.outgoing_return", obj=document)
    return document


def issue_outgoing(*, document: OutgoingDocument, actor: User) -> OutgoingDocument:
    """Number the approved document, render and file its PDF, deliver it.

    Internal recipients get it in their incoming books in the same transaction; outside ones
    through the exchange (EDXML). A replacement marks the replaced document REPLACED.
    """
    from motcua.documents import exchange, layout

    from .incoming import register_incoming

    with transaction.atomic():
        document = _act(document.pk, actor, "issue")
        now = timezone.now()
        year = calendar.as_local(now).year
        number = number_take(agency=document.agency, year=year, kind=SeriesKind.OUTGOING, doc_type=document.doc_type)
        document.year = year
        document.number = number
        document.code = build_code(
            number=number, year=year, doc_type=document.doc_type, abbreviation=agency_abbreviation(document.agency)
        )
        document.status = S.ISSUED
        document.issued_at = now
        pdf = layout.issued_pdf(document)
        document.file.save(f"{document.code.replace('/', '-')}.pdf", ContentFile(pdf), save=False)
        document.save()
        _event(document, actor, "issue", document.code)
        audit_record(actor=actor, action="documents.outgoing_issue", obj=document, data={"code": document.code})
        if document.replaces_id:
            old = row_lock(OutgoingDocument, document.replaces_id)
            if old.status == S.ISSUED:
                old.status = S.REPLACED
                old.change_reason = document.change_reason
                old.save(update_fields=["status", "change_reason", "updated_at"])
                _event(old, actor, "replace", _("Thay thế bởi %(code)s") % {"code": document.code})
        for recipient in document.internal_recipients.exclude(pk=document.agency_id):
            register_incoming(
                agency=recipient,
                actor=None,
                sender_name=document.agency.name,
                sender_agency=document.agency,
                doc_number=document.code,
                doc_type=document.doc_type,
                issued_on=calendar.as_local(now).date(),
                summary=document.title,
                confidentiality=document.confidentiality,
                urgency=document.urgency,
                is_electronic=True,
                text=document.body,
                source_outgoing=document,
                received_at=now,
            )
        outside = [line.strip() for line in document.recipients_text.splitlines() if line.strip()]
        if outside:
            exchange.send(document, outside)
    return document


def outgoing_withdraw(*, document: OutgoingDocument, actor: User, reason: str) -> OutgoingDocument:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(_("Cần ghi lý do thu hồi (ít nhất 5 ký tự)."), code="reason_required", status=422)
    with transaction.atomic():
        document = _act(document.pk, actor, "withdraw")
        document.status = S.WITHDRAWN
        document.change_reason = reason[:5000]
        document.save(update_fields=["status", "change_reason", "updated_at"])
        _event(document, actor, "withdraw", reason)
        audit_record(actor=actor, action="documents.outgoing_withdraw", obj=document, data={"reason": reason[:200]})
    return document
