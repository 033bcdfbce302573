"""Intake API: create, upload, submit; JSON errors with codes; idempotency."""

import pytest

from motcua.core.models import Role
from motcua.dossiers.models import Dossier, DossierDocument
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes, upload
from tests.factories import OfficerFactory, PersonFactory, grant

# Shared fixtures (see intake_helpers).
media = intake_helpers.media
world = intake_helpers.world

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, world):
    client.force_login(world.citizen)
    return client


def _create(api, world, **extra):
    headers = extra.pop("headers", {})
    body = {"procedure": world.procedure.code, **extra}
    return api.post("/api/v1/dossiers", body, content_type="application/json", headers=headers)


def _upload(api, ref, required_document, content, name="a.pdf"):
    return api.post(
        f"/api/v1/dossiers/{ref}/documents", {"required_document": required_document, "file": upload(name, content)}
    )


def test_create_upload_submit(api, world):
    created = _create(api, world, result_delivery="electronic")
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft" and draft["code"] is None
    assert [m["name"] for m in draft["missing"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert _upload(api, draft["id"], world.form.pk, pdf_bytes()).status_code == 201
    doc = _upload(api, draft["id"], world.id_copy.pk, image_bytes("PNG"), "chung-sinh.pdf")
    assert doc.status_code == 201 and doc.json()["content_type"] == "image/png"
    submitted = api.post(f"/api/v1/dossiers/{draft['id']}/submit")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["status"] == "registered" and body["code"].startswith("000.00.31.H12-")
    assert body["missing"] == [] and body["result_delivery"] == "electronic"
    # Submitting again is harmless.
    assert api.post(f"/api/v1/dossiers/{body['code']}/submit").json()["code"] == body["code"]


def test_submit_with_missing_documents_is_422(api, world):
    draft = _create(api, world).json()
    response = api.post(f"/api/v1/dossiers/{draft['id']}/submit")
    assert response.status_code == 422
    assert response.json()["code"] == "missing_documents"
    assert "Hồ sơ còn thiếu giấy tờ bắt buộc" in response.json()["message"]
    assert Dossier.objects.get().status == "draft"


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"van ban thuong", 415, "file_type_not_allowed"),
        (b"%PDF-1.7\n1 0 obj\n", 422, "file_corrupt"),
    ],
)
def test_upload_errors(api, world, media, content, status, code):
    draft = _create(api, world).json()
    response = _upload(api, draft["id"], world.form.pk, content, "anh.jpg")
    assert response.status_code == status
    assert response.json()["code"] == code
    assert DossierDocument.objects.count() == 0
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_upload_too_large(api, world, settings):
    settings.UPLOAD_MAX_MB = 1
    draft = _create(api, world).json()
    content = pdf_bytes()
    response = _upload(api, draft["id"], world.form.pk, content[:-6] + b" " * 1_100_000 + content[-6:])
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"


def test_idempotency_key_header(api, world):
    first = _create(api, world, headers={"Idempotency-Key": "abc-1"})
    second = _create(api, world, headers={"Idempotency-Key": "abc-1"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Dossier.objects.count() == 1


def test_someone_elses_dossier_is_not_found(api, world, client):
    draft = _create(api, world).json()
    other = OfficerFactory()
    client.force_login(other)
    response = _upload(client, draft["id"], world.form.pk, pdf_bytes())
    assert response.status_code == 404


def test_anonymous_is_401(client, world):
    response = client.post("/api/v1/dossiers", {"procedure": world.procedure.code}, content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_assisted_without_consent_is_refused(client, world):
    helper = OfficerFactory()
    grant(helper, Role.OUTREACH_MEMBER, unit=world.commune)
    person = PersonFactory(unit=world.commune)
    client.force_login(helper)
    body = {"procedure": world.procedure.code, "applicant": {"person_id": person.pk}}
    response = client.post("/api/v1/dossiers", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "consent_required"
    # A time without zone is read as local time.
    body["consent"] = {"text": "Bà A đồng ý cho tổ CNSCĐ nộp thay.", "how": "verbal", "at": "2026-01-05T09:00:00"}
    response = client.post("/api/v1/dossiers", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["channel"] == "assisted"
    dossier = Dossier.objects.get()
    assert dossier.submitted_by == helper and dossier.consent_at.isoformat() == "2026-01-05T02:00:00+00:00"


def test_error_codes_are_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/dossiers/{ref}/documents"]["post"]
    assert {"201", "413", "415", "422"} <= set(operation["responses"])
    assert "file_type_not_allowed" in operation["description"] or "file_type_not_allowed" in str(schema)
