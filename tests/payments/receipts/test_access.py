"""Who sees which receipt, on pages and in the API; the public page shows no personal data."""

import pytest
from django.urls import reverse

from motcua.payments.models import ReceiptStatus
from tests.factories import CitizenUserFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt_a(pay, receipt_of, agency_a):
    return receipt_of(pay(agency=agency_a))


@pytest.fixture
def receipt_b(pay, receipt_of, agency_b):
    return receipt_of(pay(agency=agency_b))


@pytest.fixture
def stranger(commune_a):
    return CitizenUserFactory(person=PersonFactory(unit=commune_a, full_name="Lê Văn Khách"))


def test_officer_list_shows_only_their_communes_receipts(client, receipt_a, receipt_b, receptionist_a):
    client.force_login(receptionist_a)
    body = client.get(reverse("receipts:officer_list")).content.decode()
    assert reverse("receipts:detail", args=[receipt_a.pk]) in body
    assert reverse("receipts:detail", args=[receipt_b.pk]) not in body
    assert "150.000" in body and "0000001" in body
    detail = client.get(reverse("receipts:detail", args=[receipt_a.pk])).content.decode()
    assert "100.000" in detail and "Một trăm năm mươi nghìn đồng" in detail


def test_officer_list_filters_by_status_and_period(client, receipt_a, pay, receipt_of, cashier_a):
    from motcua.payments.receipts.services import receipt_cancel

    other = receipt_of(pay())
    receipt_cancel(receipt=other, actor=cashier_a, reason="Thu nhầm")
    client.force_login(cashier_a)
    body = client.get(reverse("receipts:officer_list"), {"status": ReceiptStatus.CANCELLED}).content.decode()
    assert reverse("receipts:detail", args=[other.pk]) in body
    assert reverse("receipts:detail", args=[receipt_a.pk]) not in body
    body = client.get(reverse("receipts:officer_list"), {"from": "2000-01-01", "to": "2000-01-31"}).content.decode()
    assert reverse("receipts:detail", args=[receipt_a.pk]) not in body


def test_officer_list_pages(client, pay, receipt_of, receptionist_a, monkeypatch, settings):
    settings.RECEIPT_PDF_ON_ISSUE = False  # fifty-odd PDFs are not what this test is about
    monkeypatch.setattr("motcua.payments.receipts.views.PAGE_SIZE", 2)
    receipts = [receipt_of(pay()) for _ in range(3)]
    client.force_login(receptionist_a)
    first = client.get(reverse("receipts:officer_list")).content.decode()
    second = client.get(reverse("receipts:officer_list"), {"page": 2}).content.decode()
    assert reverse("receipts:detail", args=[receipts[2].pk]) in first and "page=2" in first
    assert reverse("receipts:detail", args=[receipts[0].pk]) in second
    assert reverse("receipts:detail", args=[receipts[0].pk]) not in first


def test_other_communes_officer_gets_404(client, receipt_a, receptionist_b, cashier_b):
    for user in (receptionist_b, cashier_b):
        client.force_login(user)
        for name in ("detail", "pdf"):
            assert client.get(reverse(f"receipts:{name}", args=[receipt_a.pk])).status_code == 404
        assert client.post(reverse("receipts:cancel", args=[receipt_a.pk]), {"reason": "x"}).status_code == 404
        assert client.get(f"/api/v1/receipts/{receipt_a.pk}").status_code == 404
        assert (
            client.post(
                f"/api/v1/receipts/{receipt_a.pk}/cancel", {"reason": "x"}, content_type="application/json"
            ).status_code
            == 404
        )
    receipt_a.refresh_from_db()
    assert receipt_a.status == ReceiptStatus.ISSUED


def test_citizen_sees_only_their_own(client, receipt_a, citizen, stranger):
    client.force_login(citizen)
    assert client.get(reverse("receipts:detail", args=[receipt_a.pk])).status_code == 200
    response = client.get(reverse("receipts:pdf", args=[receipt_a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    page = client.get(reverse("receipts:dossier", args=[receipt_a.dossier.code]))
    assert page.status_code == 200 and reverse("receipts:pdf", args=[receipt_a.pk]) in page.content.decode()
    assert [r["id"] for r in client.get("/api/v1/receipts").json()["items"]] == [receipt_a.pk]
    # A citizen is not an officer: no officer list, no cancel.
    assert client.get(reverse("receipts:officer_list")).status_code == 404
    assert (
        client.post(
            f"/api/v1/receipts/{receipt_a.pk}/cancel", {"reason": "x"}, content_type="application/json"
        ).status_code
        == 403
    )

    client.force_login(stranger)
    assert client.get(reverse("receipts:detail", args=[receipt_a.pk])).status_code == 404
    assert client.get(reverse("receipts:pdf", args=[receipt_a.pk])).status_code == 404
    assert client.get(reverse("receipts:dossier", args=[receipt_a.dossier.code])).status_code == 404
    assert client.get("/api/v1/receipts").json()["items"] == []
    assert client.get(f"/api/v1/receipts/{receipt_a.pk}").json()["code"] == "receipt_not_found"


def test_anonymous_is_sent_to_login_and_api_says_401(client, receipt_a):
    assert client.get(reverse("receipts:detail", args=[receipt_a.pk])).status_code == 302
    assert client.get("/api/v1/receipts").status_code == 401


def test_public_page_masks_the_payer(client, receipt_a):
    body = client.get(reverse("receipts:verify", args=[receipt_a.verify_token])).content.decode()
    assert "T*** T** M**" in body
    for private in ("Trần Thị Mai", receipt_a.payer_personal_id, receipt_a.payer_address, receipt_a.dossier.code):
        assert private not in body
    data = client.get(f"/api/v1/receipts/verify/{receipt_a.verify_token}").json()
    assert data["genuine"] and data["status"] == "issued" and data["payer_masked"] == "T*** T** M**"
    assert data["number"] == "0000001" and data["amount"] == 150000
    assert "Trần" not in str(data)
    assert client.get("/api/v1/receipts/verify/nope").json()["code"] == "receipt_not_found"


def test_cashier_cancels_and_replaces_on_the_page(client, receipt_a, cashier_a):
    client.force_login(cashier_a)
    page = client.get(reverse("receipts:detail", args=[receipt_a.pk])).content.decode()
    assert reverse("receipts:cancel", args=[receipt_a.pk]) in page
    response = client.post(
        reverse("receipts:replace", args=[receipt_a.pk]), {"reason": "Sai tên", "payer_name": "Trần Thị Mai Anh"}
    )
    assert response.status_code == 302
    receipt_a.refresh_from_db()
    new = receipt_a.replaced_by
    assert response.url == reverse("receipts:detail", args=[new.pk])
    assert receipt_a.status == ReceiptStatus.REPLACED and new.payer_name == "Trần Thị Mai Anh"
    # Missing reason: the form says so, nothing changes.
    response = client.post(reverse("receipts:cancel", args=[new.pk]), {"reason": ""})
    assert response.status_code == 400
    # Cancelling the already replaced one: a message, not a 500.
    response = client.post(reverse("receipts:cancel", args=[receipt_a.pk]), {"reason": "Thu nhầm"})
    assert response.status_code == 409
    new.refresh_from_db()
    assert new.status == ReceiptStatus.ISSUED


def test_non_cashier_officer_sees_no_forms(client, receipt_a, receptionist_a):
    client.force_login(receptionist_a)
    page = client.get(reverse("receipts:detail", args=[receipt_a.pk])).content.decode()
    assert reverse("receipts:cancel", args=[receipt_a.pk]) not in page
    response = client.post(reverse("receipts:cancel", args=[receipt_a.pk]), {"reason": "Thu nhầm"})
    assert response.status_code == 403


def test_api_get_pdf_cancel_replace(client, receipt_a, cashier_a):
    client.force_login(cashier_a)
    data = client.get(f"/api/v1/receipts/{receipt_a.pk}").json()
    assert data["number"] == "0000001" and data["amount_in_words"] == "Một trăm năm mươi nghìn đồng"
    assert data["verify_url"].endswith(f"/bien-lai/{receipt_a.verify_token}/")
    pdf = client.get(f"/api/v1/receipts/{receipt_a.pk}/pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    bad = client.post(
        f"/api/v1/receipts/{receipt_a.pk}/replace",
        {"reason": "Sai", "items": [{"name": "Phí", "amount": 1}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["code"] == "receipt_amount_mismatch"
    missing = client.post(f"/api/v1/receipts/{receipt_a.pk}/cancel", {"reason": " "}, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["code"] == "reason_required"

    new = client.post(
        f"/api/v1/receipts/{receipt_a.pk}/replace",
        {"reason": "Sai tên", "payer_name": "Mai Anh"},
        content_type="application/json",
    )
    assert new.status_code == 201
    new = new.json()
    assert new["replaces_id"] == receipt_a.pk and new["number"] == "0000002" and new["payer_name"] == "Mai Anh"
    assert client.get(f"/api/v1/receipts/{receipt_a.pk}").json()["replaced_by_id"] == new["id"]

    cancelled = client.post(
        f"/api/v1/receipts/{new['id']}/cancel", {"reason": "Thu nhầm"}, content_type="application/json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/receipts/{new['id']}/cancel", {"reason": "Thu nhầm"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "receipt_not_issued"

    listed = client.get("/api/v1/receipts", {"status": "cancelled"}).json()
    assert [r["id"] for r in listed["items"]] == [new["id"]] and listed["count"] == 1


def test_openapi_lists_the_receipt_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for expected in (
        "/api/v1/receipts",
        "/api/v1/receipts/{receipt_id}",
        "/api/v1/receipts/{receipt_id}/pdf",
        "/api/v1/receipts/{receipt_id}/cancel",
        "/api/v1/receipts/{receipt_id}/replace",
        "/api/v1/receipts/verify/{token}",
    ):
        assert expected in paths
