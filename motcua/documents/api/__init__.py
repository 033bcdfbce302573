"""Documents API (/api/v1/documents/…), officers only; reads go through the selectors.

Error codes (JSON {"code", "message"}): document_not_found (404, also for documents outside
the caller's reach), documents_forbidden / action_forbidden (403), action_not_allowed (409),
invalid_document, invalid_document_type, invalid_confidentiality, invalid_urgency, invalid_pages,
invalid_received_at, invalid_deadline, lead_required, closing_required, reason_required (422),
dossier_not_found (404, also for a dossier outside the caller's reach), dossier_already_linked,
dossier_not_linked (409), unauthenticated (401).
"""

from __future__ import annotations

import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from motcua.core.errors import DomainError, NotFound
from motcua.core.models import Agency, User
from motcua.schemas import ErrorOut

from .. import selectors, services
from ..access import visible_agencies
from ..models import IncomingDocument, OutgoingDocument

router = Router(tags=["Văn bản đến, văn bản đi"], auth=django_auth)
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class IncomingOut(Schema):
    id: int
    agency_id: int
    year: int
    incoming_number: int
    received_at: datetime.datetime
    sender_name: str
    doc_number: str
    doc_type: str
    summary: str
    confidentiality: str
    urgency: str
    status: str
    is_electronic: bool
    handling_due: datetime.datetime | None
    instruction: str


class IncomingIn(Schema):
    agency_id: int
    sender_name: str = Field(max_length=1000)
    summary: str = Field(max_length=10000)
    doc_type: str = Field(max_length=20)
    doc_number: str = Field("", max_length=200)
    issued_on: datetime.date | None = None
    received_at: datetime.datetime | None = None
    confidentiality: str = "normal"
    urgency: str = "normal"
    pages: int | None = None
    is_electronic: bool = False
    reply_due: datetime.date | None = None
    reader_ids: list[int] = []


class DocumentAssignIn(Schema):
    lead_id: int | None = None
    lead_agency_id: int | None = None
    supporter_ids: list[int] = []
    instruction: str = ""
    days: int | None = None


class DocumentNoteIn(Schema):
    note: str = ""
    reply_id: int | None = None


class OutgoingOut(Schema):
    id: int
    agency_id: int
    doc_type: str
    year: int | None
    number: int | None
    code: str
    title: str
    status: str
    step: int
    confidentiality: str
    urgency: str
    issued_at: datetime.datetime | None
    change_reason: str


class OutgoingIn(Schema):
    agency_id: int
    doc_type: str = Field(max_length=20)
    title: str = Field(max_length=2000)
    summary: str = ""
    body: str = ""
    signer_id: int | None = None
    signer_position: str = ""
    recipients_text: str = ""
    internal_recipient_ids: list[int] = []
    confidentiality: str = "normal"
    urgency: str = "normal"
    replaces_id: int | None = None
    amends_id: int | None = None
    change_reason: str = ""


class SearchQuery(Schema):
    q: str = Field("", max_length=200)
    year: int | None = None
    agency: int | None = None
    type: str = ""
    status: str = ""
    assignee: int | None = None
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class IncomingSearchQuery(SearchQuery):
    # Keyset paging: "YYYY-N", the year and incoming number of the last row of the previous page.
    before: str = Field("", max_length=20, pattern=r"^([0-9]{4}-[0-9]{1,9})?$")


def _in(d: IncomingDocument) -> dict:
    return {**{f: getattr(d, f) for f in IncomingOut.model_fields if f != "doc_type"}, "doc_type": d.doc_type.code}


def _out(d: OutgoingDocument) -> dict:
    return {**{f: getattr(d, f) for f in OutgoingOut.model_fields if f != "doc_type"}, "doc_type": d.doc_type.code}


def _agency(user, pk: int) -> Agency:
    agency = visible_agencies(user).filter(pk=pk).first()
    if agency is None:
        raise NotFound(_agency_missing(), code="agency_not_found")
    return agency


def _agency_missing() -> str:
    from django.utils.translation import gettext as _

    return _("Không tìm thấy cơ quan trong phạm vi của tài khoản.")


def _officers(ids) -> list[User]:
    users = list(User.objects.filter(pk__in=ids, is_officer=True))
    if len(users) != len(set(ids)):
        from django.utils.translation import gettext as _

        raise DomainError(_("Có người được chọn không phải cán bộ."), code="invalid_assignee", status=422)
    return users


@router.get("/documents/incoming", response={200: list[IncomingOut], **ERRORS}, summary="Tìm văn bản đến")
def incoming_list(request, query: Query[IncomingSearchQuery]):
    """The book in its order (newest number first). Deep pages: pass `before` = "year-number" of
    the last row received instead of a growing `offset`."""
    before = tuple(int(part) for part in query.before.split("-")) if query.before else None
    rows = selectors.incoming_search(
        request.user,
        q=query.q,
        year=query.year,
        agency_id=query.agency,
        doc_type=query.type,
        status=query.status,
        assignee_id=query.assignee,
        date_from=query.date_from,
        date_to=query.date_to,
        before=before,
    )
    return [_in(d) for d in rows[query.offset : query.offset + query.limit]]


@router.post("/documents/incoming", response={201: IncomingOut, **ERRORS}, summary="Vào sổ văn bản đến")
def incoming_register(request, payload: IncomingIn):
    document = services.register_incoming(
        agency=_agency(request.user, payload.agency_id),
        actor=request.user,
        readers=_officers(payload.reader_ids),
        **payload.dict(exclude={"agency_id", "reader_ids"}),
    )
    return Status(201, _in(document))


@router.get("/documents/incoming/{pk}", response={200: IncomingOut, **ERRORS}, summary="Một văn bản đến")
def incoming_get(request, pk: int):
    return _in(selectors.incoming_get_for(request.user, pk))


@router.post("/documents/incoming/{pk}/present", response={200: IncomingOut, **ERRORS}, summary="Trình lãnh đạo")
def incoming_present(request, pk: int):
    document = selectors.incoming_get_for(request.user, pk, audit=False)
    return _in(services.incoming_present(document=document, actor=request.user))


@router.post("/documents/incoming/{pk}/assign", response={200: IncomingOut, **ERRORS}, summary="Phân công xử lý")
def incoming_assign(request, pk: int, payload: DocumentAssignIn):
    document = selectors.incoming_get_for(request.user, pk, audit=False)
    lead = _officers([payload.lead_id])[0] if payload.lead_id else None
    lead_agency = Agency.objects.filter(pk=payload.lead_agency_id).first() if payload.lead_agency_id else None
    return _in(
        services.incoming_assign(
            document=document,
            actor=request.user,
            lead=lead,
            lead_agency=lead_agency,
            supporters=_officers(payload.supporter_ids),
            instruction=payload.instruction,
            days=payload.days,
        )
    )


@router.post("/documents/incoming/{pk}/progress", response={200: IncomingOut, **ERRORS}, summary="Báo cáo tiến độ")
def incoming_progress(request, pk: int, payload: DocumentNoteIn):
    document = selectors.incoming_get_for(request.user, pk, audit=False)
    return _in(services.incoming_progress(document=document, actor=request.user, note=payload.note))


@router.post("/documents/incoming/{pk}/close", response={200: IncomingOut, **ERRORS}, summary="Hoàn thành xử lý")
def incoming_close(request, pk: int, payload: DocumentNoteIn):
    document = selectors.incoming_get_for(request.user, pk, audit=False)
    reply = None
    if payload.reply_id:
        reply = selectors.outgoing_visible_to(request.user).filter(pk=payload.reply_id).first()
        if reply is None:
            raise NotFound(code="document_not_found")
    return _in(services.incoming_close(document=document, actor=request.user, note=payload.note, reply=reply))


class DossierLinkIn(Schema):
    code: str = Field(max_length=60)


class LinkedDossierOut(Schema):
    code: str
    procedure: str
    status: str


def _linked(user, document) -> list[dict]:
    return [
        {"code": d.code, "procedure": d.procedure.name, "status": d.status}
        for d in selectors.dossiers_linked_to(user, document)
    ]


@router.get(
    "/documents/incoming/{pk}/dossiers",
    response={200: list[LinkedDossierOut], **ERRORS},
    summary="Hồ sơ gắn với văn bản đến",
)
def incoming_dossiers(request, pk: int):
    document = selectors.incoming_get_for(request.user, pk, audit=False)
    return _linked(request.user, document)


@router.post(
    "/documents/incoming/{pk}/dossiers",
    response={201: list[LinkedDossierOut], **ERRORS},
    summary="Gắn văn bản đến với một hồ sơ",
)
def incoming_link_dossier(request, pk: int, payload: DossierLinkIn):
    document = selectors.incoming_get_for(request.user, pk, audit=False)
    services.incoming_link_dossier(document=document, actor=request.user, code=payload.code)
    return Status(201, _linked(request.user, document))


@router.delete(
    "/documents/incoming/{pk}/dossiers/{code}",
    response={200: list[LinkedDossierOut], **ERRORS},
    summary="Bỏ liên kết văn bản đến với hồ sơ",
)
def incoming_unlink_dossier(request, pk: int, code: str):
    document = selectors.incoming_get_for(request.user, pk, audit=False)
    services.incoming_unlink_dossier(document=document, actor=request.user, code=code[:60])
    return _linked(request.user, document)


@router.get(
    "/documents/dossiers/{code}/incoming",
    response={200: list[IncomingOut], **ERRORS},
    summary="Văn bản đến gắn với một hồ sơ",
)
def dossier_incoming(request, code: str):
    from motcua.dossiers.selectors import dossier_get_for

    dossier = dossier_get_for(request.user, code)
    return [_in(d) for d in selectors.incoming_for_dossier(request.user, dossier)[:200]]


@router.get("/documents/outgoing", response={200: list[OutgoingOut], **ERRORS}, summary="Tìm văn bản đi")
def outgoing_list(request, query: Query[SearchQuery]):
    rows = selectors.outgoing_search(
        request.user,
        q=query.q,
        year=query.year,
        agency_id=query.agency,
        doc_type=query.type,
        status=query.status,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    return [_out(d) for d in rows[query.offset : query.offset + query.limit]]


@router.post("/documents/outgoing", response={201: OutgoingOut, **ERRORS}, summary="Soạn dự thảo văn bản đi")
def outgoing_create(request, payload: OutgoingIn):
    agency = _agency(request.user, payload.agency_id)
    visible = selectors.outgoing_visible_to(request.user)

    def old(pk):
        if not pk:
            return None
        found = visible.filter(pk=pk).first()
        if found is None:
            raise NotFound(code="document_not_found")
        return found

    document = services.outgoing_draft(
        agency=agency,
        actor=request.user,
        signer=_officers([payload.signer_id])[0] if payload.signer_id else None,
        internal_recipients=list(Agency.objects.filter(pk__in=payload.internal_recipient_ids)),
        replaces=old(payload.replaces_id),
        amends=old(payload.amends_id),
        **payload.dict(exclude={"agency_id", "signer_id", "internal_recipient_ids", "replaces_id", "amends_id"}),
    )
    return Status(201, _out(document))


@router.get("/documents/outgoing/{pk}", response={200: OutgoingOut, **ERRORS}, summary="Một văn bản đi")
def outgoing_get(request, pk: int):
    return _out(selectors.outgoing_get_for(request.user, pk))


@router.post(
    "/documents/outgoing/{pk}/{action}",
    response={200: OutgoingOut, **ERRORS},
    summary="Trình, duyệt, ban hành, thu hồi",
)
def outgoing_act(request, pk: int, action: str, payload: DocumentNoteIn):
    document = selectors.outgoing_get_for(request.user, pk, audit=False)
    steps = {
        "submit": lambda: services.outgoing_submit(document=document, actor=request.user),
        "approve": lambda: services.outgoing_approve(document=document, actor=request.user, note=payload.note),
        "return": lambda: services.outgoing_return(document=document, actor=request.user, note=payload.note),
        "issue": lambda: services.issue_outgoing(document=document, actor=request.user),
        "withdraw": lambda: services.outgoing_withdraw(document=document, actor=request.user, reason=payload.note),
    }
    if action not in steps:
        from django.utils.translation import gettext as _

        raise DomainError(_("Thao tác không tồn tại."), code="action_not_allowed", status=409)
    return _out(steps[action]())
