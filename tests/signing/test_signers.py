"""The pluggable signer seam: a certificate whose key is elsewhere signs through its own class."""

import hashlib

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from pyhanko.sign import signers as pyhanko_signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from motcua.core.errors import DomainError
from motcua.signing import pki
from motcua.signing.services.certificates import certificate_register_external
from motcua.signing.services.signing import pdf_sign
from motcua.signing.services.verify import pdf_verify
from motcua.signing.signers import Pkcs12Signer, Signer, signer_for

pytestmark = pytest.mark.django_db


class FakeRemoteService:
    """Stands in for an HSM or a remote signing service: holds keys, signs digests it is sent."""

    keys: dict[str, object] = {}
    seen: list[bytes] = []

    @classmethod
    def sign_digest(cls, key_id: str, digest: bytes) -> bytes:
        cls.seen.append(digest)
        return cls.keys[key_id].sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))


class _DigestOnly(pyhanko_signers.Signer):
    def __init__(self, *, key_id: str, **kwargs):
        super().__init__(**kwargs)
        self.key_id = key_id

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        assert digest_algorithm == "sha256"
        # Only the digest leaves this process, as with a remote signing service.
        return FakeRemoteService.sign_digest(self.key_id, hashlib.sha256(data).digest())


class DigestOnlySigner(Signer):
    def pyhanko_signer(self):
        pem = self.certificate.certificate_pem.encode()
        cert = asn1_x509.Certificate.load(x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER))
        chain = [asn1_x509.Certificate.load(bytes.fromhex(h)) for h in self.certificate.backend_config.get("chain", [])]
        return _DigestOnly(
            key_id=self.certificate.backend_config["key_id"],
            signing_cert=cert,
            cert_registry=SimpleCertificateStore.from_certs(chain),
        )


@pytest.fixture
def remote_certificate(admin_user, leader_a, ca):
    leaf = pki.make_leaf(ca, "Ký Từ Xa")
    FakeRemoteService.keys["k1"] = leaf.key
    FakeRemoteService.seen.clear()
    return certificate_register_external(
        actor=admin_user,
        certificate_pem=leaf.pem,
        backend=f"{__name__}.DigestOnlySigner",
        backend_config={"key_id": "k1", "chain": [ca.cert.public_bytes(serialization.Encoding.DER).hex()]},
        owner=leader_a,
    )


def test_registry_picks_the_class(leader_cert, remote_certificate):
    assert isinstance(signer_for(leader_cert), Pkcs12Signer)
    assert isinstance(signer_for(remote_certificate), DigestOnlySigner)


def test_external_signer_signs_a_valid_pades(sample_pdf, remote_certificate, leader_a, trust_root):
    row = pdf_sign(pdf_bytes=sample_pdf, certificate=remote_certificate, actor=leader_a, kind="form")
    assert FakeRemoteService.seen and all(len(d) == 32 for d in FakeRemoteService.seen)
    result = pdf_verify(pdf_bytes=row.file.read())
    assert result.verdict == "valid", result.signatures and result.signatures[0].problems
    assert result.signatures[0].signer_name == "Ký Từ Xa"


def test_unknown_backend_is_refused(admin_user, leader_a, ca):
    with pytest.raises(DomainError) as info:
        certificate_register_external(
            actor=admin_user, certificate_pem=pki.make_leaf(ca, "X").pem, backend="no.such.Signer", owner=leader_a
        )
    assert info.value.code == "signer_unknown"


def test_personal_certificate_signs_only_for_its_holder(sample_pdf, leader_cert, leader_b):
    with pytest.raises(DomainError) as info:
        pdf_sign(pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_b, kind="result")
    assert info.value.status == 403


def test_revoked_certificate_does_not_sign(sample_pdf, leader_cert, leader_a):
    from motcua.signing.services.certificates import certificate_revoke

    certificate_revoke(actor=leader_a, certificate=leader_cert)
    leader_cert.refresh_from_db()
    with pytest.raises(DomainError) as info:
        pdf_sign(pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_a, kind="result")
    assert info.value.code == "certificate_unusable"


def test_signature_by_a_later_revoked_certificate_is_not_ok(sample_pdf, leader_cert, leader_a, trust_root):
    from django.utils import timezone

    from motcua.signing.models import SigningCertificate

    row = pdf_sign(pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_a, kind="result")
    # Revoked before the time the file claims it was signed: the claim cannot be trusted.
    SigningCertificate.objects.filter(pk=leader_cert.pk).update(
        revoked_at=row.signed_at - timezone.timedelta(minutes=5), is_active=False
    )
    result = pdf_verify(pdf_bytes=row.file.read())
    assert result.signatures[0].cert_revoked and not result.ok


def test_not_a_pdf_is_refused(leader_cert, leader_a):
    with pytest.raises(DomainError) as info:
        pdf_sign(pdf_bytes=b"PK\x03\x04zip", certificate=leader_cert, actor=leader_a, kind="result")
    assert info.value.code == "pdf_invalid"
    with pytest.raises(DomainError) as info:
        pdf_sign(pdf_bytes=b"%PDF-1.7\ngarbage", certificate=leader_cert, actor=leader_a, kind="result")
    assert info.value.code == "pdf_invalid"


def test_changed_signing_key_gives_a_clear_error(sample_pdf, leader_cert, leader_a, settings):
    settings.SIGNING_KEY = "rotated-without-re-import"
    with pytest.raises(DomainError) as info:
        pdf_sign(pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_a, kind="result")
    assert info.value.code == "certificate_key_unavailable" and "nạp lại" in info.value.message
