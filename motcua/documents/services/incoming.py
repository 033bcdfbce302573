"""The incoming book: registration (numbering), presentation, the leader's assignment, handling."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import calendar
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import Agency, Role, User
from motcua.core.transitions import StateMachine, audit_record, row_lock

from ..access import ASSIGNEE, CLERK_ROLES, HEAD, held_roles
from ..models import (
    Assignment,
    AssignmentRole,
    Confidentiality,
    DocumentEvent,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    SeriesKind,
    Urgency,
)
from ..selectors import incoming_visible_to
from .numbering import number_take
from .text import pdf_text

S = IncomingStatus
MACHINE = StateMachine(
    name="incoming_document",
    noun=gettext_lazy("văn bản đến"),
    transitions={
        S.REGISTERED: {"present": S.PRESENTED, "assign": S.ASSIGNED},
        S.PRESENTED: {"assign": S.ASSIGNED},
        S.ASSIGNED: {"progress": S.IN_PROGRESS, "close": S.DONE, "assign": S.ASSIGNED},
        S.IN_PROGRESS: {"progress": S.IN_PROGRESS, "close": S.DONE, "assign": S.IN_PROGRESS},
    },
    roles={
        "present": frozenset(CLERK_ROLES),
        "assign": frozenset({Role.LEADER, HEAD}),
        "progress": frozenset({ASSIGNEE}),
        "close": frozenset({ASSIGNEE, Role.LEADER, HEAD}),
    },
    labels={
        "present": gettext_lazy("Trình lãnh đạo"),
        "assign": gettext_lazy("Phân công xử lý"),
        "progress": gettext_lazy("Báo cáo tiến độ"),
        "close": gettext_lazy("Hoàn thành xử lý"),
    },
)

MAX_DEADLINE_DAYS = 90


def present_due_for(received_at: datetime.datetime, urgency: str) -> datetime.datetime:
    """Urgent documents at once; the others by the end of the next working day."""
    if urgency != Urgency.NORMAL:
        return received_at
    return calendar.add_working_days(received_at, 1)


# The status sent back to the sender of a document received by exchange, after each action.
_EXCHANGE_STATUS = {"present": "accepted", "assign": "processing", "progress": "processing", "close": "done"}


def _event(document, actor, action: str, note: str = "") -> None:
    DocumentEvent.objects.create(incoming=document, actor=actor, action=action, note=note)
    if document.exchange_id and action in _EXCHANGE_STATUS:
        from motcua.documents.exchange.services import status_send

        status_send(incoming=document, status=_EXCHANGE_STATUS[action], actor=actor, description=note)


def _require_clerk(actor, agency) -> None:
    if not held_roles(actor, agency) & set(CLERK_ROLES):
        raise PermissionDenied(
            _("Tài khoản này không được vào sổ văn bản của cơ quan này."), code="documents_forbidden"
        )


def _clean_text(value, field_label: str, *, required: bool, max_length: int) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Chưa nhập “%(field)s”.") % {"field": field_label}, code="invalid_document", status=422)
    if len(value) > max_length:
        raise DomainError(
            _("“%(field)s” dài quá %(max)s ký tự.") % {"field": field_label, "max": max_length},
            code="invalid_document",
            status=422,
        )
    return value


def register_incoming(
    *,
    agency: Agency,
    actor: User,
    sender_name: str,
    summary: str,
    doc_type: DocumentType | str,
    received_at: datetime.datetime | None = None,
    doc_number: str = "",
    issued_on: datetime.date | None = None,
    sender_agency: Agency | None = None,
    confidentiality: str = Confidentiality.NORMAL,
    urgency: str = Urgency.NORMAL,
    pages: int | None = None,
    is_electronic: bool = False,
    file=None,
    text: str = "",
    reply_required: bool = False,
    reply_due: datetime.date | None = None,
    readers=(),
    source_outgoing=None,
    exchange_id: str | None = None,
    dossiers=(),
) -> IncomingDocument:
    """Enter a received document in the agency's incoming book and give it the next number.

    The number runs from 1 on 1 January (local time) per agency, paper and electronic together.
    """
    if actor is not None:
        _require_clerk(actor, agency)
    sender_name = _clean_text(sender_name, _("Nơi gửi"), required=True, max_length=255)
    summary = _clean_text(summary, _("Trích yếu"), required=True, max_length=5000)
    doc_number = _clean_text(doc_number, _("Số, ký hiệu"), required=False, max_length=60)
    if isinstance(doc_type, str):
        doc_type = DocumentType.objects.filter(code=doc_type).first()
    if doc_type is None:
        raise DomainError(_("Loại văn bản không hợp lệ."), code="invalid_document_type", status=422)
    if confidentiality not in Confidentiality.values:
        raise DomainError(_("Độ mật không hợp lệ."), code="invalid_confidentiality", status=422)
    if urgency not in Urgency.values:
        raise DomainError(_("Độ khẩn không hợp lệ."), code="invalid_urgency", status=422)
    if pages is not None and not 1 <= int(pages) <= 10000:
        raise DomainError(_("Số tờ phải từ 1 đến 10000."), code="invalid_pages", status=422)
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + datetime.timedelta(minutes=5):
        raise DomainError(_("Ngày đến không được ở tương lai."), code="invalid_received_at", status=422)
    if issued_on and issued_on > calendar.as_local(received_at).date():
        raise DomainError(_("Ngày văn bản không được sau ngày đến."), code="invalid_issued_on", status=422)
    if reply_due and reply_due < calendar.as_local(received_at).date():
        raise DomainError(_("Hạn trả lời không được trước ngày đến."), code="invalid_reply_due", status=422)
    if file is not None and not text:
        text = pdf_text(file)
    year = calendar.as_local(received_at).year
    with transaction.atomic():
        number = number_take(agency=agency, year=year, kind=SeriesKind.INCOMING)
        document = IncomingDocument(
            agency=agency,
            year=year,
            incoming_number=number,
            received_at=received_at,
            sender_name=sender_name,
            sender_agency=sender_agency,
            doc_number=doc_number,
            doc_type=doc_type,
            issued_on=issued_on,
            summary=summary,
            confidentiality=confidentiality,
            urgency=urgency,
            pages=pages,
            is_electronic=is_electronic,
            text=text or "",
            reply_required=reply_required or bool(reply_due),
            reply_due=reply_due,
            source_outgoing=source_outgoing,
            exchange_id=exchange_id,
            present_due=present_due_for(received_at, urgency),
            registered_by=actor if actor is not None and actor.pk else None,
        )
        if file is not None:
            document.file.save(getattr(file, "name", "van-ban.pdf").rsplit("/", 1)[-1], file, save=False)
        document.save()
        if readers:
            document.readers.set(readers)
        if dossiers:
            document.dossiers.set(dossiers)
        _event(document, actor, "register", _("Vào sổ số đến %(n)s") % {"n": number})
        audit_record(actor=actor, action="documents.incoming_register", obj=document, data={"number": number})
        if urgency != Urgency.NORMAL:
            from .jobs import leaders_notify

            leaders_notify(document)
    return document


def _act(document_id, actor, action: str):
    document = row_lock(IncomingDocument, document_id, related=("agency",), not_found="document_not_found")
    reason = MACHINE.permits(document.status, action, held_roles(actor, document.agency, document))
    if reason:
        raise MACHINE.refusal(action=action, reason=reason, status_label=document.get_status_display())
    return document


def incoming_present(*, document: IncomingDocument, actor: User, leader: User | None = None) -> IncomingDocument:
    with transaction.atomic():
        document = _act(document.pk, actor, "present")
        document.status = S.PRESENTED
        document.presented_at = timezone.now()
        document.leader = leader
        document.save(update_fields=["status", "presented_at", "leader", "updated_at"])
        _event(document, actor, "present")
        audit_record(actor=actor, action="documents.incoming_present", obj=document)
    return document


def incoming_assign(
    *,
    document: IncomingDocument,
    actor: User,
    lead: User | None = None,
    lead_agency: Agency | None = None,
    supporters=(),
    instruction: str = "",
    days: int | None = None,
) -> IncomingDocument:
    """The leader names the lead (person or unit), the supporting people, an instruction and a deadline."""
    if lead is None and lead_agency is None:
        raise DomainError(_("Chưa chọn người hoặc đơn vị chủ trì xử lý."), code="lead_required", status=422)
    instruction = _clean_text(instruction, _("Ý kiến chỉ đạo"), required=False, max_length=5000)
    if days is not None:
        try:
            days = int(days)
        except (TypeError, ValueError):
            days = -1
        if not 1 <= days <= MAX_DEADLINE_DAYS:
            raise DomainError(
                _("Thời hạn xử lý phải từ 1 đến %(max)s ngày làm việc.") % {"max": MAX_DEADLINE_DAYS},
                code="invalid_deadline",
                status=422,
            )
    with transaction.atomic():
        document = _act(document.pk, actor, "assign")
        for person in [lead, *supporters]:
            if person is not None and not person.is_officer:
                raise DomainError(_("Người được phân công phải là cán bộ."), code="invalid_assignee", status=422)
        document.assignments.all().delete()
        now = timezone.now()
        Assignment.objects.create(document=document, role=AssignmentRole.LEAD, user=lead, agency=lead_agency)
        for person in supporters:
            if person is not None and person != lead:
                Assignment.objects.create(document=document, role=AssignmentRole.SUPPORT, user=person)
        if document.is_confidential:
            document.readers.add(*[p for p in [lead, *supporters] if p is not None])
        document.status = MACHINE.target(document.status, "assign")
        document.leader = actor
        document.instruction = instruction
        document.handling_due = calendar.add_working_days(now, days) if days else None
        document.escalated_at = None
        document.save(update_fields=["status", "leader", "instruction", "handling_due", "escalated_at", "updated_at"])
        _event(document, actor, "assign", instruction)
        audit_record(actor=actor, action="documents.incoming_assign", obj=document, data={"days": days})
        from .jobs import assignees_notify

        assignees_notify(document)
    return document


def incoming_progress(*, document: IncomingDocument, actor: User, note: str) -> IncomingDocument:
    note = _clean_text(note, _("Tiến độ"), required=True, max_length=5000)
    with transaction.atomic():
        document = _act(document.pk, actor, "progress")
        document.assignments.filter(user=actor).update(progress=note, progress_at=timezone.now())
        document.status = S.IN_PROGRESS
        document.save(update_fields=["status", "updated_at"])
        _event(document, actor, "progress", note)
        audit_record(actor=actor, action="documents.incoming_progress", obj=document)
    return document


def incoming_close(*, document: IncomingDocument, actor: User, note: str = "", reply=None) -> IncomingDocument:
    """Done: with the outgoing reply (an issued document of the same agency) or a note."""
    note = _clean_text(note, _("Kết quả xử lý"), required=False, max_length=5000)
    if reply is None and not note:
        raise DomainError(_("Cần chọn văn bản trả lời hoặc ghi kết quả xử lý."), code="closing_required", status=422)
    with transaction.atomic():
        document = _act(document.pk, actor, "close")
        if reply is not None and (reply.agency_id != document.agency_id or reply.status != "issued"):
            raise DomainError(
                _("Văn bản trả lời phải là văn bản đã ban hành của cùng cơ quan."), code="invalid_reply", status=422
            )
        document.status = S.DONE
        document.closed_at = timezone.now()
        document.closing_note = note
        document.reply = reply
        document.save(update_fields=["status", "closed_at", "closing_note", "reply", "updated_at"])
        _event(document, actor, "close", note)
        audit_record(actor=actor, action="documents.incoming_close", obj=document)
    return document


def _dossier_for(actor: User, code: str):
    """The dossier `code` if `actor` may see it: a dossier outside their reach is "not found"."""
    from motcua.dossiers.selectors import dossiers_visible_to

    code = (code or "").strip()
    dossier = dossiers_visible_to(actor).filter(code=code).first() if code else None
    if dossier is None:
        raise NotFound(_("Không tìm thấy hồ sơ có mã này trong phạm vi của tài khoản."), code="dossier_not_found")
    return dossier


# Who may link a document to dossiers: the agency's clerks, specialists and leaders, its assignees, the head.
LINK_ROLES = {*CLERK_ROLES, ASSIGNEE, HEAD}


def _link_check(document: IncomingDocument, actor: User) -> IncomingDocument:
    document = row_lock(IncomingDocument, document.pk, related=("agency",), not_found="document_not_found")
    if not incoming_visible_to(actor).filter(pk=document.pk).exists():
        raise NotFound(code="document_not_found")
    if not (held_roles(actor, document.agency, document) & LINK_ROLES):
        raise PermissionDenied(_("Bạn không có quyền gắn hồ sơ với văn bản này."), code="documents_forbidden")
    return document


def _dossier_link_change(*, document: IncomingDocument, actor: User, code: str, link: bool) -> IncomingDocument:
    """Add or remove the link between the document and the dossier `code`, for an officer who may
    see both; linking twice or unlinking what is not linked is refused (409)."""
    with transaction.atomic():
        document = _link_check(document, actor)
        dossier = _dossier_for(actor, code)
        if document.dossiers.filter(pk=dossier.pk).exists() == link:
            if link:
                message, error = _("Văn bản đã được gắn với hồ sơ %(code)s."), "dossier_already_linked"
            else:
                message, error = _("Văn bản chưa được gắn với hồ sơ %(code)s."), "dossier_not_linked"
            raise DomainError(message % {"code": dossier.code}, code=error, status=409)
        (document.dossiers.add if link else document.dossiers.remove)(dossier)
        verb = "link_dossier" if link else "unlink_dossier"
        _event(document, actor, verb, dossier.code)
        audit_record(actor=actor, action=f"documents.incoming_{verb}", obj=document, data={"dossier": dossier.pk})
    return document


def incoming_link_dossier(*, document: IncomingDocument, actor: User, dossier=None, code: str = "") -> IncomingDocument:
    """Link the document to a dossier it concerns (the dossier by its code, or given)."""
    return _dossier_link_change(document=document, actor=actor, code=code or getattr(dossier, "code", ""), link=True)


def incoming_unlink_dossier(*, document: IncomingDocument, actor: User, code: str) -> IncomingDocument:
    """Remove the link to the dossier `code` (which the officer must still be able to see)."""
    return _dossier_link_change(document=document, actor=actor, code=code, link=False)
