"""Signing PDFs (PAdES B-B, visible stamp with a verification QR) and recording what was signed.

The cryptographic work runs before the database transaction (it is CPU-bound and needs no lock);
the row, the replaced dossier file and the event are then written in one atomic block, and the
stored signed file is removed again if that block fails.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import Role, User
from motcua.core.transitions import audit_record
from motcua.dossiers.models import DocumentKind, Dossier, DossierDocument
from motcua.dossiers.services.records import dossier_record
from motcua.dossiers.services.results import RESULT_UPLOAD_STATUSES
from motcua.dossiers.services.workflow import actor_roles
from motcua.signing.appearance import appearance_pdf
from motcua.signing.models import SignedDocument, SigningCertificate
from motcua.signing.services.trust import certificate_is_demo
from motcua.signing.signers import signer_for, stamp_box_for

logger = logging.getLogger(__name__)

Kind = SignedDocument.Kind


def verify_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("verify:token", kwargs={"token": token})


def certificate_usable(certificate: SigningCertificate, *, now=None) -> bool:
    now = now or timezone.now()
    return (
        certificate.is_active
        and certificate.revoked_at is None
        and certificate.not_before <= now <= certificate.not_after
    )


def _check_certificate(certificate: SigningCertificate, actor: User | None) -> None:
    if not certificate_usable(certificate):
        raise DomainError(
            _("Chứng thư số “%(label)s” đã hết hạn, bị thu hồi hoặc ngừng dùng.") % {"label": certificate.label},
            code="certificate_unusable",
            status=409,
        )
    if certificate.owner_id and (actor is None or actor.pk != certificate.owner_id):
        raise PermissionDenied(_("Chỉ người được cấp chứng thư số mới ký được bằng chứng thư đó."))


def _organisation(certificate: SigningCertificate) -> str:
    if certificate.agency_id:
        return certificate.agency.name
    return ""


def pdf_sign(
    *,
    pdf_bytes: bytes,
    certificate: SigningCertificate,
    actor: User | None,
    kind: str,
    dossier=None,
    document=None,
    receipt=None,
    reason: str = "",
    location: str = "Cà Mau",
    organisation: str = "",
    box: tuple[int, int, int, int] | None = None,
) -> SignedDocument:
    """Sign `pdf_bytes` with `certificate` and store the signed copy as a SignedDocument.

    `box` places the visible stamp (default: bottom right of the last page); a second signature
    on the same file (the agency seal after the leader) passes one that does not overlap the first.

    Raises DomainError 409 `certificate_unusable`, 403 for someone else's personal certificate,
    422 `pdf_invalid` when the input is not a PDF pyHanko can sign, 502 `signer_failed` when the
    signing device or service fails.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    _check_certificate(certificate, actor)
    if not pdf_bytes.startswith(b"%PDF-"):
        raise DomainError(_("Tệp cần ký không phải tệp PDF."), code="pdf_invalid", status=422)
    token = secrets.token_urlsafe(16)
    url = verify_url(token)
    signed_at = timezone.now().replace(microsecond=0)
    signer_name = certificate.subject_cn
    box = box or stamp_box_for(pdf_bytes)
    stamp = appearance_pdf(
        signer_name=signer_name,
        organisation=organisation or _organisation(certificate),
        signed_at=signed_at,
        url=url,
        box=box,
        demo=certificate_is_demo(certificate.certificate_pem),
    )
    signer = signer_for(certificate)
    try:
        signed = signer.sign(
            pdf_bytes,
            field_name=f"motcua-{kind}-{token[:8]}",
            appearance_pdf=stamp,
            reason=reason or str(Kind(kind).label),
            location=location,
            signer_name=signer_name,
            contact_info=url,
            box=box,
        )
    except DomainError:
        raise
    except (OSError, ConnectionError) as exc:
        logger.warning("signer %s failed: %s", certificate.backend, exc)
        raise DomainError(
            _("Thiết bị hoặc dịch vụ ký số không phản hồi, vui lòng thử lại."), code="signer_failed", status=502
        )
    except Exception as exc:  # pyHanko raises several types for a PDF it cannot parse or extend
        logger.info("could not sign PDF: %s", exc)
        raise DomainError(
            _("Không ký được tệp này: tệp PDF bị hỏng hoặc có cấu trúc không hỗ trợ."), code="pdf_invalid", status=422
        )
    digest = hashlib.sha256(signed).hexdigest()
    stored = default_storage.save(f"signed/{signed_at:%Y/%m}/{token}.pdf", ContentFile(signed))
    try:
        with transaction.atomic():
            row = SignedDocument.objects.create(
                kind=kind,
                dossier=dossier,
                document=document,
                receipt=receipt,
                file=stored,
                sha256=digest,
                certificate=certificate,
                signed_by=actor if actor is not None and actor.pk else None,
                signer_name=signer_name,
                signed_at=signed_at,
                verify_token=token,
            )
            audit_record(
                actor=actor,
                action="signing.pdf_signed",
                object_type="signed_document",
                object_id=row.pk,
                data={"kind": kind, "sha256": digest, "certificate": certificate.pk},
            )
    except BaseException:
        default_storage.delete(stored)
        raise
    row.signed_bytes = signed  # callers that store the bytes elsewhere need not read the file back
    return row


# --- result documents ----------------------------------------------------------------------------


def _usable_certificates(**holder):
    """Active, unrevoked certificates valid now for the holder (`owner=` or `agency_id=`), newest first."""
    now = timezone.now()
    return SigningCertificate.objects.filter(
        **holder, is_active=True, revoked_at__isnull=True, not_before__lte=now, not_after__gte=now
    ).order_by("-created_at")


def certificate_for_actor(actor: User) -> SigningCertificate | None:
    """The officer's own usable certificate, the newest first."""
    return _usable_certificates(owner=actor).first()


def result_sign_allowed(*, dossier, document, actor) -> bool:
    if actor is None or document.kind != "result" or dossier.status not in RESULT_UPLOAD_STATUSES:
        return False
    if document.signatures.filter(sha256=document.sha256).exists():
        return False
    return Role.LEADER in actor_roles(actor, dossier)


def result_sign(*, actor: User, dossier, document_id: int, certificate: SigningCertificate | None = None):
    """A leader signs a result document of a dossier; the signed file replaces the result.

    The unsigned original stays in storage (files are named by their hash) and its name and hash
    are kept in the `sign_result` event, so the history shows what was signed.
    Raises NotFound outside the actor's scope, 403 `action_forbidden` without the leader role,
    409 `result_sign_not_allowed` (status), 409 `already_signed`, 409 `no_certificate`.
    """
    roles = actor_roles(actor, dossier)
    if not roles or roles == {"applicant"}:
        raise NotFound(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    document = DossierDocument.objects.filter(pk=document_id, dossier=dossier, kind=DocumentKind.RESULT).first()
    if document is None or not document.file:
        raise NotFound(_("Không tìm thấy văn bản kết quả."), code="document_not_found")
    if Role.LEADER not in roles:
        raise DomainError(
            _("Chỉ lãnh đạo của cơ quan giải quyết hồ sơ mới ký số văn bản kết quả."),
            code="action_forbidden",
            status=403,
        )
    if dossier.status not in RESULT_UPLOAD_STATUSES:
        raise DomainError(
            _("Chỉ ký kết quả khi hồ sơ đang giải quyết và chưa trả (hiện: “%(status)s”).")
            % {"status": dossier.get_status_display()},
            code="result_sign_not_allowed",
            status=409,
        )
    if document.signatures.filter(sha256=document.sha256).exists():
        raise DomainError(_("Văn bản kết quả này đã được ký số."), code="already_signed", status=409)
    certificate = certificate or certificate_for_actor(actor)
    if certificate is None:
        raise DomainError(
            _("Tài khoản này chưa có chứng thư số còn hiệu lực. Vui lòng nạp chứng thư tại trang Chữ ký số (%(path)s).")
            % {"path": reverse("signing:certificates")},
            code="no_certificate",
            status=409,
        )
    with document.file.open("rb") as handle:
        original = handle.read()
    signed_row = pdf_sign(
        pdf_bytes=original,
        certificate=certificate,
        actor=actor,
        kind=Kind.RESULT,
        dossier=dossier,
        document=document,
        reason=_("Ký duyệt kết quả giải quyết hồ sơ %(code)s") % {"code": dossier.code},
        organisation=dossier.current_agency.name if dossier.current_agency_id else dossier.receiving_agency.name,
    )
    signed = signed_row.signed_bytes
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
            doc = DossierDocument.objects.select_for_update().get(pk=document.pk)
            if locked.status not in RESULT_UPLOAD_STATUSES or doc.sha256 != document.sha256:
                raise DomainError(
                    _("Hồ sơ hoặc văn bản kết quả vừa thay đổi, vui lòng tải lại trang và ký lại."),
                    code="result_changed",
                    status=409,
                )
            before = {"file": doc.file.name, "sha256": doc.sha256, "size": doc.size}
            doc.sha256 = signed_row.sha256
            doc.size = len(signed)
            doc.content_type = "application/pdf"
            doc.file.save("signed.pdf", ContentFile(signed), save=False)
            doc.save(update_fields=["file", "sha256", "size", "content_type", "updated_at"])
            data = {"document": doc.pk, "signed_document": signed_row.pk, "sha256": doc.sha256, "original": before}
            dossier_record(
                locked,
                actor=actor,
                action="sign_result",
                from_status=locked.status,
                note=_("Ký số văn bản kết quả: %(name)s") % {"name": doc.name},
                data=data,
                audit_action="dossier.result_signed",
                audit_data=data,
                public=False,
            )
    except BaseException:
        # Keep no SignedDocument for a result that was not replaced.
        SignedDocument.objects.filter(pk=signed_row.pk).delete()
        default_storage.delete(signed_row.file.name)
        raise
    return signed_row


# --- receipts ------------------------------------------------------------------------------------


def agency_certificate(agency_id: int) -> SigningCertificate | None:
    return _usable_certificates(agency_id=agency_id).select_related("agency").first()


def receipt_sign_if_configured(*, receipt) -> SignedDocument | None:
    """Sign the receipt's PDF with its agency's seal certificate, if the agency holds an active one.

    Saves the signed bytes back into `receipt.pdf` with the new sha256 and returns the
    SignedDocument; returns None when there is nothing to sign with or no PDF yet.
    """
    if not receipt.pdf:
        return None
    certificate = agency_certificate(receipt.series.agency_id)
    if certificate is None:
        return None
    with receipt.pdf.open("rb") as handle:
        original = handle.read()
    row = pdf_sign(
        pdf_bytes=original,
        certificate=certificate,
        actor=None,
        kind=Kind.RECEIPT,
        dossier=receipt.dossier,
        receipt=receipt,
        reason=_("Biên lai điện tử %(form)s %(symbol)s số %(number)07d")
        % {"form": receipt.series.form, "symbol": receipt.series.symbol, "number": receipt.number},
    )
    old_name = receipt.pdf.name
    receipt.pdf.save(old_name.rsplit("/", 1)[-1], ContentFile(row.signed_bytes), save=False)
    receipt.pdf_sha256 = row.sha256
    receipt.save(update_fields=["pdf", "pdf_sha256", "updated_at"])
    if old_name and old_name != receipt.pdf.name:
        transaction.on_commit(lambda: default_storage.delete(old_name))
    return row
