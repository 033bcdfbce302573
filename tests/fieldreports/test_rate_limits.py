"""Reports sent without an account: hourly limits per client address and per phone (settings
FIELDREPORT_ANON_PER_ADDRESS_HOUR = 20, FIELDREPORT_ANON_PER_PHONE_HOUR = 5), pages and Open311 answer 429."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.core.errors import DomainError
from motcua.fieldreports.models import FieldReport

from .conftest import POINT_A

pytestmark = pytest.mark.django_db

PHONE = "0912345678"


@pytest.fixture(autouse=True)
def _frozen(throttle_clock):
    return throttle_clock


@pytest.fixture
def send(categories, commune_a, agency_a, service_area):
    from motcua.fieldreports.services.submit import report_submit

    def send(*, address="198.51.100.1", phone="", anonymous=False, **extra) -> str:
        values = {
            "category": categories["rac-thai"],
            "description": "Rác đổ trộm ven kênh.",
            "lat": POINT_A[0],
            "lon": POINT_A[1],
            "unit": commune_a,
            "anonymous": anonymous,
            "reporter_phone": phone,
            "client_address": address,
            **extra,
        }
        try:
            report_submit(**values)
        except DomainError as exc:
            return exc.code
        return "ok"

    return send


def test_defaults(settings):
    assert settings.FIELDREPORT_ANON_PER_PHONE_HOUR == 5
    assert settings.FIELDREPORT_ANON_PER_ADDRESS_HOUR == 20


def test_five_per_phone_then_refused_whatever_the_spelling(send):
    for n in range(4):
        assert send(phone=PHONE, address=f"10.0.{n}.1") == "ok"
    assert send(phone="+84 912 345 678", address="10.0.4.1") == "ok"  # the 5th
    assert send(phone="0912 345 678", address="10.0.5.1") == "too_many_reports"  # the 6th
    assert send(phone="0987654321", address="10.0.6.1") == "ok"
    assert FieldReport.objects.count() == 6


def test_phone_message_and_status(send, categories, commune_a):
    from motcua.fieldreports.services.submit import report_submit

    for n in range(5):
        send(phone=PHONE, address=f"10.0.{n}.1")
    with pytest.raises(DomainError) as exc:
        report_submit(category=categories["rac-thai"], description="x", lat=POINT_A[0], lon=POINT_A[1],
                      unit=commune_a, reporter_phone=PHONE, client_address="10.9.9.9")
    assert exc.value.status == 429
    assert exc.value.message == (
        "Số điện thoại này đã gửi quá nhiều phản ánh trong một giờ. Vui lòng thử lại sau 60 phút."
    )


def test_the_hour_passes(send, throttle_clock):
    for n in range(5):
        send(phone=PHONE, address=f"10.0.{n}.1")
    throttle_clock.advance(3599)
    assert send(phone=PHONE, address="10.1.0.1") == "too_many_reports"
    throttle_clock.advance(1)
    assert send(phone=PHONE, address="10.1.0.1") == "ok"


def test_twenty_per_address_then_refused(send):
    for _ in range(19):
        assert send(anonymous=True) == "ok"
    assert send(anonymous=True) == "ok"  # the 20th
    assert send(anonymous=True) == "too_many_reports"  # the 21st
    assert send(anonymous=True, address="198.51.100.2") == "ok"


def test_refused_by_the_address_does_not_spend_the_phone(send):
    for _ in range(20):
        send(anonymous=True)
    assert send(phone=PHONE) == "too_many_reports"
    for n in range(5):
        assert send(phone=PHONE, address=f"10.2.{n}.1") == "ok"


def test_a_report_refused_for_its_content_gives_its_count_back(send):
    fake = SimpleUploadedFile("anh.jpg", b"khong phai anh", content_type="image/jpeg")
    for n in range(4):
        assert send(phone=PHONE, address=f"10.0.{n}.1") == "ok"
    assert send(phone=PHONE, media=[fake]) == "media_type_invalid"
    assert send(phone=PHONE, address="10.0.7.1") == "ok"  # the 5th real one
    assert send(phone=PHONE, address="10.0.8.1") == "too_many_reports"


def test_signed_in_reporters_are_not_counted(send, citizen):
    for _ in range(21):
        assert send(reporter=citizen, phone=PHONE) == "ok"


def test_page_shows_the_message_with_429(client, categories, commune_a, agency_a, service_area, settings):
    settings.FIELDREPORT_ANON_PER_ADDRESS_HOUR = 2
    data = {
        "category": "rac-thai",
        "description": "Rác đổ trộm ven kênh, bốc mùi.",
        "lat": f"{POINT_A[0]}",
        "lon": f"{POINT_A[1]}",
        "unit": str(commune_a.pk),
        "anonymous": "1",
    }
    for _ in range(2):
        assert client.post(reverse("fieldreports:submit"), data).status_code == 302
    response = client.post(reverse("fieldreports:submit"), data)
    assert response.status_code == 429
    assert "Đã có quá nhiều phản ánh gửi từ nơi này trong một giờ" in response.content.decode()
    assert FieldReport.objects.count() == 2
