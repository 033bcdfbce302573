"""Reads for signing: who sees which certificates, and what the public may learn about a signed document."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.models import Role
from motcua.core.selectors.rows import row_get_by_id
from motcua.signing.models import SignedDocument, SigningCertificate


def user_is_signing_admin(user) -> bool:
    """Administrators manage agency seals and trust roots (and see every certificate)."""
    if user is None or not scope.is_signed_in(user):
        return False
    return user.is_superuser or scope.has_role(user, [Role.ADMINISTRATOR])


def certificates_for(user) -> QuerySet[SigningCertificate]:
    """An officer sees the certificates issued to them; administrators see all of them."""
    if user is None or not user.is_authenticated:
        return SigningCertificate.objects.none()
    qs = SigningCertificate.objects.select_related("owner", "agency").order_by("-created_at")
    if user_is_signing_admin(user):
        return qs
    return qs.filter(owner=user)


def own_certificates(user) -> QuerySet[SigningCertificate]:
    return (
        SigningCertificate.objects.filter(owner=user).order_by("-created_at")
        if user.is_authenticated
        else (SigningCertificate.objects.none())
    )


def certificate_get_for(user, certificate_id) -> SigningCertificate:
    return row_get_by_id(
        certificates_for(user), certificate_id, code="certificate_not_found", message=_("Không tìm thấy chứng thư số.")
    )


def public_facts(document: SignedDocument | None) -> dict | None:
    """What a stranger holding the file may see: kind, dossier code and procedure, who signed. No applicant data."""
    if document is None:
        return None
    dossier = document.dossier
    receipt = document.receipt
    return {
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "dossier_code": dossier.code if dossier else "",
        "procedure_name": dossier.procedure.name if dossier else "",
        "receipt_number": f"{receipt.series.form} {receipt.series.symbol} {receipt.number:07d}" if receipt else "",
        "signer_name": document.signer_name,
        "signed_at": document.signed_at,
        "sha256": document.sha256,
        "token": document.verify_token,
    }
