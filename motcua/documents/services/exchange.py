"""Receiving documents and statuses from the national document axis into the incoming book.

`exchange_receive(agency=…)` reads the agency's inbox on the axis. A package is checked
(`exchange.services.check_package`: EDXML well formed, addressed to us, every attachment's SHA-256
equal to the one declared, the PDF signed with a valid, trusted signature) before
`register_incoming`; a failed check queues a "refused" status with the reason and sends it at
once, the same day. A status is recorded against the outgoing document it answers, so the sender
sees it. Each message is acknowledged after its row is committed, and a message delivered twice is
handled once (`ExchangeMessage` unique key).
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.models import Agency
from motcua.core.transitions import audit_record
from motcua.documents.exchange import edxml
from motcua.documents.exchange.axis import AxisClient
from motcua.documents.exchange.services import (
    URGENCY_OF_PRIORITY,
    CheckFailed,
    check_package,
    exchange_flush,
    queue_status,
    status_send,
)
from motcua.documents.models import DocumentEvent, DocumentType, ExchangeMessage

from .incoming import register_incoming

logger = logging.getLogger(__name__)

M = ExchangeMessage


def _refuse(*, agency, package_id, sender, code_text, code, reason) -> None:
    with transaction.atomic():
        queue_status(
            agency=agency, package_id=package_id, to=sender, status="refused", code=code_text, description=reason
        )
        audit_record(
            actor=None,
            action="documents.exchange_refused",
            object_type="exchange_package",
            object_id=package_id,
            data={"code": code, "from": sender.organ_id},
        )


def _receive_package(raw: bytes, *, agency: Agency) -> str:
    try:
        package = edxml.read_package(raw)
    except edxml.EdxmlError as exc:
        logger.warning("unreadable EDXML package for %s: %s", agency.code, exc.code)
        return "unreadable"  # no sender we can trust to answer; acknowledged and logged
    if M.objects.filter(
        direction=M.Direction.IN, kind=M.Kind.PACKAGE, agency=agency, package_id=package.document_id
    ).exists():
        return "duplicate"
    try:
        pdf = check_package(package, agency=agency)
        doc_type = DocumentType.objects.filter(code=package.doc_type).first()
        if doc_type is None:
            raise CheckFailed(
                "unknown_type", _("Loại văn bản %(type)s không được hỗ trợ.") % {"type": package.doc_type}
            )
    except CheckFailed as failed:
        _refuse(
            agency=agency,
            package_id=package.document_id,
            sender=package.sender,
            code_text=package.code,
            code=failed.code,
            reason=failed.reason,
        )
        return "refused"
    with transaction.atomic():
        incoming = register_incoming(
            agency=agency,
            actor=None,
            sender_name=package.sender.name or package.sender.organ_id,
            sender_agency=Agency.objects.filter(code=package.sender.organ_id).first(),
            summary=package.subject,
            doc_type=doc_type,
            doc_number=package.code,
            issued_on=package.promulgated_on,
            urgency=URGENCY_OF_PRIORITY.get(package.priority, "normal"),
            is_electronic=True,
            reply_due=package.due_date if package.due_date and package.due_date >= timezone.localdate() else None,
            file=ContentFile(pdf, name=package.attachments[0].name),
            exchange_id=package.document_id,
        )
        M.objects.create(
            direction=M.Direction.IN,
            kind=M.Kind.PACKAGE,
            agency=agency,
            package_id=package.document_id,
            organ_id=package.sender.organ_id,
            organ_name=package.sender.name,
            incoming=incoming,
            state=M.State.HANDLED,
        )
        status_send(incoming=incoming, status="received")
    return "registered"


def _receive_status(raw: bytes, *, agency: Agency) -> str:
    try:
        message = edxml.read_status(raw)
    except edxml.EdxmlError as exc:
        logger.warning("unreadable EDXML status for %s: %s", agency.code, exc.code)
        return "unreadable"
    sent = M.objects.filter(
        direction=M.Direction.OUT, kind=M.Kind.PACKAGE, agency=agency, package_id=message.document_id
    ).first()
    try:
        with transaction.atomic():
            M.objects.create(
                direction=M.Direction.IN,
                kind=M.Kind.STATUS,
                agency=agency,
                package_id=message.document_id,
                organ_id=message.sender.organ_id,
                organ_name=message.sender.name,
                status=message.status,
                description=message.description,
                outgoing=sent.outgoing if sent else None,
                state=M.State.HANDLED,
            )
            if sent and sent.outgoing_id:
                note = f"{message.sender.name}: {message.label}"
                if message.description:
                    note += f" – {message.description}"
                DocumentEvent.objects.create(
                    outgoing_id=sent.outgoing_id, action=f"exchange_{message.status}", note=note
                )
    except IntegrityError:
        return "duplicate"
    return message.status


def exchange_receive(*, agency: Agency, client=None) -> dict[str, int]:
    """Read the agency's inbox on the axis; returns counts by outcome. Safe to run twice."""
    client = client or AxisClient.for_agency(agency)
    counts: dict[str, int] = {}
    for message_id in client.inbox():
        raw = client.fetch(message_id)
        try:
            kind = edxml.kind_of(raw)
        except edxml.EdxmlError:
            kind = "unreadable"
        if kind == "status":
            outcome = _receive_status(raw, agency=agency)
        elif kind == "package":
            outcome = _receive_package(raw, agency=agency)
        else:
            outcome = "unreadable"
        client.ack(message_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    if counts.get("refused") or counts.get("registered"):
        exchange_flush(client_for=lambda _agency: client, agency=agency)  # refusals leave the same day
    return counts
