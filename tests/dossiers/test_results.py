"""Result documents: the officer attaches the result PDF, applicant and officers download files through
an access-checked view, and a returned result is offered for reuse in the citizen's next submission."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.catalog.models import RequiredDocument
from motcua.core.errors import DomainError
from motcua.dossiers.models import DocumentKind, DossierDocument, DossierStatus, ResultDelivery
from motcua.dossiers.services import intake
from motcua.dossiers.services.results import dossier_result_upload
from motcua.dossiers.services.workflow import dossier_act
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import image_bytes, pdf_bytes, upload
from tests.factories import CitizenUserFactory, PersonFactory

media = intake_helpers.media

pytestmark = pytest.mark.django_db


def _resolve(dossier, specialist, leader):
    dossier = dossier_act(dossier=dossier, actor=specialist, action="appraise", note="Đủ điều kiện.")
    return dossier_act(dossier=dossier, actor=leader, action="approve")


def _download(dossier, document):
    return reverse("dossiers:document_download", args=[dossier.code, document.pk])


def test_result_upload_stores_a_digitised_result(media, received_dossier, receptionist_a):
    content = pdf_bytes()
    document = dossier_result_upload(
        actor=receptionist_a, dossier=received_dossier, upload=content, name="Trích lục khai sinh"
    )
    assert document.kind == DocumentKind.RESULT and document.is_digitised
    assert document.name == "Trích lục khai sinh" and document.content_type == "application/pdf"
    with document.file.open("rb") as handle:
        assert handle.read() == content
    assert received_dossier.events.filter(action="result_uploaded", public=False).exists()


def test_result_must_be_a_pdf_and_nothing_is_left_behind(media, received_dossier, receptionist_a):
    with pytest.raises(DomainError) as error:
        dossier_result_upload(actor=receptionist_a, dossier=received_dossier, upload=image_bytes("PNG"))
    assert error.value.code == "result_not_pdf" and error.value.status == 415
    assert not DossierDocument.objects.filter(kind=DocumentKind.RESULT).exists()
    assert not media.exists() or not any(media.rglob("*.*"))


def test_result_upload_refused_before_receipt_and_for_outsiders(media, make_dossier, received_dossier, officers):
    with pytest.raises(DomainError) as error:
        dossier_result_upload(actor=officers["a"]["receptionist"], dossier=make_dossier(), upload=pdf_bytes())
    assert error.value.code == "result_upload_not_allowed"
    with pytest.raises(DomainError) as error:
        dossier_result_upload(actor=officers["b"]["receptionist"], dossier=received_dossier, upload=pdf_bytes())
    assert error.value.code == "action_forbidden"


def test_download_access_and_headers(
    client, media, received_dossier, citizen, receptionist_a, specialist_a, leader_a, officers, commune_b
):
    result = dossier_result_upload(actor=receptionist_a, dossier=received_dossier, upload=pdf_bytes())
    url = _download(received_dossier, result)

    client.force_login(receptionist_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == 1

    # The applicant sees the result only once the dossier is resolved.
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    _resolve(received_dossier, specialist_a, leader_a)
    assert client.get(url).status_code == 200

    for outsider in (officers["b"]["receptionist"], CitizenUserFactory(person=PersonFactory(unit=commune_b))):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(receptionist_a)
    assert client.get(reverse("dossiers:document_download", args=[received_dossier.code, 999999])).status_code == 404


def test_pages_list_documents_with_download_links_and_upload_form(
    client, media, received_dossier, citizen, receptionist_a, specialist_a, leader_a
):
    client.force_login(receptionist_a)
    officer_url = reverse("dossiers:officer_detail", args=[received_dossier.code])
    page = client.get(officer_url).content.decode()
    assert reverse("dossiers:officer_result_upload", args=[received_dossier.code]) in page

    response = client.post(
        reverse("dossiers:officer_result_upload", args=[received_dossier.code]),
        {"name": "Giấy khai sinh (bản điện tử)", "file": upload("kq.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    result = DossierDocument.objects.get(dossier=received_dossier, kind=DocumentKind.RESULT)
    assert _download(received_dossier, result) in client.get(officer_url).content.decode()

    refused = client.post(
        reverse("dossiers:officer_result_upload", args=[received_dossier.code]),
        {"file": upload("kq.png", image_bytes("PNG"), "image/png")},
        follow=True,
    )
    assert "phải là tệp PDF" in refused.content.decode()

    _resolve(received_dossier, specialist_a, leader_a)
    client.force_login(citizen)
    page = client.get(received_dossier.get_absolute_url()).content.decode()
    assert _download(received_dossier, result) in page and "Giấy khai sinh (bản điện tử)" in page


def test_returned_result_is_offered_for_reuse(
    client, media, received_dossier, citizen, procedure, receptionist_a, specialist_a, leader_a
):
    reusable = RequiredDocument.objects.create(
        procedure=procedure, order=3, name="Giấy khai sinh", reusable_digitised=True, is_required=False
    )
    result = dossier_result_upload(actor=receptionist_a, dossier=received_dossier, upload=pdf_bytes())
    # Not offered while the dossier is still being processed.
    assert result not in intake.reusable_documents_for(citizen.person)
    dossier = _resolve(received_dossier, specialist_a, leader_a)
    dossier = dossier_act(dossier=dossier, actor=receptionist_a, action="return_result", mode=ResultDelivery.ELECTRONIC)
    assert dossier.status == DossierStatus.RETURNED
    assert result in intake.reusable_documents_for(citizen.person)

    client.force_login(citizen)
    page = client.get(reverse("dossiers:submit", args=[procedure.code])).content.decode()
    assert f'name="reuse_{reusable.pk}" value="{result.pk}"' in page

    draft, _created = intake.dossier_draft_create(actor=citizen, procedure=procedure)
    reused = intake.dossier_document_reuse(
        actor=citizen, dossier=draft, required_document_id=reusable.pk, source_id=result.pk
    )
    assert reused.reused_from == result and reused.file.name == result.file.name and reused.is_digitised


def test_api_detail_lists_a_result_to_the_applicant_only_once_resolved(
    client, media, received_dossier, citizen, receptionist_a, specialist_a, leader_a
):
    dossier_result_upload(actor=receptionist_a, dossier=received_dossier, upload=pdf_bytes(), name="Trích lục")
    url = f"/api/v1/dossiers/{received_dossier.code}"
    client.force_login(citizen)
    assert "result" not in [d["kind"] for d in client.get(url).json()["documents"]]
    client.force_login(receptionist_a)
    assert "result" in [d["kind"] for d in client.get(url).json()["documents"]]
    _resolve(received_dossier, specialist_a, leader_a)
    client.force_login(citizen)
    assert "result" in [d["kind"] for d in client.get(url).json()["documents"]]
