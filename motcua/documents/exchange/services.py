"""Sending and receiving documents over the national document axis.

Outgoing: `send` (called by `issue_outgoing` inside its transaction) writes one queued package per
outside recipient; `status_send` queues a status about a received package; `exchange_flush` hands
the queued ones to the axis (a failure leaves them queued, counted in `attempts`).

Incoming: `check_package` is the integrity and signature check; the receiving itself, which
registers documents in the incoming book, is `motcua.documents.services.exchange` (the documents
services call this package, never the reverse).
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import calendar
from motcua.core.models import Agency
from motcua.core.text import display_name
from motcua.documents.exchange import edxml
from motcua.documents.exchange.axis import AxisClient, AxisError
from motcua.documents.models import DocumentEvent, ExchangeMessage, IncomingDocument, OutgoingDocument

logger = logging.getLogger(__name__)

M = ExchangeMessage
_ORGAN_IN_LINE = re.compile(r"\(([0-9A-Za-z.]{5,32})\)\s*[;.]?\s*$")
_PRIORITY = {"normal": "0", "urgent": "1", "very_urgent": "2", "flash": "3"}
URGENCY_OF_PRIORITY = {v: k for k, v in _PRIORITY.items()}


def _organ(agency: Agency) -> edxml.Organ:
    return edxml.Organ(agency.code, agency.name)


def resolve_recipients(lines) -> list[edxml.Organ]:
    """The outside organs among "Nơi nhận" lines: a line ending in "(<organ id>)", or naming an
    agency we know. Lines such as "Như Điều 3;" or "Lưu: VT." name no organ and are skipped."""
    organs: dict[str, edxml.Organ] = {}
    for raw in lines:
        line = raw.strip().strip(";.- ").strip()
        if not line:
            continue
        match = _ORGAN_IN_LINE.search(raw.strip())
        if match:
            name = line[: line.rfind("(")].strip()
            organs.setdefault(match.group(1), edxml.Organ(match.group(1), name))
            continue
        agency = Agency.objects.filter(name__iexact=line).first()
        if agency is not None:
            organs.setdefault(agency.code, _organ(agency))
    return list(organs.values())


def build_package(document: OutgoingDocument, recipients: list[edxml.Organ], *, pdf: bytes) -> edxml.Package:
    local = calendar.as_local(document.issued_at or timezone.now())
    lines = [line.strip() for line in (document.recipients_text or "").splitlines() if line.strip()]
    return edxml.Package(
        document_id=uuid.uuid4().hex,
        sender=_organ(document.agency),
        recipients=recipients,
        code_number=str(document.number or ""),
        code_notation=document.code.split("/", 1)[1] if "/" in document.code else document.code,
        doc_type=document.doc_type.code,
        doc_type_name=document.doc_type.name,
        subject=document.summary or document.title,
        place=document.agency.unit.name if document.agency.unit_id else "",
        promulgated_on=local.date(),
        signer_name=display_name(document.signer),
        signer_position=document.signer_position,
        priority=_PRIORITY.get(document.urgency, "0"),
        content=document.body or "",
        to_places=lines,
        sent_at=timezone.now(),
        attachments=[edxml.Attachment("doc-1", f"{document.code.replace('/', '-') or 'van-ban'}.pdf", pdf)],
    )


def send(document: OutgoingDocument, recipients) -> list[str]:
    """Queue the issued document for the outside organs among `recipients` ("Nơi nhận" lines or
    Organs); one package per organ. Returns the package ids. Runs inside the caller's transaction."""
    organs = [r for r in recipients if isinstance(r, edxml.Organ)]
    organs += resolve_recipients([r for r in recipients if isinstance(r, str)])
    internal = set(document.internal_recipients.values_list("code", flat=True)) | {document.agency.code}
    organs = [o for o in organs if o.organ_id not in internal]
    if not organs or not document.file:
        return []
    with document.file.open("rb") as handle:
        pdf = handle.read()
    ids = []
    for organ in organs:
        package = build_package(document, [organ], pdf=pdf)
        M.objects.create(
            direction=M.Direction.OUT,
            kind=M.Kind.PACKAGE,
            agency=document.agency,
            package_id=package.document_id,
            organ_id=organ.organ_id,
            organ_name=organ.name,
            outgoing=document,
            payload=edxml.write_package(package).decode("utf-8"),
        )
        DocumentEvent.objects.create(
            outgoing=document, action="exchange_send", note=_("Gửi qua trục liên thông tới %(to)s") % {"to": organ.name}
        )
        ids.append(package.document_id)
    return ids


def status_send(
    *, incoming: IncomingDocument, status: str, actor=None, description: str = ""
) -> ExchangeMessage | None:
    """Queue a status message about a package we received (none for a document not received by exchange)."""
    if status not in edxml.STATUS_CODES:
        raise ValueError(f"unknown status {status!r}")
    first = incoming.exchange_messages.filter(direction=M.Direction.IN, kind=M.Kind.PACKAGE).first()
    if first is None:
        return None
    return queue_status(
        agency=incoming.agency,
        package_id=first.package_id,
        to=edxml.Organ(first.organ_id, first.organ_name),
        status=status,
        code=incoming.doc_number,
        description=description,
        staff=display_name(actor) if actor else "",
        incoming=incoming,
    )


def queue_status(*, agency, package_id, to, status, code="", description="", staff="", incoming=None):
    message = edxml.StatusMessage(
        document_id=package_id,
        sender=_organ(agency),
        recipient=to,
        status=status,
        code=code,
        description=description,
        staff=staff,
        at=timezone.now().replace(microsecond=0),
    )
    row, _created = M.objects.get_or_create(
        direction=M.Direction.OUT,
        kind=M.Kind.STATUS,
        agency=agency,
        package_id=package_id,
        organ_id=to.organ_id,
        status=status,
        defaults={
            "organ_name": to.name,
            "description": description,
            "incoming": incoming,
            "payload": edxml.write_status(message).decode("utf-8"),
        },
    )
    return row


def exchange_flush(*, client_for=AxisClient.for_agency, agency=None) -> int:
    """Hand queued messages to the axis, oldest first; returns how many were sent."""
    queued = M.objects.filter(direction=M.Direction.OUT, state__in=[M.State.QUEUED, M.State.FAILED])
    if agency is not None:
        queued = queued.filter(agency=agency)
    sent = 0
    for row in queued.select_related("agency").order_by("id"):
        try:
            client_for(row.agency).send(row.payload.encode("utf-8"))
        except AxisError as exc:
            M.objects.filter(pk=row.pk).update(
                state=M.State.FAILED, attempts=row.attempts + 1, last_error=str(exc)[:500]
            )
            continue
        M.objects.filter(pk=row.pk).update(state=M.State.SENT, attempts=row.attempts + 1, last_error="")
        sent += 1
    return sent


# --- receiving -----------------------------------------------------------------------------------


class CheckFailed(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def check_package(package: edxml.Package, *, agency: Agency) -> bytes:
    """The integrity and signature check before registration; returns the main PDF's bytes."""
    from motcua.signing.services.verify import pdf_verify

    if agency.code not in {o.organ_id for o in package.recipients}:
        raise CheckFailed("not_addressed", _("Gói tin không gửi tới cơ quan này."))
    if not package.attachments:
        raise CheckFailed("no_attachment", _("Gói tin không có tệp văn bản."))
    for item in package.attachments:
        declared = package.declared_hashes.get(item.content_id, "")
        if declared != hashlib.sha256(item.content).hexdigest():
            raise CheckFailed(
                "hash_mismatch",
                _("Tệp %(name)s không toàn vẹn: mã băm không khớp với mã băm đã khai.") % {"name": item.name},
            )
    pdf = next((a.content for a in package.attachments if a.content.startswith(b"%PDF-")), None)
    if pdf is None:
        raise CheckFailed("no_pdf", _("Gói tin không có văn bản điện tử định dạng PDF."))
    result = pdf_verify(pdf_bytes=pdf)
    if result.verdict != "valid":
        raise CheckFailed(
            "signature_invalid", _("Chữ ký số của văn bản không hợp lệ: %(why)s") % {"why": result.summary}
        )
    return pdf


def statuses_of(document: OutgoingDocument) -> list[ExchangeMessage]:
    """The statuses the recipients sent back about an outgoing document, oldest first."""
    return list(document.exchange_messages.filter(direction=M.Direction.IN, kind=M.Kind.STATUS).order_by("id"))
