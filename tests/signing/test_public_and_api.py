"""Public verification pages and the signing API (Django test client, real PDFs)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.dossiers.services.results import dossier_result_upload
from motcua.signing.services.signing import pdf_sign
from tests.signing.conftest import PASSPHRASE, p12_for, result_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_result(received_dossier, leader_cert, leader_a, sample_pdf):
    return pdf_sign(
        pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_a, kind="result", dossier=received_dossier
    )


def _upload(client, data: bytes, name="van-ban.pdf", url=None):
    return client.post(url or reverse("verify:home"), {"file": SimpleUploadedFile(name, data)})


def test_verify_page_renders_for_anyone(client):
    response = client.get(reverse("verify:home"))
    assert response.status_code == 200
    assert "Xác thực văn bản ký số" in response.content.decode()


def test_upload_of_signed_copy_is_valid_and_names_the_dossier(client, signed_result, trust_root, received_dossier):
    response = _upload(client, signed_result.file.read())
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="valid"' in body
    assert received_dossier.code in body and received_dossier.procedure.name in body
    assert "Nguyễn Văn Lãnh Đạo" in body
    # No personal data of the applicant on a public page.
    assert received_dossier.applicant_name not in body
    if received_dossier.applicant_phone:
        assert received_dossier.applicant_phone not in body
    assert "trùng khớp từng byte" in body


def test_tampered_upload_shows_invalid(client, signed_result, trust_root):
    data = bytearray(signed_result.file.read())
    position = data.index(b"\n") + 2
    data[position] ^= 0x01
    body = _upload(client, bytes(data)).content.decode()
    assert 'data-verdict="invalid"' in body
    assert "KHÔNG hợp lệ" in body
    assert "KHÁC với bản đã đăng ký" in body


def test_untrusted_and_unsigned_and_not_pdf(client, signed_result, sample_pdf):
    assert 'data-verdict="untrusted"' in _upload(client, signed_result.file.read()).content.decode()
    assert 'data-verdict="unsigned"' in _upload(client, sample_pdf).content.decode()
    response = _upload(client, b"\x89PNG\r\n\x1a\nnot a pdf", name="anh.pdf")
    assert response.status_code == 400 and "không phải tệp PDF" in response.content.decode()
    response = client.post(reverse("verify:home"), {})
    assert response.status_code == 400 and "Vui lòng chọn tệp" in response.content.decode()


def test_too_large_upload_is_refused(client, settings):
    settings.UPLOAD_MAX_MB = 1
    response = _upload(client, b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))
    assert response.status_code == 400 and "quá lớn" in response.content.decode()


def test_broken_pdf_is_a_message_not_a_500(client):
    response = _upload(client, b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF")
    assert response.status_code == 200
    assert 'data-verdict="unreadable"' in response.content.decode() or 'data-verdict="unsigned"' in (
        response.content.decode()
    )


def test_token_page_and_download(client, signed_result, trust_root, received_dossier):
    response = client.get(reverse("verify:token", args=[signed_result.verify_token]))
    body = response.content.decode()
    assert response.status_code == 200 and 'data-verdict="valid"' in body and received_dossier.code in body
    download = client.get(reverse("verify:download", args=[signed_result.verify_token]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == signed_result.file.read()
    assert client.get(reverse("verify:token", args=["khong-co-ma-nay"])).status_code == 404
    assert client.get(reverse("verify:download", args=["khong-co-ma-nay"])).status_code == 404


# --- API ---------------------------------------------------------------------------------------


def test_api_verify_pdf_and_token(client, signed_result, trust_root):
    response = client.post("/api/v1/verify/pdf", {"file": SimpleUploadedFile("a.pdf", signed_result.file.read())})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"] == "valid" and body["ok"] and body["is_registered_copy"]
    assert body["registered"]["dossier_code"] == signed_result.dossier.code
    assert body["signatures"][0]["signer_name"] == "Nguyễn Văn Lãnh Đạo"
    response = client.get(f"/api/v1/verify/{signed_result.verify_token}")
    assert response.status_code == 200 and response.json()["verdict"] == "valid"
    response = client.get("/api/v1/verify/khong-co")
    assert response.status_code == 404 and response.json()["code"] == "signed_document_not_found"


def test_api_verify_rejects_non_pdf(client):
    response = client.post("/api/v1/verify/pdf", {"file": SimpleUploadedFile("a.pdf", b"hello")})
    assert response.status_code == 415 and response.json()["code"] == "file_not_pdf"


def test_api_certificates_upload_and_list(client, leader_a, ca):
    client.force_login(leader_a)
    response = client.post(
        "/api/v1/signing/certificates",
        {"file": SimpleUploadedFile("a.p12", p12_for(ca, "API Ký")), "passphrase": PASSPHRASE, "label": "api"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["subject_cn"] == "API Ký" and response.json()["usable"]
    response = client.post(
        "/api/v1/signing/certificates",
        {"file": SimpleUploadedFile("a.p12", p12_for(ca, "Sai")), "passphrase": "sai"},
    )
    assert response.status_code == 422 and response.json()["code"] == "pkcs12_invalid"
    listing = client.get("/api/v1/signing/certificates").json()
    assert [c["subject_cn"] for c in listing] == ["API Ký"]


def test_api_requires_login_and_officer(client, citizen):
    assert client.get("/api/v1/signing/certificates").status_code == 401
    client.force_login(citizen)
    assert client.get("/api/v1/signing/certificates").status_code == 403


def test_api_leader_signs_result(client, received_dossier, specialist_a, leader_a, leader_b, leader_cert, sample_pdf):
    document = dossier_result_upload(actor=specialist_a, dossier=received_dossier, upload=result_file(sample_pdf))
    url = f"/api/v1/signing/dossiers/{received_dossier.code}/results/{document.pk}/sign"
    client.force_login(leader_b)
    assert client.post(url).status_code == 404
    client.force_login(leader_a)
    response = client.post(url)
    assert response.status_code == 200, response.content
    assert response.json()["verify_url"].startswith("https://dichvucong.camau.test/xac-thuc/")
    again = client.post(url)
    assert again.status_code == 409 and again.json()["code"] == "already_signed"


def test_openapi_lists_the_signing_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/verify/pdf", "/api/v1/verify/{token}", "/api/v1/signing/certificates"):
        assert path in paths


def test_public_checks_are_throttled_per_client(client, sample_pdf, settings):
    from motcua.signing.services.verify_uploads import VERIFY_MAX_PER_WINDOW

    for _ in range(VERIFY_MAX_PER_WINDOW):
        assert _upload(client, sample_pdf).status_code == 200
    response = _upload(client, sample_pdf)
    assert response.status_code == 429 and "quá nhiều" in response.content.decode()
    api = client.post("/api/v1/verify/pdf", {"file": SimpleUploadedFile("a.pdf", sample_pdf)})
    assert api.status_code == 429 and api.json()["code"] == "too_many_checks"
