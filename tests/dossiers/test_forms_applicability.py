"""Which official forms apply to a dossier is decided once (`forms_pdf.forms_available`): the
citizen's page and the API never offer a form that would answer 409, form 01 is not produced for a
dossier that was refused or not yet received, form 04 writes its date properly, form 02 gives the
desk's phone."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.core.errors import DomainError
from motcua.dossiers import forms_pdf
from motcua.dossiers.models import ApologyLetter, DossierEvent, DossierStatus, SupplementRequest
from tests.dossiers.conftest import TZ

pytestmark = pytest.mark.django_db

RECEIVED_AT = datetime.datetime(2026, 12, 3, 8, 20, tzinfo=TZ)
SLUG_IN_URL = re.compile(r"/bieu-mau/([a-z-]+)\.pdf")


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def received(make_dossier):
    return make_dossier(
        status=DossierStatus.PROCESSING,
        received_at=RECEIVED_AT,
        due_at=RECEIVED_AT + datetime.timedelta(days=3),
    )


@pytest.fixture
def refused(make_dossier, receptionist_a):
    dossier = make_dossier(status=DossierStatus.NOT_RECEIVED)
    DossierEvent.objects.create(
        dossier=dossier,
        action="refuse_intake",
        to_status=DossierStatus.NOT_RECEIVED,
        note="Sai thẩm quyền",
        actor=receptionist_a,
    )
    return dossier


def _slugs(dossier, officer=False) -> list[str]:
    return [slug for slug, _label in forms_pdf.forms_available(dossier, officer=officer)]


def test_registered_dossier_has_no_form(make_dossier):
    dossier = make_dossier(status=DossierStatus.REGISTERED)
    assert _slugs(dossier) == [] and _slugs(dossier, officer=True) == []
    with pytest.raises(DomainError) as info:
        forms_pdf.receipt_pdf(dossier)
    assert info.value.code == "form_not_available" and info.value.status == 409
    assert "chưa được tiếp nhận" in info.value.message


def test_refused_dossier_gets_the_refusal_form_only(refused):
    assert _slugs(refused) == ["tu-choi"]
    with pytest.raises(DomainError):
        forms_pdf.receipt_pdf(refused)
    with pytest.raises(DomainError):
        forms_pdf.control_slip_pdf(refused)


def test_received_dossier_forms_grow_with_what_happened(received, specialist_a, leader_a):
    assert _slugs(received) == ["giay-tiep-nhan"]
    assert _slugs(received, officer=True) == ["giay-tiep-nhan", "kiem-soat"]
    SupplementRequest.objects.create(dossier=received, items=["Giấy chứng sinh"], requested_by=specialist_a)
    ApologyLetter.objects.create(
        dossier=received,
        reason="Cần xác minh",
        new_due_at=RECEIVED_AT + datetime.timedelta(days=7),
        drafted_by=leader_a,
    )
    assert _slugs(received) == ["giay-tiep-nhan", "yeu-cau-bo-sung", "xin-loi"]


def test_citizen_page_links_only_forms_that_open(client, citizen, received, refused):
    client.force_login(citizen)
    for dossier, expected in ((received, ["giay-tiep-nhan"]), (refused, ["tu-choi"])):
        page = client.get(reverse("dossiers:detail", args=[dossier.code])).content.decode()
        linked = SLUG_IN_URL.findall(page)
        assert linked == expected
        for slug in linked:
            assert client.get(reverse("dossiers:form_pdf", args=[dossier.code, slug])).status_code == 200


def test_pdf_endpoint_refuses_form_01_for_a_refused_dossier_with_a_message(client, citizen, refused):
    client.force_login(citizen)
    response = client.get(reverse("dossiers:form_pdf", args=[refused.code, "giay-tiep-nhan"]))
    assert response.status_code == 409
    assert "chưa được tiếp nhận hoặc đã bị từ chối tiếp nhận" in response.content.decode()


def test_api_lists_the_same_forms(client, citizen, received, receptionist_a):
    client.force_login(citizen)
    body = client.get(f"/api/v1/dossiers/{received.code}").json()
    assert [f["slug"] for f in body["forms"]] == ["giay-tiep-nhan"]
    assert body["forms"][0]["url"] == reverse("dossiers:form_pdf", args=[received.code, "giay-tiep-nhan"])
    client.force_login(receptionist_a)
    body = client.get(f"/api/v1/dossiers/{received.code}").json()
    assert [f["slug"] for f in body["forms"]] == ["giay-tiep-nhan", "kiem-soat"]


def test_form_01_uses_the_received_time(received):
    assert "08 giờ 20 phút, ngày 03 tháng 12 năm 2026" in _text(forms_pdf.receipt_pdf(received))


def test_form_04_writes_the_date_without_a_stray_ngay(received, leader_a):
    ApologyLetter.objects.create(
        dossier=received,
        reason="Cần xác minh",
        new_due_at=RECEIVED_AT + datetime.timedelta(days=7),
        drafted_by=leader_a,
    )
    text = _text(forms_pdf.apology_pdf(received))
    assert "08 giờ 20 phút, ngày 03 tháng 12 năm 2026, " in text
    assert "Ngày 08 giờ" not in text


def test_form_02_gives_the_desk_phone(received, specialist_a, office_a, agency_a):
    SupplementRequest.objects.create(dossier=received, items=["Giấy chứng sinh"], requested_by=specialist_a)
    office_a.phone = "0290 3831234"
    office_a.save(update_fields=["phone"])
    assert "số điện thoại: 0290 3831234" in _text(forms_pdf.supplement_request_pdf(received))
    # No phone on the office: the agency's.
    office_a.phone = ""
    office_a.save(update_fields=["phone"])
    agency_a.phone = "0290 3839999"
    agency_a.save(update_fields=["phone"])
    received.refresh_from_db()
    assert "số điện thoại: 0290 3839999" in _text(forms_pdf.supplement_request_pdf(received))
