"""Signing over JSON: certificates (officer), signing a result (leader), verification (public)."""

import datetime

from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.dossiers.services.workflow import dossier_get_for_action
from motcua.schemas import ErrorOut
from motcua.signing import selectors
from motcua.signing.services.certificates import MAX_PKCS12_BYTES, certificate_import_pkcs12
from motcua.signing.services.signing import certificate_usable, result_sign, verify_url
from motcua.signing.services.verify import Verification, pdf_verify, signed_document_by_token, signed_document_verify
from motcua.signing.services.verify_uploads import read_pdf_upload, verify_throttle

router = Router(tags=["Chữ ký số"])


class CertificateOut(Schema):
    id: int
    label: str
    subject_cn: str
    issuer: str
    serial: str
    fingerprint_sha256: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    backend: str
    is_active: bool
    usable: bool
    revoked_at: datetime.datetime | None


class SignedOut(Schema):
    id: int
    kind: str
    dossier_code: str | None
    sha256: str
    signer_name: str
    signed_at: datetime.datetime
    verify_url: str


class SignatureOut(Schema):
    field_name: str
    ok: bool
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    modified_after: bool
    signer_name: str
    issuer: str
    signing_time: datetime.datetime | None
    cert_not_before: datetime.datetime | None
    cert_not_after: datetime.datetime | None
    cert_valid_at_signing: bool
    cert_revoked: bool
    demo: bool
    trust: str
    problems: list[str]


class RegisteredOut(Schema):
    kind: str
    dossier_code: str
    procedure_name: str
    receipt_number: str
    signer_name: str
    signed_at: datetime.datetime
    sha256: str
    download_url: str


class VerificationOut(Schema):
    verdict: str
    ok: bool
    # "trusted"; "demo" when a signature rests on a demo (test) root: chứng thư thử nghiệm, không có giá trị pháp lý;
    # "untrusted" otherwise.
    trust: str
    summary: str
    sha256: str
    signatures: list[SignatureOut]
    registered: RegisteredOut | None
    is_registered_copy: bool


def _cert_out(c) -> dict:
    return {**{f: getattr(c, f) for f in CertificateOut.model_fields if f != "usable"}, "usable": certificate_usable(c)}


def _verification_out(v: Verification) -> dict:
    facts = selectors.public_facts(v.signed_document)
    registered = None
    if facts:
        registered = {
            **{k: facts[k] for k in RegisteredOut.model_fields if k in facts},
            "download_url": reverse("verify:download", kwargs={"token": facts["token"]}),
        }
    return {
        "verdict": v.verdict,
        "ok": v.ok,
        "trust": v.trust,
        "summary": v.summary,
        "sha256": v.sha256,
        "signatures": [{**s.__dict__, "ok": s.ok, "trust": s.trust} for s in v.signatures],
        "registered": registered,
        "is_registered_copy": v.is_registered_copy,
    }


def _officer(request):
    user = request.auth
    if not (user.is_officer or user.is_superuser):
        raise PermissionDenied(code="officer_only")
    return user


@router.get(
    "/signing/certificates",
    auth=django_auth,
    response={200: list[CertificateOut], 401: ErrorOut, 403: ErrorOut},
    summary="Chứng thư số của tôi",
)
def certificates_list(request):
    user = _officer(request)
    return [_cert_out(c) for c in selectors.own_certificates(user)]


@router.post(
    "/signing/certificates",
    auth=django_auth,
    response={201: CertificateOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut},
    summary="Nạp chứng thư số (PKCS#12) của tôi",
    description="multipart: `file` (.p12/.pfx), `passphrase`, `label`. 422 `pkcs12_invalid` khi sai mật khẩu hoặc "
    "tệp không phải PKCS#12; 422 `certificate_not_valid_now` khi chứng thư hết hạn; 409 `certificate_exists`.",
)
def certificates_upload(request, file: File[UploadedFile], passphrase: Form[str] = "", label: Form[str] = ""):
    user = _officer(request)
    certificate = certificate_import_pkcs12(
        actor=user, data=file.read(MAX_PKCS12_BYTES + 1), passphrase=passphrase or None, label=label
    )
    return Status(201, _cert_out(certificate))


@router.post(
    "/signing/dossiers/{code}/results/{document_id}/sign",
    auth=django_auth,
    response={200: SignedOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 502: ErrorOut},
    summary="Lãnh đạo ký số văn bản kết quả của hồ sơ",
    description="Ký PAdES bằng chứng thư còn hiệu lực của người gọi; tệp đã ký thay tệp kết quả. 404 ngoài phạm vi; "
    "403 `action_forbidden` khi không phải lãnh đạo; 409 `no_certificate`, `already_signed`, `result_sign_not_allowed`.",
)
def result_sign_api(request, code: str, document_id: int):
    user = _officer(request)
    try:
        dossier = dossier_get_for_action(user, code)
    except DomainError:
        raise NotFound(code="dossier_not_found")
    row = result_sign(actor=user, dossier=dossier, document_id=document_id)
    return {
        "id": row.pk,
        "kind": row.kind,
        "dossier_code": dossier.code,
        "sha256": row.sha256,
        "signer_name": row.signer_name,
        "signed_at": row.signed_at,
        "verify_url": verify_url(row.verify_token),
    }


@router.post(
    "/verify/pdf",
    auth=None,
    response={200: VerificationOut, 400: ErrorOut, 413: ErrorOut, 415: ErrorOut, 429: ErrorOut},
    summary="Xác thực chữ ký số trong tệp PDF (công khai)",
    description="multipart `file`. Trả về kết luận (valid, invalid, modified, untrusted, unsigned, unreadable), từng "
    "chữ ký và văn bản đã đăng ký (mã hồ sơ, tên thủ tục; không có thông tin cá nhân).",
)
def verify_pdf(request, file: File[UploadedFile]):
    verify_throttle(request)
    return _verification_out(pdf_verify(pdf_bytes=read_pdf_upload(file)))


@router.get(
    "/verify/{token}",
    auth=None,
    response={200: VerificationOut, 404: ErrorOut},
    summary="Xác thực văn bản theo mã trong QR (công khai)",
)
def verify_token(request, token: str):
    document = signed_document_by_token(token)
    if document is None:
        raise NotFound(code="signed_document_not_found")
    return _verification_out(signed_document_verify(document))
