"""Checking the signatures in a PDF anyone uploads (or the registered copy behind a QR token).

Each signature is judged on: the digest over its byte range (intact), the CMS signature value
(valid), the chain to an active TrustRoot (trusted), whether bytes were added after it
(modified), and the certificate's validity at the time the signer claims. A file pyHanko cannot
even parse is reported as unreadable, which is shown as invalid: a changed byte can break the
structure before it breaks a digest.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.signing import crypto
from motcua.signing.models import SignedDocument, SigningCertificate, TrustRoot
from motcua.signing.services.trust import DEMO_LABEL, demo_roots, issued_by_any
from motcua.signing.signers import run_sync

logger = logging.getLogger(__name__)

TOKEN_IN_URL = re.compile(r"/xac-thuc/([A-Za-z0-9_-]{8,32})/")
_HARMLESS_LATER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass
class SignatureCheck:
    field_name: str
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    covers_whole_file: bool = False
    modified_after: bool = True
    signer_name: str = ""
    signer_subject: str = ""
    issuer: str = ""
    signing_time: datetime.datetime | None = None
    cert_not_before: datetime.datetime | None = None
    cert_not_after: datetime.datetime | None = None
    cert_valid_at_signing: bool = False
    cert_revoked: bool = False
    fingerprint: str = ""
    reason: str = ""
    location: str = ""
    token: str = ""
    demo: bool = False  # chains to a demo root (TrustRoot.is_demo): no legal value
    problems: list[str] = field(default_factory=list)

    @property
    def trust(self) -> str:
        """"trusted", "demo" (trusted only as a test certificate) or "untrusted"."""
        if not self.trusted:
            return "untrusted"
        return "demo" if self.demo else "trusted"

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.trusted
            and not self.modified_after
            and self.cert_valid_at_signing
            and not self.cert_revoked
        )


@dataclass
class Verification:
    sha256: str
    size: int
    signatures: list[SignatureCheck] = field(default_factory=list)
    error: str = ""
    signed_document: SignedDocument | None = None
    matched_by: str = ""  # "sha256" (this exact file was registered) | "token" (it names a registered one)

    @property
    def has_signatures(self) -> bool:
        return bool(self.signatures)

    @property
    def ok(self) -> bool:
        return not self.error and self.has_signatures and all(s.ok for s in self.signatures)

    @property
    def is_registered_copy(self) -> bool:
        return self.matched_by == "sha256"

    @property
    def trust(self) -> str:
        """"demo" when any signature rests on a demo certificate, "trusted" when all are trusted, else "untrusted"."""
        if not self.signatures or any(s.trust == "untrusted" for s in self.signatures):
            return "untrusted"
        return "demo" if any(s.demo for s in self.signatures) else "trusted"

    @property
    def verdict(self) -> str:
        """One of: valid, invalid, untrusted, modified, unsigned, unreadable."""
        if self.error:
            return "unreadable"
        if not self.signatures:
            return "unsigned"
        if self.ok:
            return "valid"
        if any(not (s.intact and s.valid) for s in self.signatures):
            return "invalid"
        if any(s.modified_after for s in self.signatures):
            return "modified"
        return "untrusted" if any(not s.trusted for s in self.signatures) else "invalid"

    @property
    def summary(self) -> str:
        return {
            "valid": _("Chữ ký số hợp lệ: văn bản còn nguyên vẹn và người ký được tin cậy.")
            if self.trust != "demo"
            else _(
                "Chữ ký số đúng về kỹ thuật và văn bản còn nguyên vẹn, nhưng dùng chứng thư thử nghiệm, "
                "không có giá trị pháp lý."
            ),
            "invalid": _("Chữ ký số KHÔNG hợp lệ: nội dung văn bản đã bị thay đổi sau khi ký."),
            "modified": _("Văn bản đã bị chỉnh sửa sau khi ký."),
            "untrusted": _("Chữ ký còn nguyên vẹn nhưng chứng thư của người ký không được tin cậy hoặc hết hiệu lực."),
            "unsigned": _("Văn bản này không có chữ ký số."),
            "unreadable": self.error,
        }[self.verdict]


def _validation_context() -> ValidationContext:
    roots = [
        asn1_x509.Certificate.load(crypto.load_certificate(pem).public_bytes(serialization.Encoding.DER))
        for pem in TrustRoot.objects.filter(is_active=True).values_list("certificate_pem", flat=True)
    ]
    # No network: demo and government CAs here publish no reachable CRL/OCSP for us, so revocation
    # is checked against our own records (SigningCertificate.revoked_at) instead.
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _text(sig_object, key: str) -> str:
    try:
        value = sig_object.get(key)
    except Exception:
        return ""
    return str(value) if value is not None else ""


def _check_one(embedded, context: ValidationContext, *, last: bool, demo_roots=()) -> SignatureCheck:
    check = SignatureCheck(field_name=str(embedded.field_name or ""))
    sig_object = embedded.sig_object
    check.reason = _text(sig_object, "/Reason")
    check.location = _text(sig_object, "/Location")
    match = TOKEN_IN_URL.search(_text(sig_object, "/ContactInfo"))
    check.token = match.group(1) if match else ""
    try:
        status = run_sync(validate_pdf_signature, embedded, context)
    except Exception as exc:
        logger.info("signature %s could not be validated: %s", check.field_name, exc)
        check.problems.append(_("Không kiểm tra được chữ ký này (dữ liệu chữ ký hỏng)."))
        return check
    try:
        # pyHanko's parser is laxer than `cryptography`'s: an odd signer certificate must not be a 500.
        cert = x509.load_der_x509_certificate(status.signing_cert.dump())
        facts = crypto.facts(cert)
    except ValueError as exc:
        logger.info("signer certificate of %s could not be read: %s", check.field_name, exc)
        check.problems.append(_("Không kiểm tra được chữ ký này (dữ liệu chữ ký hỏng)."))
        return check
    check.intact, check.valid, check.trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
    check.demo = bool(demo_roots) and issued_by_any(cert, list(demo_roots))
    check.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if check.covers_whole_file:
        check.modified_after = False
    else:
        # A later signature legitimately adds bytes after an earlier one; anything else is a change.
        check.modified_after = last or status.modification_level not in _HARMLESS_LATER
    check.signing_time = status.signer_reported_dt
    check.signer_name, check.signer_subject, check.issuer = (
        facts.subject_cn,
        crypto.readable_name(cert.subject),
        facts.issuer,
    )
    check.cert_not_before, check.cert_not_after, check.fingerprint = (
        facts.not_before,
        facts.not_after,
        facts.fingerprint_sha256,
    )
    when = check.signing_time
    check.cert_valid_at_signing = bool(when and facts.not_before <= when <= facts.not_after)
    known = SigningCertificate.objects.filter(fingerprint_sha256=facts.fingerprint_sha256).first()
    if known is not None and known.revoked_at is not None and (when is None or known.revoked_at <= when):
        check.cert_revoked = True
    if not check.intact:
        check.problems.append(_("Nội dung được ký đã bị thay đổi (mã băm không khớp)."))
    elif not check.valid:
        check.problems.append(_("Giá trị chữ ký không đúng với chứng thư của người ký."))
    if check.modified_after:
        check.problems.append(_("Văn bản đã bị chỉnh sửa sau khi ký."))
    if check.intact and check.valid and not check.trusted:  # trust is not judged for a broken signature
        check.problems.append(_("Chứng thư của người ký không thuộc tổ chức cấp được tin cậy, hoặc đã hết hạn."))
    if not check.cert_valid_at_signing:
        check.problems.append(_("Thời điểm ký nằm ngoài thời hạn hiệu lực của chứng thư."))
    if check.cert_revoked:
        check.problems.append(_("Chứng thư của người ký đã bị thu hồi."))
    if check.demo:
        check.problems.append(str(DEMO_LABEL) + ".")
    return check


def _signed_documents():
    """SignedDocument rows with what `selectors.public_facts` reads, so the result page costs no extra queries."""
    return SignedDocument.objects.select_related("dossier__procedure", "certificate", "receipt__series")


def pdf_verify(*, pdf_bytes: bytes) -> Verification:
    """Check every signature in `pdf_bytes` and find the SignedDocument it belongs to, if any."""
    result = Verification(sha256=hashlib.sha256(pdf_bytes).hexdigest(), size=len(pdf_bytes))
    registered = _signed_documents().filter(sha256=result.sha256).first()
    if registered is not None:
        result.signed_document, result.matched_by = registered, "sha256"
    if not pdf_bytes.startswith(b"%PDF-"):
        result.error = _("Tệp này không phải tệp PDF.")
        return result
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:
        logger.info("unreadable PDF uploaded for verification: %s", exc)
        result.error = _(
            "Không đọc được cấu trúc tệp PDF: tệp bị hỏng hoặc đã bị sửa đổi, nên không thể xác nhận chữ ký."
        )
        return result
    if embedded:
        context = _validation_context()
        roots = demo_roots()
        for index, sig in enumerate(embedded):
            result.signatures.append(_check_one(sig, context, last=index == len(embedded) - 1, demo_roots=roots))
    if result.signed_document is None:
        tokens = [s.token for s in result.signatures if s.token]
        if tokens:
            found = _signed_documents().filter(verify_token__in=tokens).first()
            if found is not None:
                result.signed_document, result.matched_by = found, "token"
    return result


def signed_document_by_token(token: str) -> SignedDocument | None:
    if not token or len(token) > 32:
        return None
    return _signed_documents().filter(verify_token=token).first()


def signed_document_verify(document: SignedDocument) -> Verification:
    """Re-check the registered copy behind a QR token (it may have been signed under a root since distrusted)."""
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        result = Verification(sha256=document.sha256, size=0, signed_document=document, matched_by="token")
        result.error = _("Không tìm thấy bản lưu của văn bản đã ký.")
        return result
    result = pdf_verify(pdf_bytes=data)
    if result.signed_document is None:
        result.signed_document, result.matched_by = document, "token"
    return result
