"""Shared fixtures for field-report tests (core; pages/ and open311/ inherit them).

Names are stable; add, do not rename:

- `province` (Cà Mau, 96) with its `service_area` (approximate outline, data/service_area_96.json).
- `commune_a`, `commune_b`; `agency_a`, `agency_b` their People's Committees; `police_a`.
- `categories`: the default tree loaded from data/categories.json, as {code: ReportCategory}.
- `handler_a`, `handler_b`: REPORT_HANDLER officers of agency A / B.
- `supervisor_a`: MANAGER over commune A; `province_manager`: MANAGER over the province.
- `citizen`, `citizen2`: citizen accounts with a Person.
- `make_report(**overrides)`: a report through `report_submit` (default: citizen, rac-thai,
  commune A, POINT_A); overrides are report_submit keyword arguments.
- `jpeg_with_gps(...)`, `png_bytes()`, `mp4_bytes()`: upload contents.
- MEDIA_ROOT is a temporary directory in every test.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from motcua.core.models import AgencyKind, Role
from motcua.fieldreports.services.setup import categories_load, service_area_load
from motcua.fieldreports.services.submit import report_submit
from tests.factories import AgencyFactory, CitizenUserFactory, CommuneFactory, OfficerFactory, ProvinceFactory, grant

# Cà Mau town centre and Bạc Liêu town: both inside the province outline.
POINT_A = (9.1769, 105.1524)
POINT_B = (9.2850, 105.7244)
# Rạch Giá (An Giang province since 2025): outside.
OUTSIDE = (10.0124, 105.0809)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db):
    return ProvinceFactory()


@pytest.fixture
def service_area(province):
    return service_area_load(province=province)


@pytest.fixture
def commune_a(province):
    return CommuneFactory(parent=province, name="Phường An Xuyên")


@pytest.fixture
def commune_b(province):
    return CommuneFactory(parent=province, name="Phường Bạc Liêu")


@pytest.fixture
def agency_a(commune_a):
    return AgencyFactory(unit=commune_a)


@pytest.fixture
def agency_b(commune_b):
    return AgencyFactory(unit=commune_b)


@pytest.fixture
def police_a(commune_a):
    return AgencyFactory(unit=commune_a, kind=AgencyKind.COMMUNE_POLICE, name="Công an phường An Xuyên")


@pytest.fixture
def categories(db):
    from motcua.fieldreports.models import ReportCategory

    categories_load()
    return {c.code: c for c in ReportCategory.objects.all()}


def _officer(role, **scope):
    user = OfficerFactory()
    grant(user, role, **scope)
    return user


@pytest.fixture
def handler_a(agency_a):
    return _officer(Role.REPORT_HANDLER, agency=agency_a)


@pytest.fixture
def handler_b(agency_b):
    return _officer(Role.REPORT_HANDLER, agency=agency_b)


@pytest.fixture
def supervisor_a(commune_a):
    return _officer(Role.MANAGER, unit=commune_a)


@pytest.fixture
def province_manager(province):
    return _officer(Role.MANAGER, unit=province)


@pytest.fixture
def citizen(commune_a):
    return CitizenUserFactory(person__unit=commune_a)


@pytest.fixture
def citizen2(commune_a):
    return CitizenUserFactory(person__unit=commune_a)


def jpeg_with_gps(*, size=(64, 48), lat=(9, 10, 37), name="anh.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: tuple(float(v) for v in lat), 3: "E", 4: (105.0, 9.0, 8.0)}
    exif[0x8825] = gps
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/jpeg")


def png_bytes(size=(32, 32)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (0, 120, 0, 255)).save(buf, "PNG")
    return buf.getvalue()


def mp4_bytes(extra: int = 64) -> bytes:
    # A minimal ISO BMFF header: size, 'ftyp', major brand, minor version, compatible brands.
    return (24).to_bytes(4, "big") + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2" + b"\x00" * extra


@pytest.fixture
def make_report(categories, commune_a, agency_a, citizen, service_area):
    def make(**overrides):
        values = {
            "category": categories["rac-thai"],
            "description": "Rác tồn đọng nhiều ngày trước chợ.",
            "lat": POINT_A[0],
            "lon": POINT_A[1],
            "unit": commune_a,
            "reporter": citizen,
        }
        values.update(overrides)
        return report_submit(**values)

    return make
