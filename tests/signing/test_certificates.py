"""Importing PKCS#12 bundles, sealing them at rest, trust roots, and the certificate lifecycle."""

import datetime

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.urls import reverse

from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import AuditEvent
from motcua.signing import crypto, pki
from motcua.signing.models import SigningCertificate, TrustRoot
from motcua.signing.services.certificates import (
    certificate_deactivate,
    certificate_import_pkcs12,
    certificate_revoke,
    trust_root_add,
)
from tests.signing.conftest import PASSPHRASE, p12_for

pytestmark = pytest.mark.django_db


def test_import_fills_facts_and_seals_the_bundle(leader_a, ca):
    data = p12_for(ca, "Nguyễn Văn Lãnh Đạo", org="UBND xã Tân Thành")
    cert = certificate_import_pkcs12(actor=leader_a, data=data, passphrase=PASSPHRASE, label="  Ký   chính ")
    assert cert.owner == leader_a and cert.agency is None and cert.backend == "pkcs12"
    assert cert.label == "Ký chính"
    assert cert.subject_cn == "Nguyễn Văn Lãnh Đạo"
    assert cert.issuer.startswith("Test Root CA")
    assert len(cert.fingerprint_sha256) == 64 and cert.serial
    assert cert.not_before < cert.not_after
    stored = bytes(cert.pkcs12_encrypted)
    assert data not in stored and PASSPHRASE.encode() not in stored
    key, leaf, _chain = pkcs12.load_key_and_certificates(crypto.unseal(stored), None)
    assert key is not None and crypto.fingerprint(leaf) == cert.fingerprint_sha256
    assert AuditEvent.objects.filter(action="signing.certificate_imported", object_id=str(cert.pk)).exists()


def test_bundle_with_a_malformed_extension_is_refused_not_a_500(leader_a):
    """cryptography parses extensions lazily: a broken BasicConstraints must be a 422, not a ValueError."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import NoEncryption
    from cryptography.x509.oid import ExtensionOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hỏng")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=10))
        .add_extension(x509.UnrecognizedExtension(ExtensionOID.BASIC_CONSTRAINTS, b"\x01\x02"), critical=False)
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(b"x", key, cert, None, NoEncryption())
    with pytest.raises(DomainError) as info:
        certificate_import_pkcs12(actor=leader_a, data=data, passphrase=None, label="")
    assert info.value.code == "pkcs12_invalid" and info.value.status == 422
    assert not SigningCertificate.objects.exists()


def test_sealed_bundle_needs_the_signing_key(leader_cert, settings):
    settings.SIGNING_KEY = "another-key"
    with pytest.raises(ValueError):
        crypto.unseal(bytes(leader_cert.pkcs12_encrypted))


@pytest.mark.parametrize(
    "data,passphrase",
    [
        pytest.param(None, "sai-mat-khau", id="wrong-passphrase"),
        pytest.param(b"%PDF-1.7 not a bundle", PASSPHRASE, id="not-pkcs12"),
        pytest.param(b"", PASSPHRASE, id="empty"),
    ],
)
def test_bad_bundles_are_refused_in_vietnamese(leader_a, ca, data, passphrase):
    with pytest.raises(DomainError) as info:
        certificate_import_pkcs12(
            actor=leader_a, data=data if data is not None else p12_for(ca, "A"), passphrase=passphrase, label=""
        )
    assert info.value.code == "pkcs12_invalid" and info.value.status == 422
    assert "mật khẩu" in info.value.message
    assert not SigningCertificate.objects.exists()


def test_expired_certificate_is_refused(leader_a, ca):
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=400)
    data = pki.to_pkcs12(pki.make_leaf(ca, "Hết Hạn", days=30, not_before=past), ca, PASSPHRASE)
    with pytest.raises(DomainError) as info:
        certificate_import_pkcs12(actor=leader_a, data=data, passphrase=PASSPHRASE, label="")
    assert info.value.code == "certificate_not_valid_now"


def test_bundle_without_key_is_refused(leader_a, ca):
    from cryptography.hazmat.primitives import serialization

    data = pkcs12.serialize_key_and_certificates(
        b"x", None, None, [ca.cert], serialization.BestAvailableEncryption(PASSPHRASE.encode())
    )
    with pytest.raises(DomainError) as info:
        certificate_import_pkcs12(actor=leader_a, data=data, passphrase=PASSPHRASE, label="")
    assert info.value.code in {"pkcs12_no_key", "pkcs12_invalid"}


def test_same_certificate_twice_is_a_conflict(leader_a, ca):
    data = p12_for(ca, "Một Lần")
    certificate_import_pkcs12(actor=leader_a, data=data, passphrase=PASSPHRASE, label="")
    with pytest.raises(DomainError) as info:
        certificate_import_pkcs12(actor=leader_a, data=data, passphrase=PASSPHRASE, label="")
    assert info.value.code == "certificate_exists" and info.value.status == 409


def test_agency_seal_needs_an_administrator(leader_a, admin_user, agency_a, ca):
    data = p12_for(ca, "UBND xã Tân Thành")
    with pytest.raises(PermissionDenied):
        certificate_import_pkcs12(actor=leader_a, data=data, passphrase=PASSPHRASE, label="", agency=agency_a)
    seal = certificate_import_pkcs12(actor=admin_user, data=data, passphrase=PASSPHRASE, label="", agency=agency_a)
    assert seal.agency == agency_a and seal.owner is None


def test_officer_cannot_import_for_someone_else(leader_a, leader_b, ca):
    with pytest.raises(PermissionDenied):
        certificate_import_pkcs12(
            actor=leader_a, data=p12_for(ca, "B"), passphrase=PASSPHRASE, label="", owner=leader_b
        )


def test_citizen_cannot_hold_a_signing_certificate(citizen, ca):
    with pytest.raises(PermissionDenied):
        certificate_import_pkcs12(actor=citizen, data=p12_for(ca, "C"), passphrase=PASSPHRASE, label="")


def test_lifecycle_deactivate_then_revoke_then_nothing(leader_cert, leader_a):
    cert = certificate_deactivate(actor=leader_a, certificate=leader_cert)
    assert not cert.is_active and cert.revoked_at is None
    with pytest.raises(DomainError) as info:
        certificate_deactivate(actor=leader_a, certificate=cert)
    assert info.value.code == "certificate_state"
    cert = certificate_revoke(actor=leader_a, certificate=cert)
    assert cert.revoked_at is not None
    with pytest.raises(DomainError):
        certificate_revoke(actor=leader_a, certificate=cert)


def test_someone_elses_certificate_is_not_found(leader_cert, leader_b):
    with pytest.raises(NotFound):
        certificate_deactivate(actor=leader_b, certificate=leader_cert)


def test_trust_roots_admin_only_ca_only_no_duplicates(admin_user, leader_a, ca):
    from cryptography.hazmat.primitives import serialization

    with pytest.raises(PermissionDenied):
        trust_root_add(actor=leader_a, pem_or_der=ca.pem)
    root = trust_root_add(actor=admin_user, pem_or_der=ca.cert.public_bytes(serialization.Encoding.DER))
    assert root.is_active and root.name == "Test Root CA" and root.certificate_pem.startswith("-----BEGIN")
    with pytest.raises(DomainError) as info:
        trust_root_add(actor=admin_user, pem_or_der=ca.pem)
    assert info.value.code == "trust_root_exists"
    leaf = pki.make_leaf(ca, "Not a CA")
    with pytest.raises(DomainError) as info:
        trust_root_add(actor=admin_user, pem_or_der=leaf.pem)
    assert info.value.code == "trust_root_not_ca"
    with pytest.raises(DomainError) as info:
        trust_root_add(actor=admin_user, pem_or_der=b"rubbish")
    assert info.value.code == "trust_root_invalid"
    assert TrustRoot.objects.count() == 1


def test_officer_page_upload_and_list(client, leader_a, ca):
    client.force_login(leader_a)
    url = reverse("signing:certificates")
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {"file": SimpleUploadedFile("chu-ky.p12", p12_for(ca, "Lê Thị Ký")), "passphrase": PASSPHRASE, "label": "USB"},
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lê Thị Ký" in body and "Đang dùng" in body
    response = client.post(
        url, {"file": SimpleUploadedFile("x.p12", p12_for(ca, "Sai")), "passphrase": "sai"}, follow=True
    )
    assert "sai mật khẩu" in response.content.decode()


def test_officer_page_shows_only_own_certificates(client, leader_cert, leader_b):
    client.force_login(leader_b)
    body = client.get(reverse("signing:certificates")).content.decode()
    assert leader_cert.subject_cn not in body
    response = client.post(reverse("signing:certificate_deactivate", args=[leader_cert.pk]))
    assert response.status_code == 404
    leader_cert.refresh_from_db()
    assert leader_cert.is_active


def test_citizen_gets_no_certificate_page(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("signing:certificates")).status_code == 404


def test_admin_pages_render(client, admin_user, leader_cert, trust_root):
    client.force_login(admin_user)
    for name in ("signingcertificate", "trustroot", "signeddocument"):
        assert client.get(reverse(f"admin:signing_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:signing_trustroot_add")).status_code == 200
    assert client.get(reverse("admin:signing_signingcertificate_change", args=[leader_cert.pk])).status_code == 200


def test_admin_adds_a_trust_root_by_upload(client, admin_user, rogue_ca):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    response = client.post(
        reverse("admin:signing_trustroot_add"),
        {"name": "CA thử", "upload": SimpleUploadedFile("ca.pem", rogue_ca.pem.encode())},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TrustRoot.objects.get().name == "CA thử"
