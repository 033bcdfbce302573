"""The signing side of the dossier workflow: "Phê duyệt, ký" signs, "Trả kết quả" checks the signature.

Subscribed in `SigningConfig.ready` to `dossier.approve` / `dossier.return_result` (`motcua.core.events`), so the
dossiers app never imports signing. Both run inside `dossier_act`'s transaction, after the
action's own handler: a refusal here undoes the whole action (the approval is not recorded without
its signature; the return is not recorded without the signature or an explicit decision).

Why sign inside the transaction: the approval and the signed file are one fact. The crypto holds
the dossier's row lock for the time of a signature (well under a second with a PKCS#12 key); a
remote signer that is slower than that is the reason `signer_failed` exists. Files stored before
a rollback are removed again by the `ctx.on_rollback` callbacks.
"""

from __future__ import annotations

import logging
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.catalog.models import ResultSignature
from motcua.core import scope
from motcua.core.errors import DomainError
from motcua.core.models import Role
from motcua.core.transitions import audit_record
from motcua.dossiers.models import DocumentKind, DossierDocument, DossierEvent, DossierStatus, ResultDelivery, StepKind
from motcua.dossiers.services.results import result_signature_of
from motcua.notifications.services import notify
from motcua.signing.models import SignedDocument
from motcua.signing.services.signing import agency_certificate, certificate_for_actor, pdf_sign
from motcua.signing.signers import stamp_box_for

logger = logging.getLogger(__name__)

REASON_MAX = 500
_TRUE = {"1", "true", "on", "yes", "co", "có"}


def _signed_by(document: DossierDocument) -> tuple[bool, bool]:
    """(leader signed, seal signed) for the document's current bytes.

    The signature made last is the one whose hash is the document's; an agency seal (a certificate
    held by an agency, not a person) is always put on after the leader's signature.
    """
    last = (
        SignedDocument.objects.filter(document=document, sha256=document.sha256, kind=SignedDocument.Kind.RESULT)
        .select_related("certificate")
        .first()
    )
    if last is None:
        return False, False
    return True, last.certificate.agency_id is not None and last.certificate.owner_id is None


def result_signed_as_required(document: DossierDocument, policy: str) -> bool:
    leader, seal = _signed_by(document)
    if policy == ResultSignature.LEADER_AND_SEAL:
        return leader and seal
    return leader if policy == ResultSignature.LEADER else True


def _above(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The stamp box just above `box`, so the seal's stamp does not cover the leader's."""
    height = box[3] - box[1]
    return (box[0], box[3] + 6, box[2], box[3] + 6 + height)


def _results(dossier) -> list[DossierDocument]:
    return [
        d
        for d in DossierDocument.objects.select_for_update()
        .filter(dossier=dossier, kind=DocumentKind.RESULT)
        .order_by("id")
        if d.file
    ]


def _discard(name: str) -> None:
    if name:
        default_storage.delete(name)


def _people_of(users) -> list:
    people = {}
    for user in users:
        person = getattr(user, "person", None)
        if user.is_active and person is not None:
            people[person.pk] = person
    return list(people.values())


def _desk_officers(dossier, steps) -> list:
    """Who hands the result back: the return step's assignee, else every receptionist of the receiving agency."""
    assigned = [s.assignee for s in steps if s.kind == StepKind.RETURN and s.assignee_id]
    if assigned:
        return _people_of(assigned)
    users = scope.officers_holding(Role.RECEPTIONIST, agencies=[dossier.receiving_agency_id])
    return _people_of(users.select_related("person").order_by("pk"))


def _tell_desk(ctx, signed: list[dict]) -> None:
    d = ctx.dossier
    link = reverse("dossiers:officer_detail", args=[d.code])
    title = _("Hồ sơ %(code)s: kết quả đã ký số, sẵn sàng trả") % {"code": d.code}
    body = _(
        "Lãnh đạo đã phê duyệt và ký số kết quả của hồ sơ %(code)s (%(procedure)s). Mời trả kết quả cho người nộp."
    ) % {
        "code": d.code,
        "procedure": d.procedure.name,
    }
    key = signed[0]["signed_document"] if signed else ctx.now.isoformat()
    for person in _desk_officers(d, ctx.steps):
        notify(
            person=person,
            event="dossier.result_signed",
            title=title,
            body=body,
            link=link,
            subject_type="dossier",
            subject_id=str(d.pk),
            dedupe_key=f"dossier.result_signed:{d.pk}:{key}:{person.pk}",
            params={"ma_ho_so": d.code},
        )


def _tell_leader_failed(*, dossier_id: int, code: str, actor, message: str, at: str) -> None:
    """After the approval rolled back: tell the leader why nothing was signed (their own transaction)."""
    person = getattr(actor, "person", None) if actor is not None else None
    if person is None:
        return
    with transaction.atomic():
        notify(
            person=person,
            event="dossier.result_sign_failed",
            title=_("Hồ sơ %(code)s: chưa ký số được kết quả") % {"code": code},
            body=_("Phê duyệt chưa được ghi nhận vì không ký số được kết quả: %(reason)s") % {"reason": message},
            link=reverse("dossiers:officer_detail", args=[code]),
            subject_type="dossier",
            subject_id=str(dossier_id),
            dedupe_key=f"dossier.result_sign_failed:{dossier_id}:{at}",
        )


def _sign_one(ctx, document: DossierDocument, *, leader_cert, seal_cert, need_leader: bool, need_seal: bool) -> dict:
    d = ctx.dossier
    organisation = d.current_agency.name if d.current_agency_id else d.receiving_agency.name
    with document.file.open("rb") as handle:
        data = handle.read()
    rows = []
    box = None
    if need_leader:
        row = pdf_sign(
            pdf_bytes=data,
            certificate=leader_cert,
            actor=ctx.actor,
            kind=SignedDocument.Kind.RESULT,
            dossier=d,
            document=document,
            reason=_("Ký duyệt kết quả giải quyết hồ sơ %(code)s") % {"code": d.code},
            organisation=organisation,
        )
        ctx.on_rollback.append(partial(_discard, row.file.name))
        rows.append(row)
        data = row.signed_bytes
    if need_seal:
        box = _above(stamp_box_for(data))
        row = pdf_sign(
            pdf_bytes=data,
            certificate=seal_cert,
            actor=None,
            kind=SignedDocument.Kind.RESULT,
            dossier=d,
            document=document,
            reason=_("Đóng dấu số của cơ quan trên kết quả hồ sơ %(code)s") % {"code": d.code},
            organisation=organisation,
            box=box,
        )
        ctx.on_rollback.append(partial(_discard, row.file.name))
        rows.append(row)
        data = row.signed_bytes
    before = {"file": document.file.name, "sha256": document.sha256, "size": document.size}
    document.sha256 = rows[-1].sha256
    document.size = len(data)
    document.content_type = "application/pdf"
    document.file.save("signed.pdf", ContentFile(data), save=False)
    ctx.on_rollback.append(partial(_discard, document.file.name))
    document.save(update_fields=["file", "sha256", "size", "content_type", "updated_at"])
    return {
        "document": document.pk,
        "signed_document": rows[0].pk,
        "signatures": [r.pk for r in rows],
        "sha256": document.sha256,
        "original": before,
    }


def approve_sign_results(ctx) -> None:
    """Step hook of `approve`: sign every result file as the procedure requires, or refuse the approval."""
    d = ctx.dossier
    policy = result_signature_of(d)
    if policy == ResultSignature.NONE:
        return
    try:
        _approve_sign(ctx, policy)
    except DomainError as exc:
        ctx.on_rollback.append(
            partial(
                _tell_leader_failed,
                dossier_id=d.pk,
                code=d.code,
                actor=ctx.actor,
                message=exc.message,
                at=ctx.now.isoformat(),
            )
        )
        raise


def _approve_sign(ctx, policy: str) -> None:
    d = ctx.dossier
    documents = _results(d)
    if not documents:
        raise DomainError(
            _(
                "Chưa có tệp kết quả (PDF) để ký số. Chuyên viên cần đính kèm dự thảo kết quả trước khi trình phê duyệt."
            ),
            code="result_document_missing",
            status=409,
        )
    needs = []
    for document in documents:
        leader, seal = _signed_by(document)
        need_seal = policy == ResultSignature.LEADER_AND_SEAL and not seal
        if not leader or need_seal:
            needs.append((document, not leader, need_seal))
    leader_cert = seal_cert = None
    if any(n[1] for n in needs):
        leader_cert = certificate_for_actor(ctx.actor) if ctx.actor is not None else None
        if leader_cert is None:
            raise DomainError(
                _(
                    "Không ký số được kết quả: tài khoản này chưa có chứng thư số còn hiệu lực. "
                    "Vui lòng nạp chứng thư tại trang Chữ ký số (%(path)s) rồi phê duyệt lại."
                )
                % {"path": reverse("signing:certificates")},
                code="no_certificate",
                status=409,
            )
    if any(n[2] for n in needs):
        agency_id = d.current_agency_id or d.receiving_agency_id
        seal_cert = agency_certificate(agency_id)
        if seal_cert is None:
            raise DomainError(
                _(
                    "Không ký số được kết quả: cơ quan giải quyết chưa có con dấu số (chứng thư của cơ quan) còn "
                    "hiệu lực, mà thủ tục này yêu cầu đóng dấu số."
                ),
                code="no_seal_certificate",
                status=409,
            )
    signed = [
        _sign_one(ctx, document, leader_cert=leader_cert, seal_cert=seal_cert, need_leader=nl, need_seal=ns)
        for document, nl, ns in needs
    ]
    ctx.data["result_signature"] = policy
    ctx.data["signed_results"] = signed
    if signed:
        audit_record(
            actor=ctx.actor,
            action="dossier.result_signed",
            obj=d,
            data={"signed_results": signed, "on": "approve"},
        )
    if ctx.target == DossierStatus.RESOLVED:
        _tell_desk(ctx, signed)


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in _TRUE


def return_check_signature(ctx) -> None:
    """Step hook of `return_result`: a result that must be signed is not handed back unsigned,
    unless the officer records the decision to hand back the paper result without a digital
    signature, with a reason (params `unsigned_paper`, `unsigned_reason`)."""
    d = ctx.dossier
    policy = result_signature_of(d)
    if policy == ResultSignature.NONE or d.events.filter(action="refuse_after_appraisal").exists():
        return
    documents = _results(d)
    chosen = ctx.data.get("result_document")
    if chosen:
        documents = [doc for doc in documents if doc.pk == chosen]
    unsigned = [doc.pk for doc in documents if not result_signed_as_required(doc, policy)]
    if documents and not unsigned:
        ctx.data["result_signed"] = True
        return
    mode = ctx.data.get("mode")
    if mode == ResultDelivery.ELECTRONIC:
        raise DomainError(
            _("Kết quả điện tử của thủ tục này phải được ký số trước khi trả cho người nộp."),
            code="result_unsigned",
            status=409,
            details={"unsigned_documents": unsigned},
        )
    if not _flag(ctx.params.get("unsigned_paper")):
        raise DomainError(
            _(
                "Kết quả của thủ tục này phải được ký số trước khi trả. Nếu trả bản giấy không ký số, hãy chọn "
                "“Trả kết quả bản giấy, không ký số” và ghi rõ lý do."
            ),
            code="result_unsigned",
            status=409,
            details={"unsigned_documents": unsigned},
        )
    reason = " ".join(str(ctx.params.get("unsigned_reason") or "").split())
    if not reason:
        raise DomainError(
            _("Cần ghi lý do trả kết quả bản giấy không ký số."), code="unsigned_reason_required", status=400
        )
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("Lý do dài quá %(max)s ký tự.") % {"max": REASON_MAX}, code="unsigned_reason_too_long", status=400
        )
    decision = {"reason": reason, "unsigned_documents": unsigned, "result_signature": policy}
    ctx.data["unsigned_decision"] = decision
    DossierEvent.objects.create(
        dossier=d,
        actor=ctx.actor,
        action="return_unsigned",
        from_status=ctx.from_status,
        to_status=ctx.from_status,
        note=reason,
        data=decision,
        public=False,
    )
    audit_record(actor=ctx.actor, action="dossier.return_unsigned", obj=d, data=decision)
