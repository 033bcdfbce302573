"""Key material at rest and certificate facts, with `cryptography` only (no Django models here).

PKCS#12 bundles are kept re-encrypted with Fernet under a key derived (HKDF-SHA256) from
`settings.SIGNING_KEY`, never under the passphrase the officer typed: the passphrase is not
stored, so the server can sign later without asking for it again.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

_HKDF_INFO = b"motcua/signing/pkcs12-at-rest/v1"


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        settings.SIGNING_KEY.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def unseal(token: bytes) -> bytes:
    """Raise ValueError when the stored bundle cannot be decrypted (the signing key changed)."""
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken as exc:
        raise ValueError("stored PKCS#12 bundle cannot be decrypted with the current signing key") from exc


@dataclass(frozen=True)
class Bundle:
    key: object
    certificate: x509.Certificate
    chain: list[x509.Certificate]

    def to_pkcs12(self) -> bytes:
        """The bundle without a passphrase (it is sealed with Fernet before it is stored)."""
        return pkcs12.serialize_key_and_certificates(
            b"motcua", self.key, self.certificate, self.chain or None, serialization.NoEncryption()
        )


def load_pkcs12(data: bytes, passphrase: str | bytes | None) -> Bundle:
    """Raise ValueError for a wrong passphrase or data that is not PKCS#12."""
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, passphrase or None)
    except Exception as exc:  # cryptography raises ValueError or TypeError depending on the fault
        if passphrase is None:
            # Bundles protected by an empty password are common; try that before giving up.
            try:
                key, cert, chain = pkcs12.load_key_and_certificates(data, b"")
            except Exception:
                raise ValueError(str(exc)) from exc
        else:
            raise ValueError(str(exc)) from exc
    return Bundle(key=key, certificate=cert, chain=list(chain or []))


def load_certificate(data: bytes | str) -> x509.Certificate:
    """A certificate from PEM or DER; ValueError otherwise."""
    if isinstance(data, str):
        data = data.encode("ascii", "ignore")
    data = bytes(data).strip()
    if data.startswith(b"-----BEGIN"):
        return x509.load_pem_x509_certificate(data)
    return x509.load_der_x509_certificate(data)


def to_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    if values:
        return str(values[0].value)
    return name.rfc4514_string()


def readable_name(name: x509.Name) -> str:
    """The name as people read it: CN first, then the organisation, without OIDs."""
    parts = []
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.ORGANIZATION_NAME, NameOID.COUNTRY_NAME):
        parts += [str(a.value) for a in name.get_attributes_for_oid(oid)]
    return ", ".join(parts) or name.rfc4514_string()


@dataclass(frozen=True)
class CertFacts:
    subject_cn: str
    subject: str
    issuer: str
    serial: str
    fingerprint_sha256: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    is_ca: bool


def facts(cert: x509.Certificate) -> CertFacts:
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    return CertFacts(
        subject_cn=common_name(cert.subject)[:255],
        subject=readable_name(cert.subject)[:500],
        issuer=readable_name(cert.issuer)[:500],
        serial=format(cert.serial_number, "x")[:64],
        fingerprint_sha256=fingerprint(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        is_ca=is_ca,
    )
