"""Which certificates chain to a demo (test) root: those signatures are shown as having no legal value.

A demo root is a TrustRoot with `is_demo` (the demo loader makes them). It stays a trust root, so
the demo's signatures verify, but the public page, the visible stamp and the API say
"chứng thư thử nghiệm, không có giá trị pháp lý" instead of "người ký được tin cậy".
The check is a direct issuance check (the demo CA issues leaf certificates itself).
"""

from __future__ import annotations

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from django.utils.translation import gettext_lazy

from motcua.signing import crypto
from motcua.signing.models import TrustRoot

DEMO_LABEL = gettext_lazy("Chứng thư thử nghiệm, không có giá trị pháp lý")


def demo_roots() -> list[x509.Certificate]:
    return [
        crypto.load_certificate(pem)
        for pem in TrustRoot.objects.filter(is_demo=True).values_list("certificate_pem", flat=True)
    ]


def issued_by_any(cert: x509.Certificate, roots: list[x509.Certificate]) -> bool:
    for root in roots:
        if cert == root:
            return True
        if cert.issuer != root.subject:
            continue
        try:
            cert.verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):  # another key or algorithm: not this root
            continue
        return True
    return False


def certificate_is_demo(pem: str, roots: list[x509.Certificate] | None = None) -> bool:
    """Whether the certificate in `pem` is a demo root or was issued by one (active or not)."""
    roots = demo_roots() if roots is None else roots
    if not roots:
        return False
    return issued_by_any(crypto.load_certificate(pem), roots)
