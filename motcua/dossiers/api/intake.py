"""Intake API: create a dossier (draft or submitted), upload its documents, submit it.

Error codes (JSON {"code", "message", "details"?}): file_too_large (413), file_type_not_allowed (415),
file_corrupt (422), missing_documents (422, details.missing), consent_required (422),
invalid_applicant (422, details.fields), delivery_address_required (422), invalid_required_document
(422), reuse_not_allowed (422), reuse_source_not_found (422), agency_required / agency_not_allowed
(400), procedure_not_online (400), applicant_required (422), assist_not_allowed (403),
dossier_not_draft (409), not_found / dossier_not_found / procedure_not_found (404),
invalid_form_data (422, details.errors: field, code, message; details.fields: messages per field),
unauthenticated (401), validation_error (422).
"""

import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import File, Form, Header, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from motcua.catalog.models import Procedure
from motcua.core.errors import NotFound
from motcua.core.models import Agency, Person
from motcua.core.selectors import person_get_at_counter
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.services import intake
from motcua.schemas import ErrorOut, column_text

router = Router(tags=["Hồ sơ – nộp hồ sơ"], auth=django_auth)

CREATE_ERRORS_DOC = (
    "Lỗi: agency_required, agency_not_allowed, procedure_not_online (400); unauthenticated (401); "
    "assist_not_allowed (403); not_found, person_not_found (404); consent_required, applicant_required, "
    "invalid_applicant, invalid_delivery, delivery_address_required, reuse_not_allowed, reuse_source_not_found, "
    "missing_documents (422); invalid_form_data (422: `details.errors` liệt kê từng trường với `code` "
    "required, too_long, invalid_date, date_in_future, invalid_number, out_of_range, invalid_choice, "
    "unknown_field, invalid_value, phone_*, personal_id_*; không có gì được ghi)."
)
UPLOAD_ERRORS_DOC = (
    "Lỗi: file_too_large (413), file_type_not_allowed (415), file_corrupt (422), invalid_required_document (422), "
    "dossier_not_draft (409), dossier_not_found (404), unauthenticated (401)."
)
SUBMIT_ERRORS_DOC = (
    "Lỗi: invalid_form_data (422, tờ khai thiếu hoặc sai), missing_documents (422, details.missing), "
    "dossier_not_found (404), unauthenticated (401)."
)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut, 415: ErrorOut}


class ApplicantIn(Schema):
    # For officers and community-team members submitting on a citizen's behalf: the person's id
    # (from the people search) or their 12-digit personal ID. Citizens leave both out.
    person_id: int | None = None
    personal_id: str | None = None
    phone: str = ""
    address: column_text(Dossier, "applicant_address") = ""
    email: column_text(Dossier, "applicant_email") = ""


class ConsentIn(Schema):
    text: str
    how: str  # signed | verbal | phone | electronic
    at: datetime.datetime | None = None


class ReuseIn(Schema):
    required_document: int
    document: int


class DossierIn(Schema):
    procedure: column_text(Procedure, "code")
    applicant: ApplicantIn | None = None
    consent: ConsentIn | None = None
    agency: column_text(Agency, "code") | None = None  # agency code; default: chosen from the applicant's commune
    result_delivery: column_text(Dossier, "result_delivery") = "desk"  # desk | post | electronic
    delivery_address: column_text(Dossier, "delivery_address") = ""
    reuse: list[ReuseIn] = []
    # The answers to the procedure's application form (`form_schema` of GET /procedures/{code}), by field key.
    form_data: dict[str, Any] | None = None
    submit: bool = False


class UploadedDocumentOut(Schema):
    id: int
    required_document: int | None
    name: str
    content_type: str
    size: int
    sha256: str
    reused_from: int | None
    paper_received: bool


class MissingOut(Schema):
    required_document: int
    name: str


class DossierOut(Schema):
    id: int
    code: str | None
    status: str
    status_label: str
    channel: str
    procedure: str
    receiving_agency: str
    applicant_name: str
    result_delivery: str
    delivery_address: str
    submitted_at: datetime.datetime | None
    documents: list[UploadedDocumentOut]
    missing: list[MissingOut]
    form_data: dict[str, Any]


def _document_out(document: DossierDocument) -> dict:
    return {
        "id": document.pk,
        "required_document": document.required_document_id,
        "name": document.name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "reused_from": document.reused_from_id,
        "paper_received": document.paper_received,
    }


def _dossier_out(dossier: Dossier) -> dict:
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "channel": dossier.channel,
        "procedure": dossier.procedure.code,
        "receiving_agency": dossier.receiving_agency.code,
        "applicant_name": dossier.applicant_name,
        "result_delivery": dossier.result_delivery,
        "delivery_address": dossier.delivery_address,
        "submitted_at": dossier.submitted_at,
        "documents": [_document_out(d) for d in dossier.documents.order_by("id")],
        "missing": [{"required_document": d.pk, "name": d.name} for d in intake.dossier_missing_documents(dossier)],
        "form_data": dossier.form_data or {},
    }


def _person(request, applicant: ApplicantIn | None) -> Person | None:
    if applicant is None or (applicant.person_id is None and not applicant.personal_id):
        return None
    if applicant.person_id is not None:
        return person_get_at_counter(request.user, applicant.person_id, personal_id=applicant.personal_id, via="api")
    found = Person.objects.filter(personal_id=(applicant.personal_id or "").strip()).first()
    if found is None:
        raise NotFound(code="person_not_found")
    # The complete card number stands for the card presented at the desk (see person_find_by_card).
    return person_get_at_counter(request.user, found.pk, personal_id=found.personal_id, via="api")


@router.post("/dossiers", response={200: DossierOut, 201: DossierOut, **ERRORS}, description=CREATE_ERRORS_DOC)
def dossier_create(request, payload: DossierIn, idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Create a dossier as a draft, or submit it at once (`submit: true`) when nothing is missing.

    Send an `Idempotency-Key` header: a retry with the same key returns the first answer's dossier (200)."""
    key = request.headers.get("Idempotency-Key") or idempotency_key
    existing = intake.dossier_for_idempotency_key(actor=request.user, key=key)
    if existing is not None:
        return Status(200, _dossier_out(existing))
    procedure = get_object_or_404(Procedure, code=payload.procedure, is_active=True)
    agency = get_object_or_404(Agency, code=payload.agency) if payload.agency else None
    applicant = payload.applicant or ApplicantIn()
    dossier = intake.dossier_online_save(
        actor=request.user,
        procedure=procedure,
        idempotency_key=key,
        person=_person(request, payload.applicant),
        consent=intake.Consent(**payload.consent.dict()) if payload.consent else None,
        contact=intake.Contact(phone=applicant.phone, address=applicant.address, email=applicant.email),
        delivery=intake.Delivery(method=payload.result_delivery, address=payload.delivery_address),
        agency=agency,
        reuses={r.required_document: r.document for r in payload.reuse},
        form_data=payload.form_data,
        submit=payload.submit,
    )
    return Status(201, _dossier_out(dossier))


@router.post(
    "/dossiers/{ref}/documents",
    response={201: UploadedDocumentOut, **UPLOAD_ERRORS},
    description=UPLOAD_ERRORS_DOC,
)
def dossier_document_upload(request, ref: str, required_document: Form[int], file: File[UploadedFile]):
    """Upload one document (PDF, JPEG or PNG, checked by content) for a draft, by id or code."""
    dossier = intake.dossier_get_for_intake(actor=request.user, ref=ref)
    document = intake.dossier_document_upload(
        actor=request.user, dossier=dossier, required_document_id=required_document, upload=file
    )
    return Status(201, _document_out(document))


@router.post("/dossiers/{ref}/submit", response={200: DossierOut, **ERRORS}, description=SUBMIT_ERRORS_DOC)
def dossier_submit(request, ref: str):
    """Submit a draft. Submitting again returns the submitted dossier unchanged."""
    dossier = intake.dossier_get_for_intake(actor=request.user, ref=ref)
    dossier = intake.dossier_submit(actor=request.user, dossier=dossier)
    return Status(200, _dossier_out(dossier))
