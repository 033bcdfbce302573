"""The official forms as real PDFs: text read back with pypdf, the receipt's QR decoded with zxing-cpp."""

import datetime
import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from motcua.core.errors import DomainError
from motcua.dossiers import forms_pdf
from motcua.dossiers.models import (
    ApologyLetter,
    DossierDocument,
    DossierEvent,
    DossierStatus,
    DossierStep,
    SupplementRequest,
)
from motcua.dossiers.selectors.lookup import lookup_url
from tests.dossiers.conftest import MONDAY_10

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def dossier(make_dossier, procedure, agency_a, specialist_a):
    dossier = make_dossier(
        status=DossierStatus.PROCESSING,
        channel="counter",
        received_at=MONDAY_10,
        due_at=MONDAY_10 + 3 * DAY,
    )
    for required in procedure.documents.all():
        DossierDocument.objects.create(
            dossier=dossier, required_document=required, name=required.name, paper_received=True
        )
    step = DossierStep.objects.create(
        dossier=dossier,
        order=1,
        kind="appraise",
        name="Thẩm định hồ sơ",
        role="specialist",
        agency=agency_a,
        assignee=specialist_a,
        duration_days=2,
        state=DossierStep.State.DONE,
        started_at=MONDAY_10,
        due_at=MONDAY_10 + 2 * DAY,
        finished_at=MONDAY_10 + DAY,
    )
    DossierEvent.objects.create(dossier=dossier, action="appraise", step=step, actor=specialist_a)
    return dossier


def test_receipt_text_and_qr(dossier):
    pdf = forms_pdf.receipt_pdf(dossier)
    text = _flat(_text(pdf))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text.upper()
    assert "Mẫu số 01" in text
    assert "UBND XÃ TÂN THÀNH" in text
    for expected in (
        dossier.code,
        "Trần Thị Mai",
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "Nhận tại bộ phận một cửa",
        "10 giờ 00 phút, ngày 16 tháng 03 năm 2026",
    ):
        assert expected in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    images = list(page.images)
    assert len(images) == 1
    image = Image.open(io.BytesIO(images[0].data)).convert("L")
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [lookup_url(dossier.code)]
    assert results[0].text.endswith(f"/ho-so/tra-cuu/?code={dossier.code}")


def test_supplement_request(dossier, specialist_a):
    with pytest.raises(DomainError) as missing:
        forms_pdf.supplement_request_pdf(dossier)
    assert missing.value.code == "form_not_available"
    SupplementRequest.objects.create(
        dossier=dossier, items=["Bản sao giấy chứng nhận kết hôn"], requested_by=specialist_a
    )
    text = _flat(_text(forms_pdf.supplement_request_pdf(dossier)))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text.upper()
    assert "Bản sao giấy chứng nhận kết hôn" in text and dossier.code in text and "Mẫu số 02" in text


def test_refusal(dossier, receptionist_a):
    DossierEvent.objects.create(
        dossier=dossier,
        action="refuse_intake",
        to_status="not_received",
        note="Hồ sơ không thuộc thẩm quyền giải quyết của xã.",
        actor=receptionist_a,
    )
    text = _flat(_text(forms_pdf.refusal_pdf(dossier)))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text.upper()
    assert "Hồ sơ không thuộc thẩm quyền giải quyết của xã." in text and "Trần Thị Mai" in text


def test_apology(dossier, leader_a):
    ApologyLetter.objects.create(
        dossier=dossier,
        reason="Cần xác minh thêm thông tin hộ tịch.",
        new_due_at=MONDAY_10 + 7 * DAY,
        drafted_by=leader_a,
    )
    text = _flat(_text(forms_pdf.apology_pdf(dossier)))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text.upper()
    assert "Cần xác minh thêm thông tin hộ tịch." in text and "ngày 23 tháng 03 năm 2026" in text


def test_control_slip(dossier):
    text = _flat(_text(forms_pdf.control_slip_pdf(dossier)))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text.upper()
    assert "Thẩm định hồ sơ" in text and "Đúng hạn" in text and "specialist a" in text


def test_tracking_book_is_landscape(dossier, office_a):
    pdf = forms_pdf.tracking_book_pdf(
        office=office_a, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31)
    )
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert page.mediabox.width > page.mediabox.height
    text = _flat(_text(pdf))
    assert "SỔ THEO DÕI HỒ SƠ" in text.upper() and dossier.code in text and "Trần Thị Mai" in text


def test_form_views_access(client, dossier, citizen, receptionist_a, receptionist_b):
    receipt = reverse("dossiers:form_pdf", args=[dossier.code, "giay-tiep-nhan"])
    control = reverse("dossiers:form_pdf", args=[dossier.code, "kiem-soat"])
    client.force_login(citizen)
    response = client.get(receipt)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(control).status_code == 404  # internal form: officers only
    assert client.get(reverse("dossiers:form_pdf", args=[dossier.code, "xin-loi"])).status_code == 409
    client.force_login(receptionist_a)
    assert client.get(control).status_code == 200
    book = client.get(reverse("dossiers:tracking_book"), {"from": "2026-03-01", "to": "2026-03-31"})
    assert book.status_code == 200 and dossier.code in _text(book.content)
    client.force_login(receptionist_b)
    assert client.get(receipt).status_code == 404
    assert client.get(reverse("dossiers:tracking_book"), {"office": dossier.office_id}).status_code == 404
