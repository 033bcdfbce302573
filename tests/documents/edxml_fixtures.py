"""Fixtures of the exchange and layout tests: two agencies with document offices, leaders holding
certificates from a throw-away trusted CA, and each agency's seal. Imported by the test modules."""

import datetime

import pytest
from django.utils import timezone

from motcua.documents.models import DocumentOffice, DocumentType, OutgoingDocument
from motcua.signing import pki
from motcua.signing.services.certificates import certificate_import_pkcs12, trust_root_add
from tests.dossiers import conftest as dossier_fixtures
from tests.factories import UserFactory

PASSPHRASE = "mat-khau-thu"

_fast_passwords = dossier_fixtures._fast_passwords
agency_a = dossier_fixtures.agency_a
agency_b = dossier_fixtures.agency_b
commune_a = dossier_fixtures.commune_a
commune_b = dossier_fixtures.commune_b
leader_a = dossier_fixtures.leader_a
leader_b = dossier_fixtures.leader_b
officers = dossier_fixtures.officers
province = dossier_fixtures.province


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "https://dichvucong.camau.test"


@pytest.fixture(scope="session")
def ca():
    return pki.make_ca("Test Root CA", org="motcua tests")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True, is_officer=True)


@pytest.fixture
def trusted(admin_user, ca):
    return trust_root_add(actor=admin_user, pem_or_der=ca.pem)


def _p12(ca, cn: str) -> bytes:
    return pki.to_pkcs12(pki.make_leaf(ca, cn), ca, PASSPHRASE)


@pytest.fixture
def signing_setup(trusted, admin_user, ca, agency_a, agency_b, leader_a, leader_b):
    """Both leaders hold personal certificates, both agencies a seal, both a document office."""
    leader_a.first_name, leader_a.last_name = "An", "Nguyễn Văn"
    leader_a.save(update_fields=["first_name", "last_name"])
    for agency, leader, abbreviation in ((agency_a, leader_a, "UBND"), (agency_b, leader_b, "UBND")):
        certificate_import_pkcs12(
            actor=leader, data=_p12(ca, leader.get_full_name() or leader.username), passphrase=PASSPHRASE, label="Ký"
        )
        certificate_import_pkcs12(
            actor=admin_user, data=_p12(ca, agency.name), passphrase=PASSPHRASE, label="Con dấu", agency=agency
        )
        DocumentOffice.objects.get_or_create(agency=agency, defaults={"abbreviation": abbreviation, "head": leader})
    return {"a": agency_a, "b": agency_b}


def outgoing(agency, signer, *, code="15/QĐ-UBND", number=15, type_code="QĐ", **extra) -> OutgoingDocument:
    fields = dict(
        agency=agency,
        doc_type=DocumentType.objects.get(code=type_code),
        year=2026,
        number=number,
        code=code,
        title="Quyết định về việc thành lập tổ công nghệ số cộng đồng ấp 3",
        summary="Về việc thành lập tổ công nghệ số cộng đồng ấp 3",
        body="Căn cứ Luật Tổ chức chính quyền địa phương;\nĐiều 1. Thành lập tổ công nghệ số cộng đồng ấp 3.",
        signer=signer,
        signer_position="CHỦ TỊCH",
        recipients_text="Như Điều 3;\nUBND xã Lý Văn Lâm;",
        status="issued",
        issued_at=timezone.make_aware(datetime.datetime(2026, 12, 7, 9, 0)),
    )
    fields.update(extra)
    return OutgoingDocument.objects.create(**fields)
