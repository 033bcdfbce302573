"""A leader signs a dossier's result end to end; the citizen downloads the signed file; scope holds."""

import hashlib

import pytest
from django.urls import reverse

from motcua.core.errors import DomainError, NotFound
from motcua.dossiers.models import DocumentKind, DossierEvent, DossierStatus
from motcua.dossiers.services.results import dossier_result_upload
from motcua.signing.models import SignedDocument
from motcua.signing.services.signing import result_sign
from motcua.signing.services.verify import pdf_verify
from tests.signing.conftest import result_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def result_doc(received_dossier, specialist_a, sample_pdf):
    return dossier_result_upload(actor=specialist_a, dossier=received_dossier, upload=result_file(sample_pdf))


def _sign_url(dossier, document):
    return reverse("signing:result_sign", kwargs={"code": dossier.code, "document_id": document.pk})


def test_officer_page_shows_the_sign_button_to_the_leader_only(
    client, received_dossier, result_doc, leader_a, specialist_a, leader_cert
):
    page = reverse("dossiers:officer_detail", kwargs={"code": received_dossier.code})
    client.force_login(leader_a)
    body = client.get(page).content.decode()
    assert _sign_url(received_dossier, result_doc) in body and "Ký số" in body
    client.force_login(specialist_a)
    assert _sign_url(received_dossier, result_doc) not in client.get(page).content.decode()


def test_leader_signs_result_and_citizen_downloads_the_signed_file(
    client, received_dossier, result_doc, leader_a, leader_cert, trust_root, citizen, sample_pdf
):
    original = result_doc.file.name
    client.force_login(leader_a)
    response = client.post(_sign_url(received_dossier, result_doc), follow=True)
    assert response.status_code == 200
    assert "Đã ký số văn bản kết quả" in response.content.decode()
    assert "đã ký số" in response.content.decode()  # the badge replaces the button

    result_doc.refresh_from_db()
    signed_row = SignedDocument.objects.get(document=result_doc)
    assert signed_row.kind == "result" and signed_row.dossier == received_dossier
    assert signed_row.signed_by == leader_a and signed_row.sha256 == result_doc.sha256
    assert result_doc.file.name != original
    event = DossierEvent.objects.get(dossier=received_dossier, action="sign_result")
    assert event.data["original"]["sha256"] == hashlib.sha256(sample_pdf).hexdigest()
    assert event.data["original"]["file"] == original  # the unsigned original is kept
    from django.core.files.storage import default_storage

    assert default_storage.exists(original)

    # Resolve the dossier so the citizen may see the result, then download it as the citizen.
    type(received_dossier).objects.filter(pk=received_dossier.pk).update(status=DossierStatus.RESOLVED)
    client.force_login(citizen)
    download = client.get(reverse("dossiers:document_download", args=[received_dossier.code, result_doc.pk]))
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert hashlib.sha256(data).hexdigest() == signed_row.sha256
    verdict = pdf_verify(pdf_bytes=data)
    assert verdict.verdict == "valid" and verdict.signed_document == signed_row


def test_signing_twice_is_refused(received_dossier, result_doc, leader_a, leader_cert):
    result_sign(actor=leader_a, dossier=received_dossier, document_id=result_doc.pk)
    with pytest.raises(DomainError) as info:
        result_sign(actor=leader_a, dossier=received_dossier, document_id=result_doc.pk)
    assert info.value.code == "already_signed"


def test_specialist_may_not_sign(received_dossier, result_doc, specialist_a):
    with pytest.raises(DomainError) as info:
        result_sign(actor=specialist_a, dossier=received_dossier, document_id=result_doc.pk)
    assert info.value.status == 403


def test_leader_without_certificate_is_told_where_to_get_one(received_dossier, result_doc, leader_a):
    with pytest.raises(DomainError) as info:
        result_sign(actor=leader_a, dossier=received_dossier, document_id=result_doc.pk)
    assert info.value.code == "no_certificate" and "Chữ ký số" in info.value.message


def test_leader_of_another_commune_cannot_sign_or_see(client, received_dossier, result_doc, leader_b, ca):
    from motcua.signing.services.certificates import certificate_import_pkcs12
    from tests.signing.conftest import PASSPHRASE, p12_for

    certificate_import_pkcs12(actor=leader_b, data=p12_for(ca, "Lãnh Đạo B"), passphrase=PASSPHRASE, label="")
    with pytest.raises(NotFound):
        result_sign(actor=leader_b, dossier=received_dossier, document_id=result_doc.pk)
    client.force_login(leader_b)
    assert client.post(_sign_url(received_dossier, result_doc)).status_code == 404
    assert not SignedDocument.objects.exists()


def test_citizen_cannot_sign(client, received_dossier, result_doc, citizen):
    client.force_login(citizen)
    assert client.post(_sign_url(received_dossier, result_doc)).status_code == 404


def test_only_result_documents_are_signed(received_dossier, leader_a, leader_cert):
    other = received_dossier.documents.exclude(kind=DocumentKind.RESULT).first()
    with pytest.raises(NotFound):
        result_sign(actor=leader_a, dossier=received_dossier, document_id=other.pk if other else 999999)


def test_returned_dossier_result_is_not_resigned(received_dossier, result_doc, leader_a, leader_cert):
    type(received_dossier).objects.filter(pk=received_dossier.pk).update(status=DossierStatus.RETURNED)
    received_dossier.refresh_from_db()
    with pytest.raises(DomainError) as info:
        result_sign(actor=leader_a, dossier=received_dossier, document_id=result_doc.pk)
    assert info.value.code == "result_sign_not_allowed"
