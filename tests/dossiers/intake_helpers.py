"""Shared set-up for the intake tests: a commune with its committee and desk, a procedure with
two required documents, a citizen living there, and real files (PDF, JPEG, PNG)."""

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from motcua.catalog.models import Procedure, RequiredDocument
from motcua.core.models import Agency, OneStopOffice, Role, User
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    OfficeFactory,
    OfficerFactory,
    ProcedureFactory,
    grant,
)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@dataclass
class World:
    commune: object
    agency: Agency
    office: OneStopOffice
    procedure: Procedure
    form: RequiredDocument
    id_copy: RequiredDocument
    optional: RequiredDocument
    citizen: User
    receptionist: User


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, media) -> World:
    commune = CommuneFactory()
    agency = AgencyFactory(unit=commune, code="000.00.31.H12")
    office = OfficeFactory(agency=agency)
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    form = RequiredDocument.objects.create(procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh")
    id_copy = RequiredDocument.objects.create(
        procedure=procedure, order=2, name="Giấy chứng sinh", reusable_digitised=True
    )
    optional = RequiredDocument.objects.create(
        procedure=procedure, order=3, name="Văn bản ủy quyền", condition="Trường hợp nộp thay"
    )
    citizen = CitizenUserFactory(person__unit=commune, person__address="Ấp 1, xã Thử Nghiệm")
    receptionist = OfficerFactory()
    grant(receptionist, Role.RECEPTIONIST, agency=agency)
    return World(commune, agency, office, procedure, form, id_copy, optional, citizen, receptionist)
