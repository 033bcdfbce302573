"""Signing fixtures: a throw-away CA made with `cryptography` (EC P-256, fast), PKCS#12 bundles, a PDF."""

import io

import pytest

from motcua.signing import pki
from motcua.signing.services.certificates import certificate_import_pkcs12, trust_root_add
from tests.dossiers import conftest as dossier_fixtures
from tests.factories import UserFactory

# The dossier fixtures, re-exported so pytest finds them in this directory.
_fast_passwords = dossier_fixtures._fast_passwords
agency_a = dossier_fixtures.agency_a
agency_b = dossier_fixtures.agency_b
citizen = dossier_fixtures.citizen
commune_a = dossier_fixtures.commune_a
commune_b = dossier_fixtures.commune_b
leader_a = dossier_fixtures.leader_a
leader_b = dossier_fixtures.leader_b
make_dossier = dossier_fixtures.make_dossier
make_received_dossier = dossier_fixtures.make_received_dossier
office_a = dossier_fixtures.office_a
office_b = dossier_fixtures.office_b
officers = dossier_fixtures.officers
procedure = dossier_fixtures.procedure
province = dossier_fixtures.province
receptionist_a = dossier_fixtures.receptionist_a
received_dossier = dossier_fixtures.received_dossier
specialist_a = dossier_fixtures.specialist_a

PASSPHRASE = "mật-khẩu-123"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_BASE_URL = "https://dichvucong.camau.test"


@pytest.fixture(scope="session")
def ca():
    return pki.make_ca("Test Root CA", org="motcua tests")


@pytest.fixture(scope="session")
def rogue_ca():
    return pki.make_ca("Rogue CA", org="not trusted")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True, is_officer=True)


@pytest.fixture
def trust_root(admin_user, ca):
    return trust_root_add(actor=admin_user, pem_or_der=ca.pem)


def p12_for(ca, cn: str, *, passphrase: str = PASSPHRASE, **kwargs) -> bytes:
    return pki.to_pkcs12(pki.make_leaf(ca, cn, **kwargs), ca, passphrase)


@pytest.fixture
def leader_cert(leader_a, ca):
    return certificate_import_pkcs12(
        actor=leader_a, data=p12_for(ca, "Nguyễn Văn Lãnh Đạo"), passphrase=PASSPHRASE, label="Chữ ký lãnh đạo"
    )


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    from weasyprint import HTML

    html = (
        "<html lang=vi><meta charset=utf-8><style>@page{size:A4;margin:2cm} body{font-family:'Noto Sans'}</style>"
        "<h1>QUYẾT ĐỊNH</h1><p>Về việc cấp giấy chứng nhận đăng ký khai sinh cho công dân Trần Thị Mai.</p></html>"
    )
    return HTML(string=html).write_pdf()


def result_file(pdf: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ket-qua.pdf", pdf, content_type="application/pdf")


def as_upload(data: bytes, name: str = "tep.pdf"):
    handle = io.BytesIO(data)
    handle.name = name
    return handle
