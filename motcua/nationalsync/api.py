"""National-portal sync API: the reconciliation list, one dossier's messages, resend.

Error codes (JSON {"code", "message"}): sync_not_found (404: not an administrator or manager),
dossier_not_found (404), sync_resend_forbidden (403: a manager, not an administrator),
sync_nothing_to_resend (409), unauthenticated (401), validation_error (422).
"""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from motcua.schemas import ErrorOut

from . import selectors, services
from .models import SyncMessage

router = Router(tags=["Đồng bộ Cổng Dịch vụ công quốc gia"])


class SyncMessageOut(Schema):
    seq: int
    message_id: str
    state: str
    status: str
    national_status: int
    changed_at: datetime.datetime
    attempts: int
    last_error: str
    reject_code: str
    sent_at: datetime.datetime | None


class UnsyncedDossierOut(Schema):
    code: str
    procedure_code: str
    agency_code: str
    unsent: list[SyncMessageOut]


class UnsyncedPage(Schema):
    count: int
    items: list[UnsyncedDossierOut]


class ListQuery(Schema):
    state: Literal["", "rejected", "waiting"] = Field("", description="'' mọi hồ sơ chưa đồng bộ, rejected, waiting")
    agency: int | None = Field(None, ge=1)
    q: str = Field("", max_length=48, description="Một phần mã hồ sơ")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class ResendIn(Schema):
    note: str = Field("", max_length=500)


def _message(m: SyncMessage) -> dict:
    return {
        "seq": m.seq, "message_id": m.message_id, "state": m.state, "status": m.status,
        "national_status": m.national_status, "changed_at": m.changed_at, "attempts": m.attempts,
        "last_error": m.last_error, "reject_code": m.reject_code, "sent_at": m.sent_at,
    }  # fmt: skip


@router.get(
    "/national-sync/unsynced",
    auth=django_auth,
    response={200: UnsyncedPage, 401: ErrorOut, 404: ErrorOut},
    summary="Hồ sơ chưa đồng bộ hoặc bị từ chối (trong phạm vi quản lý)",
)
def unsynced(request, query: Query[ListQuery]):
    rows = selectors.reconciliation_for(
        request.user, selectors.Filters(state=query.state, agency=query.agency, q=query.q)
    )
    page = list(rows[query.offset : query.offset + query.limit])
    return {
        "count": rows.count(),
        "items": [
            {
                "code": d.code,
                "procedure_code": d.procedure.code,
                "agency_code": d.receiving_agency.code,
                "unsent": [_message(m) for m in d.unsent],
            }
            for d in page
        ],
    }


@router.get(
    "/national-sync/dossiers/{code}",
    auth=django_auth,
    response={200: list[SyncMessageOut], 401: ErrorOut, 404: ErrorOut},
    summary="Các gói tin đồng bộ của một hồ sơ",
)
def dossier_messages(request, code: str):
    _dossier, messages = selectors.dossier_sync_for(request.user, code)
    return [_message(m) for m in messages]


@router.post(
    "/national-sync/dossiers/{code}/resend",
    auth=django_auth,
    response={200: SyncMessageOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Gửi lại gói tin bị từ chối của hồ sơ (quản trị hệ thống)",
)
def resend(request, code: str, payload: ResendIn):
    dossier, _messages = selectors.dossier_sync_for(request.user, code)
    return _message(services.sync_resend(dossier=dossier, actor=request.user, note=payload.note))
