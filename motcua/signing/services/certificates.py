"""Signing certificates (an officer's or an agency's) and the trust roots the administrator configures.

Lifecycle of a certificate (`MACHINE`, the recipe of `motcua.core.transitions`): active → inactive
(deactivated, may be re-imported later as a new row) or → revoked (final; `revoked_at` set). Only an
active, unrevoked certificate signs. Its holder or an administrator changes it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import Agency, User
from motcua.core.transitions import StateMachine, audit_record, row_lock
from motcua.signing import crypto
from motcua.signing.models import SigningCertificate, TrustRoot
from motcua.signing.selectors import user_is_signing_admin
from motcua.signing.signers import signer_class

MAX_PKCS12_BYTES = 256 * 1024
MAX_LABEL = 120

HOLDER, ADMIN = "holder", "admin"
MACHINE = StateMachine(
    name="signing_certificate",
    transitions={
        "active": {"deactivate": "inactive", "revoke": "revoked"},
        "inactive": {"revoke": "revoked"},
        "revoked": {},
    },
    roles={"deactivate": {HOLDER, ADMIN}, "revoke": {HOLDER, ADMIN}},
    labels={"deactivate": gettext_lazy("Ngừng dùng"), "revoke": gettext_lazy("Thu hồi")},
    noun=gettext_lazy("chứng thư số"),
)


def certificate_state(certificate: SigningCertificate) -> str:
    if certificate.revoked_at:
        return "revoked"
    return "active" if certificate.is_active else "inactive"


def _pkcs12_invalid() -> DomainError:
    return DomainError(
        _("Không mở được tệp chứng thư số: sai mật khẩu, hoặc tệp không phải định dạng PKCS#12 (.p12, .pfx)."),
        code="pkcs12_invalid",
        status=422,
    )


def certificate_import_pkcs12(
    *,
    actor: User,
    data: bytes,
    passphrase: str | bytes | None,
    label: str,
    owner: User | None = None,
    agency: Agency | None = None,
) -> SigningCertificate:
    """Import a PKCS#12 bundle for an officer (default: the actor) or, by an administrator, an agency.

    Raises DomainError: 422 `pkcs12_invalid` (wrong passphrase, not PKCS#12), 422 `pkcs12_no_key`,
    422 `certificate_not_valid_now` (expired or not yet valid), 422 `certificate_is_ca`, 413
    `pkcs12_too_large`, 409 `certificate_exists`, 403 for importing on someone else's behalf.
    """
    if not data:
        raise _pkcs12_invalid()
    if len(data) > MAX_PKCS12_BYTES:
        raise DomainError(_("Tệp chứng thư số quá lớn (tối đa 256 KB)."), code="pkcs12_too_large", status=413)
    if agency is None and owner is None:
        owner = actor
    if agency is not None and not user_is_signing_admin(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới nạp chứng thư số của cơ quan."))
    if owner is not None and owner.pk != actor.pk and not user_is_signing_admin(actor):
        raise PermissionDenied(_("Chỉ nạp được chứng thư số của chính người dùng tài khoản này."))
    if owner is not None and not (owner.is_officer or owner.is_superuser):
        raise PermissionDenied(_("Chỉ cán bộ mới được nạp chứng thư số để ký."))

    try:
        bundle = crypto.load_pkcs12(bytes(data), passphrase)
    except ValueError:
        raise _pkcs12_invalid()
    if bundle.key is None or bundle.certificate is None:
        raise DomainError(
            _("Tệp PKCS#12 không chứa khóa bí mật kèm chứng thư, nên không dùng để ký được."),
            code="pkcs12_no_key",
            status=422,
        )
    try:
        facts = crypto.facts(bundle.certificate)  # extensions are parsed lazily: a malformed one raises here
    except ValueError:
        raise _pkcs12_invalid()
    now = timezone.now()
    if not (facts.not_before <= now <= facts.not_after):
        raise DomainError(
            _("Chứng thư số không còn hiệu lực (hiệu lực từ %(start)s đến %(end)s).")
            % {
                "start": timezone.localtime(facts.not_before).strftime("%d/%m/%Y"),
                "end": timezone.localtime(facts.not_after).strftime("%d/%m/%Y"),
            },
            code="certificate_not_valid_now",
            status=422,
        )
    if facts.is_ca:
        raise DomainError(
            _("Đây là chứng thư của tổ chức cấp (CA), không phải chứng thư ký của cá nhân hay cơ quan."),
            code="certificate_is_ca",
            status=422,
        )
    label = " ".join((label or "").split())[:MAX_LABEL] or facts.subject_cn[:MAX_LABEL]
    return _certificate_create(
        actor=actor,
        action="signing.certificate_imported",
        audit_data={"fingerprint": facts.fingerprint_sha256},
        certificate=bundle.certificate,
        facts=facts,
        owner=owner if agency is None else None,
        agency=agency,
        label=label,
        backend="pkcs12",
        pkcs12_encrypted=crypto.seal(bundle.to_pkcs12()),
    )


def _certificate_create(
    *, actor: User, action: str, audit_data: dict, certificate, facts, **fields
) -> SigningCertificate:
    """Store a certificate row with the facts read from it and audit it; 409 when it is already stored."""
    try:
        with transaction.atomic():
            row = SigningCertificate.objects.create(
                certificate_pem=crypto.to_pem(certificate),
                subject_cn=facts.subject_cn,
                issuer=facts.issuer,
                serial=facts.serial,
                fingerprint_sha256=facts.fingerprint_sha256,
                not_before=facts.not_before,
                not_after=facts.not_after,
                **fields,
            )
            audit_record(
                actor=actor, action=action, object_type="signing_certificate", object_id=row.pk, data=audit_data
            )
    except IntegrityError:
        raise DomainError(_("Chứng thư số này đã được nạp vào hệ thống."), code="certificate_exists", status=409)
    return row


def certificate_register_external(
    *,
    actor: User,
    certificate_pem: str,
    backend: str,
    backend_config: dict | None = None,
    label: str = "",
    owner: User | None = None,
    agency: Agency | None = None,
) -> SigningCertificate:
    """Register a certificate whose key lives elsewhere (USB token, HSM, remote service); admin only."""
    if not user_is_signing_admin(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới khai báo thiết bị ký."))
    if owner is None and agency is None:
        raise DomainError(_("Cần chọn cán bộ hoặc cơ quan giữ chứng thư."), code="certificate_holder_required")
    try:
        signer_class(backend)
    except (ImportError, TypeError, ValueError):
        raise DomainError(_("Kiểu ký “%(backend)s” không tồn tại.") % {"backend": backend}, code="signer_unknown")
    try:
        cert = crypto.load_certificate(certificate_pem)
    except ValueError:
        raise DomainError(_("Chứng thư không đúng định dạng PEM hoặc DER."), code="certificate_invalid", status=422)
    facts = crypto.facts(cert)
    return _certificate_create(
        actor=actor,
        action="signing.certificate_registered",
        audit_data={"backend": backend},
        certificate=cert,
        facts=facts,
        owner=owner if agency is None else None,
        agency=agency,
        label=(label or facts.subject_cn)[:MAX_LABEL],
        backend=backend,
        backend_config=backend_config or {},
    )


def _change(*, actor: User, certificate: SigningCertificate, action: str) -> SigningCertificate:
    with transaction.atomic():
        try:
            locked = row_lock(SigningCertificate, certificate.pk, related=("owner",))
        except NotFound:
            raise NotFound(_("Không tìm thấy chứng thư số."), code="certificate_not_found") from None
        standing = {HOLDER} if locked.owner_id == actor.pk else set()
        if user_is_signing_admin(actor):
            standing.add(ADMIN)
        state = certificate_state(locked)
        if not MACHINE.roles_for(action) & standing:
            # Someone else's certificate does not exist for this actor.
            raise NotFound(_("Không tìm thấy chứng thư số."), code="certificate_not_found")
        target = MACHINE.target(state, action)
        if target is None:
            raise DomainError(
                _("Chứng thư số đã bị thu hồi hoặc ngừng dùng, không thực hiện được thao tác này."),
                code="certificate_state",
                status=409,
                details={"state": state},
            )
        locked.is_active = False
        fields = ["is_active", "updated_at"]
        if target == "revoked":
            locked.revoked_at = timezone.now()
            fields.append("revoked_at")
        locked.save(update_fields=fields)
        audit_record(
            actor=actor, action=f"signing.certificate_{action}d", object_type="signing_certificate", object_id=locked.pk
        )
    return locked


def certificate_deactivate(*, actor: User, certificate: SigningCertificate) -> SigningCertificate:
    return _change(actor=actor, certificate=certificate, action="deactivate")


def certificate_revoke(*, actor: User, certificate: SigningCertificate) -> SigningCertificate:
    return _change(actor=actor, certificate=certificate, action="revoke")


def trust_root_add(*, actor: User, pem_or_der: bytes | str, name: str = "", is_demo: bool = False) -> TrustRoot:
    """Trust a CA certificate (PEM or DER). Raises 403 for non-admins, 422 `trust_root_invalid`,
    422 `trust_root_not_ca`, 409 `trust_root_exists`."""
    if not user_is_signing_admin(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới thêm chứng thư gốc tin cậy."))
    try:
        cert = crypto.load_certificate(pem_or_der)
    except ValueError:
        raise DomainError(
            _("Tệp không phải chứng thư số hợp lệ (PEM hoặc DER)."), code="trust_root_invalid", status=422
        )
    facts = crypto.facts(cert)
    if not facts.is_ca:
        raise DomainError(
            _("Chứng thư này không phải của tổ chức cấp chứng thư (CA)."), code="trust_root_not_ca", status=422
        )
    try:
        with transaction.atomic():
            root = TrustRoot.objects.create(
                name=(" ".join(name.split()) or facts.subject_cn)[:200],
                certificate_pem=crypto.to_pem(cert),
                subject=facts.subject,
                fingerprint_sha256=facts.fingerprint_sha256,
                not_after=facts.not_after,
                is_demo=is_demo,
            )
            audit_record(
                actor=actor,
                action="signing.trust_root_added",
                object_type="trust_root",
                object_id=root.pk,
                data={"fingerprint": facts.fingerprint_sha256, "is_demo": is_demo},
            )
    except IntegrityError:
        raise DomainError(_("Chứng thư gốc này đã có trong danh sách tin cậy."), code="trust_root_exists", status=409)
    return root


def trust_root_deactivate(*, actor: User, root: TrustRoot) -> TrustRoot:
    if not user_is_signing_admin(actor):
        raise PermissionDenied(_("Chỉ quản trị hệ thống mới đổi danh sách tin cậy."))
    with transaction.atomic():
        locked = TrustRoot.objects.select_for_update().get(pk=root.pk)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active", "updated_at"])
            audit_record(
                actor=actor, action="signing.trust_root_deactivated", object_type="trust_root", object_id=locked.pk
            )
    return locked
